// TestInvokeAuthorizer (see rest_test_authorizer.h): read the simulated request -> find the
// authorizer -> run it (Lambda TOKEN / REQUEST through authorizer_calls.h, or a Cognito token
// check) -> answer with AWS's TestInvokeAuthorizerResponse, the execution log line by line.
#include "gateway/rest/rest_test_authorizer.h"

#include <rapidjson/document.h>

#include <regex>

#include "common/clock.h"
#include "gateway/auth/rest_authorizer.h"
#include "gateway/json.h"
#include "gateway/mgmt/mgmt_response.h"
#include "gateway/rest/authorizer_calls.h"
#include "gateway/rest/rest_event.h"
#include "gateway/rest/rest_exchange.h"
#include "gateway/rest/rest_mgmt_common.h"
#include "gateway/routing/route_table.h"
#include "gateway/server/gateway_server.h"

namespace cdnlab::gateway {
namespace {

// The stage API Gateway names in a test invocation's method ARN.
constexpr const char* kTestStage = "ESTestInvoke-stage";

// One test run: the simulated request, what happened so far, and the log.
struct TestRun {
  GatewayServer* gw = nullptr;
  http::RequestContextPtr ctx;
  RestAuthorizer authorizer;
  std::string apiId;
  http::Headers headers;
  std::string path = "/";
  std::string rawQuery;
  QueryParameters query;
  std::string body;
  RestStringMap stageVariables;
  int64_t startNs = 0;
  std::string log;

