// ClientRequestToken idempotency, shared by TransactWriteItems and ExecuteTransaction: a token's
// record in the engine is "<request fingerprint>|<unix seconds it was applied>", and DynamoDB
// honours a token for 10 minutes. Within them the same request is answered again without being
// applied twice, and another request under the same token is refused.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "origin/store/api_error.h"

namespace cdnlab::store {

inline constexpr int64_t kClientTokenLifetimeSeconds = 600;

enum class TokenState { New, Replay, Mismatch };

// What the token's stored record (nullptr: none) says about a request with `fingerprint` at `now`.
TokenState clientTokenState(const std::string* record, std::string_view fingerprint, int64_t now);

// The record to write with the request's changes.
std::string clientTokenRecord(std::string_view fingerprint, int64_t now);

ApiError clientTokenMismatch();

}  // namespace cdnlab::store
