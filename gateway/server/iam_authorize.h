// IAM authorization of HTTP API routes (authorizationType AWS_IAM): the request's SigV4 signature
// (service "execute-api") is checked with the shared verifier (common/auth/sigv4.h) against the
// credentials the gateway was given (--iam-key ACCESS_KEY:SECRET). The lab has no IAM policies:
// a valid signature by a known key is allowed, as a caller whose policy allows execute-api:Invoke.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/auth/sigv4.h"
#include "common/http/message.h"

namespace cdnlab::gateway {

struct IamRefusal {
  std::string type;     // x-amzn-ErrorType: ForbiddenException, IncompleteSignatureException, ...
  std::string message;  // the body's "message"
};

// Checks the signature; on success fills `authorizerJson` with requestContext.authorizer.iam
// ({"accessKey", "accountId", "callerId", "cognitoIdentity", "principalOrgId", "userArn", "userId"}).
// A missing signature is 403 {"message":"Forbidden"}; others carry the verifier's (AWS's) message.
std::optional<IamRefusal> authorizeIam(const http::Request& req, const std::vector<auth::Credential>& keys,
                                       const std::string& accountId, int64_t nowEpochSeconds, std::string& authorizerJson);

// 403 with {"message": ...} and x-amzn-ErrorType.
http::Response iamRefusalResponse(const IamRefusal& r);

// "ACCESS_KEY:SECRET" -> Credential; error text for --iam-key when malformed.
std::optional<auth::Credential> parseIamKey(const std::string& spec);

}  // namespace cdnlab::gateway
