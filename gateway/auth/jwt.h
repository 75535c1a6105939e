// JWT authorizer core, pure (no sockets): a JWKS key set (RFC 7517: RSA n/e, EC P-256 x/y, and
// "oct" k for HS256) and the validation API Gateway's JWT authorizer performs (RFC 7519):
// signature (RS256 / ES256 / HS256 with OpenSSL; the token's alg must match the key's type),
// iss equal to the configured issuer, aud (or client_id) among the configured audiences, exp in
// the future and nbf / iat not in the future, and, when the route names scopes, one of them in
// the token's "scope" / "scp" claim.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace cdnlab::gateway {

struct JwkKey;  // an OpenSSL key or an HMAC secret

class Jwks {
 public:
  // Parses a JWKS document {"keys":[...]}; keys of other types or curves are skipped, a
  // document with no usable key is an error naming why.
  static Result<std::shared_ptr<const Jwks>> parse(std::string_view json);
  ~Jwks();
  const JwkKey* find(std::string_view kid, std::string_view kty) const;
  size_t size() const { return keys_.size(); }

 private:
  std::vector<std::unique_ptr<JwkKey>> keys_;
};

struct JwtConfig {
  std::string issuer;
  std::vector<std::string> audience;
};

struct JwtClaims {
  std::string claimsJson;           // {"sub":"...",...}: every claim, values as strings (as AWS passes them)
  std::vector<std::string> scopes;  // from "scope" (space-separated) or "scp"
};

// Error code 401 (the token is missing, malformed, badly signed, expired, for another issuer or
// audience) or 403 (valid, but none of `requiredScopes`). The message says which check failed.
Result<JwtClaims> validateJwt(std::string_view token, const Jwks& keys, const JwtConfig& config,
                              const std::vector<std::string>& requiredScopes, int64_t nowEpochSeconds);

std::string base64UrlEncode(std::string_view in);
Result<std::string> base64UrlDecode(std::string_view in);

}  // namespace cdnlab::gateway
