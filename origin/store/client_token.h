// ClientRequestToken idempotency, shared by TransactWriteItems and ExecuteTransaction: a token's
// record in the engine is "<request fingerprint>|<unix seconds it was applied>", and DynamoDB
// honours a token for 10 minutes. Within them the same request is answered again without being
// applied twice, and another request under the same token is refused.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "origin/store/api_error.h"
#include "origin/store/model/json.h"

namespace cdnlab::store {

inline constexpr int64_t kClientTokenLifetimeSeconds = 600;

enum class TokenState { New, Replay, Mismatch };

// The fingerprint of a request's operations (TransactItems, TransactStatements). DynamoDB compares
// requests, not their bytes: objects are hashed with their members in name order, so the same
// item written with its attributes in another order is the same request.
std::string requestFingerprint(const rapidjson::Value& operations);

// What the token's stored record (nullptr: none) says about a request with `fingerprint` at `now`.
TokenState clientTokenState(const std::string* record, std::string_view fingerprint, int64_t now);

// The record to write with the request's changes.
std::string clientTokenRecord(std::string_view fingerprint, int64_t now);

ApiError clientTokenMismatch();

}  // namespace cdnlab::store
