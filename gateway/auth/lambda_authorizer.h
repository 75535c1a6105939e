// Lambda (REQUEST) authorizers of HTTP APIs, pure part (no sockets): the identity sources, the
// event API Gateway sends the authorizer function (payload 2.0 and 1.0), the reading of its answer
// (a simple {"isAuthorized", "context"} or an IAM policy {"principalId", "policyDocument",
// "context"}), and the policy check against the route ARN. The invocation is in
// gateway/server/lambda_authorize.*.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/http/message.h"
#include "common/result.h"
#include "gateway/integrations/proxy_event.h"
#include "gateway/model/api_model.h"

namespace cdnlab::gateway {

// Where identity sources read from. `context` answers $context.<name>.
struct IdentityInputs {
  const http::Headers* headers = nullptr;
  std::string_view rawQuery;
  const StringMap* stageVariables = nullptr;
  std::function<std::string(std::string_view)> context;
};

// The values of `sources` in order, or nullopt when one is missing or empty (API Gateway then
// answers 401 without calling the function). Repeated headers / query parameters join with ','.
std::optional<std::vector<std::string>> resolveIdentitySources(const std::vector<std::string>& sources,
                                                               const IdentityInputs& in);

// "arn:aws:execute-api:<region>:<account>:<apiId>/<stage>/<METHOD><path>" (path with its leading '/').
std::string routeArnOf(std::string_view region, std::string_view account, std::string_view apiId, std::string_view stage,
                       std::string_view method, std::string_view path);

// The authorizer's event: the proxy event of that version without the body, plus "type":
// "REQUEST", the route ARN ("routeArn" in 2.0, "methodArn" in 1.0) and the identity values
// (a list in 2.0; 1.0: one comma-joined string, also as "authorizationToken").
std::string buildAuthorizerEventV2(const ProxyRequest& p, std::string_view routeArn, const std::vector<std::string>& identity);
std::string buildAuthorizerEventV1(const ProxyRequest& p, std::string_view methodArn, const std::vector<std::string>& identity);

struct PolicyStatement {
  bool allow = false;
  std::vector<std::string> actions;    // "execute-api:Invoke", "execute-api:*", "*"
  std::vector<std::string> resources;  // ARN patterns with '*' and '?'
};

// What the function decided. Simple responses set `simple`; policy responses carry statements.
struct AuthorizerVerdict {
  bool simple = false;
  bool isAuthorized = false;         // simple responses
  std::string principalId;           // policy responses
  std::vector<PolicyStatement> statements;
  std::string contextJson;           // the "context" object as JSON; "{}" without one
  std::string usageIdentifierKey;    // REST APIs: the API key when the API's key source is AUTHORIZER
};

// Reads the function's answer. `simpleResponses`: the authorizer has enableSimpleResponses (2.0),
// so {"isAuthorized": bool} is expected (an IAM policy is still read if the function returns
// one). Error: anything malformed (the gateway answers 500), the message says what.
Result<AuthorizerVerdict> readAuthorizerResponse(std::string_view body, bool simpleResponses);

// Whether the verdict lets the request at `routeArn` through: a simple answer's isAuthorized; for a
// policy, an Allow statement matches the ARN and action execute-api:Invoke and no Deny does.
bool verdictAllows(const AuthorizerVerdict& v, std::string_view routeArn);

// IAM's ARN wildcards: '*' any run of characters (including ':' and '/'), '?' any one character.
bool arnPatternMatches(std::string_view pattern, std::string_view arn);

// requestContext.authorizer of the integration event: payload 2.0 {"lambda": context} (plus
// "principalId" for a policy answer); 1.0 the REST shape, context keys with "principalId" and
// "integrationLatency" (milliseconds the authorizer took).
std::string integrationAuthorizerJson(const AuthorizerVerdict& v, const std::string& payloadFormatVersion,
                                      int64_t authorizerLatencyMs);

}  // namespace cdnlab::gateway
