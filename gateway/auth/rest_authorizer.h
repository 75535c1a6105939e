// Lambda authorizers of REST APIs (v1), pure part (no sockets): TOKEN authorizers (one token from
// a header, checked against identityValidationExpression) and REQUEST authorizers (headers, query
// string, stage variables, context), the events AWS documents for each, the reading of the
// function's IAM policy answer and its evaluation against the method ARN. The invocation and the
// request path's use of it are in gateway/rest/rest_authorize.*.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/http/message.h"
#include "common/result.h"
#include "gateway/auth/lambda_authorizer.h"
#include "gateway/rest/rest_model.h"
#include "gateway/routing/query_string.h"
#include "gateway/vtl/value.h"

namespace cdnlab::gateway {

// "method.request.header.Authorization, method.request.querystring.q" -> the trimmed sources.
std::vector<std::string> splitIdentitySources(std::string_view identitySource);

// What create-authorizer and import check, with API Gateway's messages: the type, the
// authorizerUri (a Lambda invocation URI), the identity sources' forms (TOKEN: exactly one
// header), the TTL (0..3600) and the validation expression (a regular expression).
Result<bool> checkRestAuthorizer(const RestAuthorizer& a);

// Where identity sources read from; `query` is the decoded query string (a name's first value counts).
struct RestIdentityInputs {
  const http::Headers* headers = nullptr;
  const QueryParameters* query = nullptr;
  const RestStringMap* stageVariables = nullptr;
  std::function<std::string(std::string_view)> context;  // $context.<name>
};

// The value of each source in order (method.request.header.X, method.request.querystring.X,
// stageVariables.X, context.X), or nullopt when one is missing or empty.
std::optional<std::vector<std::string>> resolveRestIdentity(const std::vector<std::string>& sources,
                                                            const RestIdentityInputs& in);

// {"type": "TOKEN", "authorizationToken": token, "methodArn": arn}.
std::string buildTokenAuthorizerEvent(std::string_view token, std::string_view methodArn);
// The REST proxy event (rest_event.h) without body and isBase64Encoded, with "type": "REQUEST"
// and "methodArn" first.
std::string buildRequestAuthorizerEvent(std::string_view restProxyEvent, std::string_view methodArn);

// The function's answer: an IAM policy with principalId, an optional context of string, number
// and boolean values, and usageIdentifierKey (the API key when the API's key source is AUTHORIZER).
// Error: anything malformed (no policy, a context value that is an object or a list, ...).
Result<AuthorizerVerdict> readRestAuthorizerAnswer(std::string_view body);

// A policy against the method ARN: Allow when an Allow statement matches it (action
// execute-api:Invoke) and no Deny does; ExplicitDeny when a Deny does; NotAllowed otherwise.
enum class PolicyDecision { Allow, ExplicitDeny, NotAllowed };
PolicyDecision evaluatePolicy(const AuthorizerVerdict& v, std::string_view methodArn);

// $context.authorizer for templates: principalId and the context's members (values as text).
vtl::Value authorizerContextValue(const AuthorizerVerdict& v);

}  // namespace cdnlab::gateway
