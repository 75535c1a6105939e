// AWS Signature Version 4 verification for the store's requests (only with --auth; by default
// any credentials are accepted, as DynamoDB Local does). HMAC-SHA256 and SHA-256 from OpenSSL.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "origin/store/api_error.h"

namespace cdnlab::store {

struct Credential {
  std::string accessKey;
  std::string secretKey;
};

struct SignedRequest {
  std::string_view method;
  std::string_view path;   // already URI-encoded as sent
  std::string_view query;  // raw query string without '?'
  std::function<const std::string*(std::string_view lowerName)> header;
  std::string_view body;
};

// Verifies the Authorization header. nullopt when the signature is valid; otherwise DynamoDB's
// error: MissingAuthenticationTokenException (no Authorization), UnrecognizedClientException
// (unknown access key), InvalidSignatureException (bad signature or malformed header).
std::optional<ApiError> verifySigV4(const SignedRequest& req, const std::vector<Credential>& keys);

// Exposed for tests: hex SHA-256 and the signature the verifier expects.
std::string sha256Hex(std::string_view data);
std::string signatureFor(const SignedRequest& req, std::string_view secret, std::string_view amzDate,
                         std::string_view scope, std::string_view signedHeaders);

}  // namespace cdnlab::store