  void note(const std::string& line) {
    log += clfTime(wallMs()) + " : " + line + "\n";
  }
};
using TestRunPtr = std::shared_ptr<TestRun>;

void answer(const TestRunPtr& t, int clientStatus, const AuthorizerVerdict* v, const std::string& policy,
            const std::string* claimsJson) {
  int64_t latency = (SystemClock::instance().nowNs() - t->startNs) / 1000000;
  std::string out = renderJson([&](JsonWriter& w) {
    w.StartObject();
    jkey(w, "clientStatus");
    w.Int(clientStatus);
    jkv(w, "log", "Execution log for request test-request\n" + t->log);
    jkey(w, "latency");
    w.Int64(latency);
    if (v) jkv(w, "principalId", v->principalId);
    if (!policy.empty()) jkv(w, "policy", policy);
    if (claimsJson) {
      jkey(w, "claims");
      w.RawValue(claimsJson->data(), claimsJson->size(), rapidjson::kObjectType);
    }
    w.EndObject();
  });
  http::Response r = jsonResponse(200, std::move(out));
  r.headers.set("x-amzn-RequestId", newAwsRequestId());
  t->ctx->respond(std::move(r));
}

void refuse(const TestRunPtr& t, int status, const std::string& why) {
  t->note(why);
  t->note(status == 401 ? "Unauthorized request: test-request" : "Execution failed due to configuration error: " + why);
  answer(t, status, nullptr, "", nullptr);
}

// The function's policyDocument as it answered it (the "policy" member is a JSON string).
std::string policyText(std::string_view body) {
  rapidjson::Document d;
  d.Parse(body.data(), body.size());
  if (!d.IsObject() || !d.HasMember("policyDocument")) return "";
  return renderJson([&](JsonWriter& w) { d["policyDocument"].Accept(w); });
}

void runLambda(const TestRunPtr& t) {
  const RestAuthorizer& a = t->authorizer;
  const auto& o = t->gw->options();
  std::string methodArn = routeArnOf(o.region, o.accountId, t->apiId, kTestStage, "GET", t->path);
  auto sources = splitIdentitySources(a.identitySource);
  RestIdentityInputs in{&t->headers, &t->query, &t->stageVariables, nullptr};
  auto identity = resolveRestIdentity(sources, in);
  bool tokenType = a.type == "TOKEN";
  if (!identity && (tokenType || a.authorizerResultTtlInSeconds > 0))
    return refuse(t, 401, "The identity source " + a.identitySource + " is missing or empty");
  if (tokenType && !a.identityValidationExpression.empty() &&
      !std::regex_match((*identity)[0], std::regex(a.identityValidationExpression, std::regex::ECMAScript)))
    return refuse(t, 401, "The incoming identity does not match the identityValidationExpression");
  std::string event;
  if (tokenType) {
    event = buildTokenAuthorizerEvent((*identity)[0], methodArn);
  } else {
    ProxyRequest p;
    p.method = "GET";
    p.rawPath = t->path;
    p.rawQuery = t->rawQuery;
    p.headers = &t->headers;
    p.body = t->body;
    p.sourceIp = "test-invoke-source-ip";
    p.userAgent = std::string(t->headers.get("user-agent").value_or(""));
    p.accountId = o.accountId;
    p.apiId = t->apiId;
    p.domainName = "testPrefix.testDomainName";
    p.domainPrefix = "testPrefix";
    p.stage = kTestStage;
    p.routeKey = "GET " + t->path;
    p.resourcePath = t->path;
    p.requestId = newAwsRequestId();
    p.extendedRequestId = p.requestId;
    p.timeEpochMs = wallMs();
    p.stageVariables = &t->stageVariables;
    event = buildRequestAuthorizerEvent(buildRestProxyEvent(p, RestEventExtras{t->path, "/" + std::string(kTestStage) + t->path, "", ""}),
                                        methodArn);
  }
  t->note("Starting authorizer: " + a.id + " for request: test-request");
  if (tokenType) t->note("Incoming identity: " + (*identity)[0]);
  t->note("Endpoint request URI: " + a.authorizerUri);
  t->note("Endpoint request body after transformations: " + event);
  invokeLambdaAuthorizer(*t->gw, t->ctx->workerIndex(), a, event, [t, methodArn](LambdaAuthorizerAnswer r) {
    t->note("Sending request to " + t->authorizer.authorizerUri);
    if (!r.body.empty()) t->note("Authorizer result body before parsing: " + r.body.substr(0, 4096));
    if (r.unauthorized) return refuse(t, 401, "The authorizer function failed with the error Unauthorized");
    if (!r.verdict) return refuse(t, 500, r.error);
    t->note("Using valid authorizer policy for principal: " + r.verdict->principalId);
    t->note("Successfully completed authorizer execution");
    // The status the client would get for the simulated request (GET pathWithQueryString).
    PolicyDecision d = evaluatePolicy(*r.verdict, methodArn);
    if (d != PolicyDecision::Allow) t->note("The client is not authorized to perform this operation: " + methodArn);
    answer(t, d == PolicyDecision::Allow ? 200 : 403, r.verdict.get(), policyText(r.body), nullptr);
  });
}

void runCognito(const TestRunPtr& t) {
  const RestAuthorizer& a = t->authorizer;
  auto sources = splitIdentitySources(a.identitySource);
  RestIdentityInputs in{&t->headers, nullptr, nullptr, nullptr};
  auto identity = resolveRestIdentity(sources, in);
  t->note("Starting authorizer: " + a.id + " for request: test-request");
  if (!identity) return refuse(t, 401, "The identity source " + a.identitySource + " is missing or empty");
  auto split = splitJwt((*identity)[0]);
  if (!split) return refuse(t, 401, split.error().message);
  auto token = std::make_shared<const JwtParts>(std::move(*split));
  auto pools = std::make_shared<const std::vector<CognitoUserPool>>(cognitoUserPoolsOf(a.providerARNs));
  CognitoRefusal why;
  const CognitoUserPool* pool = cognitoPoolOfToken(*token, CognitoCheck{pools.get(), nullptr, nullptr, 0}, why);
  if (!pool) return refuse(t, 401, why.reason);
  cognitoKeysOf(*t->gw, t->ctx->workerIndex(), *pool, jwtClaimString(token->header, "kid"),
                [t, token, pools](Result<std::shared_ptr<const Jwks>> keys) {
                  if (!keys) return refuse(t, 500, keys.error().message);
                  std::shared_ptr<const std::regex> aud;
                  if (!t->authorizer.identityValidationExpression.empty())
                    aud = std::make_shared<const std::regex>(t->authorizer.identityValidationExpression, std::regex::ECMAScript);
                  std::vector<std::string> noScopes;
                  CognitoCheck check{pools.get(), &noScopes, aud.get(), wallMs() / 1000};
                  CognitoClaims claims;
                  CognitoRefusal refusal;
                  if (!validateCognitoToken(*token, **keys, check, claims, refusal)) {
                    t->note(refusal.reason);
                    t->note(refusal.message());
                    return answer(t, 401, nullptr, "", nullptr);
                  }
                  t->note("Successfully completed authorizer execution");
                  answer(t, 200, nullptr, "", &claims.claimsJson);
                });
}

// The simulated request of the call's body; error: a member of the wrong type.
Result<bool> readTestRequest(std::string_view body, TestRun& t) {
  if (body.empty()) return true;
  rapidjson::Document d;
  if (auto r = parseJson(body, d); !r) return Error{400, "Invalid request body: " + r.error().message};
  if (!d.IsObject()) return Error{400, "Invalid request body: expected a JSON object"};
  JsonReader r(d);
  StringMap headers, additional;
  std::string pathWithQuery;
  r.strMap("headers", headers);
  r.str("pathWithQueryString", pathWithQuery);
  r.str("body", t.body);
  r.strMap("stageVariables", t.stageVariables);
  r.strMap("additionalContext", additional);
  if (!r.ok()) return Error{400, r.error()};
  for (const auto& [k, v] : headers) t.headers.add(k, v);
  if (const rapidjson::Value* mv = r.object("multiValueHeaders")) {
    for (auto it = mv->MemberBegin(); it != mv->MemberEnd(); ++it) {
      if (!it->value.IsArray()) return Error{400, "multiValueHeaders." + std::string(it->name.GetString()) + " must be a list of strings"};
      for (const auto& v : it->value.GetArray()) {
        if (!v.IsString()) return Error{400, "multiValueHeaders." + std::string(it->name.GetString()) + " must be a list of strings"};
        if (!headers.count(it->name.GetString())) t.headers.add(it->name.GetString(), v.GetString());
      }
    }
  }
  if (!r.ok()) return Error{400, r.error()};
  if (!pathWithQuery.empty()) {
    size_t q = pathWithQuery.find('?');
    t.path = pathWithQuery.substr(0, q);
    if (t.path.empty() || t.path[0] != '/') t.path = "/" + t.path;
    if (q != std::string::npos) t.rawQuery = pathWithQuery.substr(q + 1);
    t.query = parseQueryParameters(t.rawQuery, PlusSign::kSpace);
  }
  return true;
}

}  // namespace

bool isTestInvokeAuthorizer(const http::Request& req) {
  if (req.method != "POST") return false;
  auto seg = splitSegments(req.path);
  return seg.size() == 4 && seg[0] == "restapis" && seg[2] == "authorizers";
}

void testInvokeAuthorizer(GatewayServer& gw, const http::RequestContextPtr& ctx) {
  const auto& req = ctx->request();
  auto seg = splitSegments(req.path);
  auto t = std::make_shared<TestRun>();
  t->gw = &gw;
  t->ctx = ctx;
  t->startNs = SystemClock::instance().nowNs();
  t->apiId = percentDecode(seg[1]);
  std::string authorizerId = percentDecode(seg[3]);
  auto fail = [&](const Error& e) {
    http::Response r = awsErrorFor(e.code, e.message);
    r.headers.set("x-amzn-RequestId", newAwsRequestId());
    ctx->respond(std::move(r));
  };
  std::optional<Error> missing;
  gw.restStore().read([&](const RestState& s) {
    const RestApi* api = nullptr;
    for (const auto& a : s.apis)
      if (a.id == t->apiId) api = &a;
    if (!api) return void(missing = apiNotFound(t->apiId));
    const RestAuthorizer* a = api->definitions.findAuthorizer(authorizerId);
    if (!a) return void(missing = Error{404, "Invalid Authorizer identifier specified 123456789012:" + t->apiId + "/" + authorizerId});
    t->authorizer = *a;
  });
  if (missing) return fail(*missing);
  if (auto r = readTestRequest(req.body, *t); !r) return fail(r.error());
  if (t->authorizer.type == "COGNITO_USER_POOLS") return runCognito(t);
  runLambda(t);
}

}  // namespace cdnlab::gateway
