// The stages of a JWT validation (jwt.h's validateJwt runs them for HTTP APIs' JWT authorizers;
// REST APIs' Cognito user pool authorizers, cognito_authorizer.h, run them with their own claim
// rules). Pure; implemented in jwt.cc.
#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "gateway/auth/jwt.h"

namespace cdnlab::gateway {

// A token ("Bearer " prefix allowed) cut into its parts and decoded; nothing is verified yet.
struct JwtParts {
  rapidjson::Document header;
  rapidjson::Document claims;  // a JSON object
  std::string signingInput;    // "<header>.<payload>" as sent
  std::string signature;       // decoded
};
Result<JwtParts> splitJwt(std::string_view token);
// The signature (RS256 / ES256 / HS256) with the key of the header's kid and alg. Error 401.
Result<bool> verifyJwtSignature(const JwtParts& parts, const Jwks& keys);
// exp in the future (required), nbf not in the future, iat at most 5 minutes ahead. Error 401.
Result<bool> checkJwtTimes(const rapidjson::Value& claims, int64_t nowEpochSeconds);
// The token's scopes: "scope" (space-separated) or "scp" (a list).
std::vector<std::string> jwtScopesOf(const rapidjson::Value& claims);
// Whether one of `wanted` is among `have`.
bool anyScopeOf(const std::vector<std::string>& wanted, const std::vector<std::string>& have);
// A string claim's value; "" when absent or not a string.
std::string jwtClaimString(const rapidjson::Value& claims, const char* name);

}  // namespace cdnlab::gateway
