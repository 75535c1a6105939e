#include "origin/store/client_token.h"

#include "common/parse_integer.h"

namespace cdnlab::store {

TokenState clientTokenState(const std::string* record, std::string_view fingerprint, int64_t now) {
  if (!record) return TokenState::New;
  std::string_view r(*record);
  size_t bar = r.find('|');
  int64_t when = bar == std::string_view::npos ? 0 : parseInteger<int64_t>(r.substr(bar + 1)).value_or(0);
  if (now - when >= kClientTokenLifetimeSeconds) return TokenState::New;  // expired: a new request
  return r.substr(0, bar) == fingerprint ? TokenState::Replay : TokenState::Mismatch;
}

std::string clientTokenRecord(std::string_view fingerprint, int64_t now) {
  return std::string(fingerprint) + "|" + std::to_string(now);
}

ApiError clientTokenMismatch() {
  return dynamoError("IdempotentParameterMismatchException",
                     "Request parameters do not match the ones provided in the previous request with the same ClientRequestToken");
}

}  // namespace cdnlab::store
