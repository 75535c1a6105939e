// AWS Signature Version 4 verification, shared by the services that check signatures (the
// store with --auth, the gateway's IAM authorization). HMAC-SHA256 and SHA-256 from OpenSSL.
//
// The verifier follows AWS's answers: every failure is HTTP 400 with a com.amazon.coral.service#
// type, in the order AWS checks them (missing header, malformed header, unknown key, scope,
// clock skew, signature). Each service maps the error onto its own wire shape.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cdnlab::auth {

struct Credential {
  std::string accessKey;
  std::string secretKey;
};

// Header lookup by lower-case name: every field of that name joined with "," in arrival order
// (SigV4's rule for repeated headers), or nullopt when absent. Returns a copy so that two
// lookups never alias one buffer.
using SignedHeaderLookup = std::function<std::optional<std::string>(std::string_view lowerName)>;

struct SignedRequest {
  std::string_view method;
  std::string_view path;   // already URI-encoded as sent
  std::string_view query;  // raw query string without '?'
  SignedHeaderLookup header;
  std::string_view body;
};

// AWS rejects a request whose X-Amz-Date is more than this far from the server's clock.
inline constexpr int64_t kMaxClockSkewSeconds = 15 * 60;
inline constexpr const char* kCoralPrefix = "com.amazon.coral.service#";

// A refused signature: `type` is the full coral type ("com.amazon.coral.service#InvalidSignatureException").
struct SigV4Error {
  std::string type;
  std::string message;
  int status = 400;
};

// Verifies the Authorization header against `keys` at wall time `nowEpochSeconds`, for a
// credential scoped to `service` ("dynamodb", "execute-api"). nullopt when the signature is
// valid; otherwise AWS's error: MissingAuthenticationTokenException (no
// Authorization), IncompleteSignatureException (malformed header, no X-Amz-Date),
// UnrecognizedClientException (unknown access key), InvalidSignatureException (bad scope,
// expired or future date, signature mismatch).
std::optional<SigV4Error> verifySigV4(const SignedRequest& req, const std::vector<Credential>& keys,
                                      int64_t nowEpochSeconds, std::string_view service);

// The steps, exposed for tests (AWS's SigV4 test suite checks each one).
std::string sha256Hex(std::string_view data);
// `signedHeaders` is the SignedHeaders value as the client sent it ("host;x-amz-date").
std::string canonicalRequest(const SignedRequest& req, std::string_view signedHeaders);
// scope = yyyymmdd/region/service/aws4_request
std::string stringToSign(std::string_view amzDate, std::string_view scope, std::string_view canonical);
// Hex signature; empty when `scope` does not have four parts.
std::string signatureFor(const SignedRequest& req, std::string_view secret, std::string_view amzDate,
                         std::string_view scope, std::string_view signedHeaders);

// "20150830T123600Z" <-> epoch seconds (UTC). nullopt for anything not in that exact form.
std::optional<int64_t> parseAmzDate(std::string_view amzDate);
std::string formatAmzDate(int64_t epochSeconds);

}  // namespace cdnlab::auth
