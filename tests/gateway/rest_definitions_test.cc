// REST API definitions, pure parts: gateway responses (AWS's defaults, DEFAULT_4XX / DEFAULT_5XX
// fallbacks, status, header and template customisation), request validation (required parameters,
// draft-4 models with references between models, AWS-worded reasons, hostile schemas and bodies),
// Lambda authorizers (checks, identity sources, events, answers, policy evaluation), and the import
// of all of them from OpenAPI.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <atomic>
#include <thread>

#include "gateway/auth/rest_authorizer.h"
#include "gateway/rest/gateway_responses.h"
#include "gateway/rest/request_validation.h"
#include "gateway/rest/rest_definitions.h"
#include "gateway/rest/rest_import.h"
#include "gateway/rest/rest_json.h"

namespace cdnlab::gateway {
namespace {

std::string bodyOf(const http::Response& r) { return std::string(r.body.data(), r.body.size()); }

GatewayResponseMap compiled(std::map<std::string, RestGatewayResponse> m) {
  for (auto& [k, v] : m) v.responseType = k;
  auto c = compileGatewayResponses(m);
  EXPECT_TRUE(c) << (c ? "" : c.error().message);
  return c ? *c : GatewayResponseMap{};
}

TEST(GatewayResponses, DefaultsAreAwsAnswers) {
  auto r = renderGatewayResponse(nullptr, GatewayError{"MISSING_AUTHENTICATION_TOKEN", "Missing Authentication Token"}, {});
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(bodyOf(r), R"({"message":"Missing Authentication Token"})");
  EXPECT_EQ(r.headers.get("x-amzn-ErrorType").value_or(""), "MissingAuthenticationTokenException");
  auto n = renderGatewayResponse(nullptr, GatewayError{"AUTHORIZER_CONFIGURATION_ERROR", std::nullopt}, {});
  EXPECT_EQ(n.status, 500);
  EXPECT_EQ(bodyOf(n), R"({"message":null})");
  EXPECT_EQ(renderGatewayResponse(nullptr, GatewayError{"INTEGRATION_FAILURE", "Internal server error", 502}, {}).status, 502);
  EXPECT_EQ(renderGatewayResponse(nullptr, GatewayError{"UNAUTHORIZED", "Unauthorized"}, {}).status, 401);
  EXPECT_EQ(renderGatewayResponse(nullptr, GatewayError{"QUOTA_EXCEEDED", "Limit Exceeded"}, {}).status, 429);
}

TEST(GatewayResponses, TypeThenFallbackThenDefault) {
  RestGatewayResponse d4, token;
  d4.statusCode = "418";
  d4.responseParameters = {{"gatewayresponse.header.x-class", "'4xx'"}};
  d4.responseTemplates = {{"application/json", R"({"fallback":$context.error.messageString,"type":"$context.error.responseType"})"}};
  token.statusCode = "404";
  token.responseParameters = {{"gatewayresponse.header.x-path", "method.request.path.id"},
                              {"gatewayresponse.header.x-class", "'own'"}};
  token.responseTemplates = {{"application/json", R"({"msg":"$context.error.message","id":"$context.requestId"})"}};
  auto custom = compiled({{"DEFAULT_4XX", d4}, {"MISSING_AUTHENTICATION_TOKEN", token}});
  GatewayResponseInputs in;
  in.context = vtl::Value::map();
  in.context.asMap().put("requestId", vtl::Value("rid-1"));
  in.source = [](std::string_view s) -> std::optional<std::string> {
    if (s == "method.request.path.id") return std::string("7");
    return std::nullopt;
  };
  auto r = renderGatewayResponse(&custom, GatewayError{"MISSING_AUTHENTICATION_TOKEN", "Missing Authentication Token"}, in);
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(bodyOf(r), R"({"msg":"Missing Authentication Token","id":"rid-1"})");
  EXPECT_EQ(r.headers.get("x-path").value_or(""), "7");
  EXPECT_EQ(r.headers.get("x-class").value_or(""), "own");  // the type's parameters win over the fallback's
  // Not customised, a 4xx type takes DEFAULT_4XX's status, headers and template.
  auto f = renderGatewayResponse(&custom, GatewayError{"INVALID_API_KEY", "Forbidden"}, in);
  EXPECT_EQ(f.status, 418);
  EXPECT_EQ(bodyOf(f), R"({"fallback":"Forbidden","type":"INVALID_API_KEY"})");
  EXPECT_EQ(f.headers.get("x-class").value_or(""), "4xx");
  // A 5xx type is not touched by DEFAULT_4XX.
  auto five = renderGatewayResponse(&custom, GatewayError{"API_CONFIGURATION_ERROR", "Internal server error"}, in);
  EXPECT_EQ(five.status, 500);
  EXPECT_EQ(bodyOf(five), R"({"message":"Internal server error"})");
}

TEST(GatewayResponses, BadCustomisationsAreRefused) {
  RestGatewayResponse g;
  EXPECT_FALSE(compileGatewayResponses({{"NOT_A_TYPE", g}}));
  g.statusCode = "99";
  EXPECT_FALSE(compileGatewayResponses({{"THROTTLED", g}}));
  g.statusCode = "";
  g.responseParameters = {{"method.response.header.x", "'a'"}};
  EXPECT_FALSE(compileGatewayResponses({{"THROTTLED", g}}));
  g.responseParameters = {};
  g.responseTemplates = {{"application/json", "#macro(x)#end"}};
  auto c = compileGatewayResponses({{"THROTTLED", g}});
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message.find("THROTTLED"), std::string::npos);
}

TEST(GatewayResponses, HeaderValuesFromRequestsStayOneField) {
  RestGatewayResponse g;
  g.responseParameters = {{"gatewayresponse.header.x-echo", "method.request.header.x-in"}};
  auto custom = compiled({{"UNAUTHORIZED", g}});
  GatewayResponseInputs in;
  in.source = [](std::string_view) -> std::optional<std::string> { return std::string("a\r\nSet-Cookie: x=1"); };
  auto r = renderGatewayResponse(&custom, GatewayError{"UNAUTHORIZED", "Unauthorized"}, in);
  EXPECT_FALSE(r.headers.get("x-echo"));
  EXPECT_FALSE(r.headers.get("set-cookie"));
}

RestModelSchema model(std::string name, std::string schema) {
  RestModelSchema m;
  m.name = std::move(name);
  m.schema = std::move(schema);
  return m;
}

TEST(RequestValidation, BodiesAgainstDraft4ModelsWithReferences) {
  auto models = compileModels(
      {model("Tag", R"({"type":"string","minLength":2,"maxLength":5,"pattern":"^[a-z]+$"})"),
       model("Item", R"({"type":"object","required":["id","price"],"additionalProperties":false,
          "properties":{"id":{"type":"string"},"price":{"type":"number","minimum":0,"maximum":100},
          "kind":{"enum":["a","b"]},"tags":{"type":"array","items":{"$ref":"#/definitions/Tag"}},
          "next":{"$ref":"https://apigateway.amazonaws.com/restapis/abc/models/Tag"}}})")});
  ASSERT_TRUE(models) << models.error().message;
  const CompiledModel& item = *models->at("Item");
  EXPECT_FALSE(validateBody(item, R"({"id":"1","price":5,"tags":["ab"],"next":"xyz"})"));
  EXPECT_EQ(validateBody(item, R"({"id":"1"})").value_or(""), R"([object has missing required properties (["price"])])");
  EXPECT_EQ(validateBody(item, R"({"id":1,"price":1})").value_or(""),
            R"([instance type (integer) does not match any allowed primitive type (allowed: ["string"]) at /id])");
  EXPECT_EQ(validateBody(item, R"({"id":"1","price":-1})").value_or(""),
            "[numeric instance is lower than the required minimum (minimum: 0, found: -1) at /price]");
  EXPECT_NE(validateBody(item, R"({"id":"1","price":101})").value_or("").find("maximum"), std::string::npos);
  EXPECT_NE(validateBody(item, R"({"id":"1","price":1,"kind":"c"})").value_or("").find("not found in enum"), std::string::npos);
  EXPECT_NE(validateBody(item, R"({"id":"1","price":1,"tags":["a"]})").value_or("").find("too short"), std::string::npos);
  EXPECT_NE(validateBody(item, R"({"id":"1","price":1,"tags":["ABC"]})").value_or("").find("regex"), std::string::npos);
  EXPECT_NE(validateBody(item, R"({"id":"1","price":1,"next":"toolong"})").value_or("").find("too long"), std::string::npos);
  EXPECT_EQ(validateBody(item, R"({"id":"1","price":1,"x":2})").value_or(""),
            R"([object instance has properties which are not allowed by the schema: ["x"]])");
  EXPECT_NE(validateBody(item, "{not json").value_or("").find("Invalid JSON"), std::string::npos);
  EXPECT_NE(validateBody(item, R"({"id":"1","price":1} trailing)").value_or("").find("Invalid JSON"), std::string::npos);
}

TEST(RequestValidation, HostileSchemasAndBodies) {
  EXPECT_FALSE(compileModels({model("Loop", R"({"$ref":"#"})")}));
  EXPECT_FALSE(compileModels({model("A", R"({"$ref":"#/definitions/B"})"), model("B", R"({"$ref":"#/definitions/A"})")}));
  EXPECT_FALSE(compileModels({model("Bad", "[1,2]")}));
  EXPECT_FALSE(compileModels({model("Bad", "{")}));
  std::string deep(200, '[');
  EXPECT_FALSE(checkModelSchema("Deep", R"({"items":)" + std::string(100, '[') + std::string(100, ']') + "}"));
  // A recursive (but well-founded) schema: bodies nested up to the limit validate; deeper ones
  // (here 100 000 levels: no stack overflow, no quadratic work) are refused before validation.
  auto tree = compileModels({model("Tree", R"({"type":"array","items":{"$ref":"#"}})")});
  ASSERT_TRUE(tree) << tree.error().message;
  EXPECT_FALSE(validateBody(*tree->at("Tree"), std::string(90, '[') + std::string(90, ']')));
  EXPECT_TRUE(validateBody(*tree->at("Tree"), std::string(90, '[') + "1" + std::string(90, ']')));
  std::string body(100000, '[');
  body += std::string(100000, ']');
  EXPECT_EQ(validateBody(*tree->at("Tree"), body).value_or(""), "[JSON nested deeper than 100 levels]");
  // Brackets inside strings do not count (the answer is the schema's type rule, not the depth).
  auto inString = validateBody(*tree->at("Tree"), "[\"" + std::string(200, '[') + "\\\"\"]");
  EXPECT_NE(inString.value_or("").find("instance type (string)"), std::string::npos) << inString.value_or("");
}

TEST(RequestValidation, MissingRequiredParameters) {
  std::map<std::string, bool> params{{"method.request.querystring.q", true},
                                     {"method.request.header.x-h", true},
                                     {"method.request.querystring.opt", false}};
  auto missing = missingRequiredParameters(params, [](std::string_view n) { return n == "method.request.header.x-h"; });
  EXPECT_EQ(missing, std::vector<std::string>{"q"});
  EXPECT_EQ(missingParametersMessage({"q", "x-h"}), "Missing required request parameters: [q, x-h]");
}

RestAuthorizer tokenAuthorizer() {
  RestAuthorizer a;
  a.id = "az1";
  a.name = "tok";
  a.type = "TOKEN";
  a.authorizerUri = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:1:function:auth/invocations";
  a.identitySource = "method.request.header.Authorization";
  return a;
}

TEST(RestAuthorizers, DefinitionsAreChecked) {
  EXPECT_TRUE(checkRestAuthorizer(tokenAuthorizer()));
  auto a = tokenAuthorizer();
  a.identitySource = "method.request.querystring.t";
  EXPECT_FALSE(checkRestAuthorizer(a));
  a = tokenAuthorizer();
  a.authorizerResultTtlInSeconds = 3601;
  EXPECT_FALSE(checkRestAuthorizer(a));
  a = tokenAuthorizer();
  a.identityValidationExpression = "([";
  EXPECT_FALSE(checkRestAuthorizer(a));
  a = tokenAuthorizer();
  a.authorizerUri = "arn:aws:lambda:us-east-1:1:function:auth";
  EXPECT_FALSE(checkRestAuthorizer(a));
  a = tokenAuthorizer();
  a.type = "REQUEST";
  a.identitySource = "method.request.header.a, method.request.querystring.b,stageVariables.c, context.stage";
  EXPECT_TRUE(checkRestAuthorizer(a));
  EXPECT_EQ(splitIdentitySources(a.identitySource).size(), 4u);
  a.identitySource = "$request.header.a";
  EXPECT_FALSE(checkRestAuthorizer(a));
}

TEST(RestAuthorizers, IdentitySources) {
  http::Headers h;
  h.add("Authorization", "tok");
  QueryParameters q{{"b", {"2", "second"}}};  // a name's first value counts
  RestStringMap vars{{"c", "3"}};
  RestIdentityInputs in{&h, &q, &vars, [](std::string_view n) { return n == "stage" ? std::string("prod") : std::string(); }};
  auto v = resolveRestIdentity({"method.request.header.authorization", "method.request.querystring.b", "stageVariables.c", "context.stage"}, in);
  ASSERT_TRUE(v);
  EXPECT_EQ(*v, (std::vector<std::string>{"tok", "2", "3", "prod"}));
  EXPECT_FALSE(resolveRestIdentity({"method.request.header.x-missing"}, in));
  EXPECT_FALSE(resolveRestIdentity({"context.nothing"}, in));
}

TEST(RestAuthorizers, EventsAsAwsDocumentsThem) {
  rapidjson::Document t;
  t.Parse(buildTokenAuthorizerEvent("Bearer x", "arn:aws:execute-api:us-east-1:1:api/prod/GET/items/7").c_str());
  EXPECT_STREQ(t["type"].GetString(), "TOKEN");
  EXPECT_STREQ(t["authorizationToken"].GetString(), "Bearer x");
  EXPECT_STREQ(t["methodArn"].GetString(), "arn:aws:execute-api:us-east-1:1:api/prod/GET/items/7");
  EXPECT_EQ(t.MemberCount(), 3u);
  rapidjson::Document r;
  r.Parse(buildRequestAuthorizerEvent(R"({"resource":"/items/{id}","path":"/items/7","body":"x","isBase64Encoded":false,"headers":{"a":"1"}})",
                                      "arn:x")
              .c_str());
  EXPECT_STREQ(r["type"].GetString(), "REQUEST");
  EXPECT_STREQ(r["methodArn"].GetString(), "arn:x");
  EXPECT_STREQ(r["resource"].GetString(), "/items/{id}");
  EXPECT_FALSE(r.HasMember("body"));
  EXPECT_FALSE(r.HasMember("isBase64Encoded"));
}

TEST(RestAuthorizers, AnswersAndPolicies) {
  std::string arn = "arn:aws:execute-api:us-east-1:1:api/prod/GET/items/7";
  auto a = readRestAuthorizerAnswer(R"({"principalId":"u1","usageIdentifierKey":"k123",
      "policyDocument":{"Version":"2012-10-17","Statement":[
        {"Action":"execute-api:Invoke","Effect":"Allow","Resource":"arn:aws:execute-api:us-east-1:1:api/*/GET/*"},
        {"Action":"execute-api:*","Effect":"Deny","Resource":["arn:aws:execute-api:us-east-1:1:api/prod/GET/items/secret"]}]},
      "context":{"who":"ann","n":3,"ok":true}})");
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ(a->usageIdentifierKey, "k123");
  EXPECT_EQ(evaluatePolicy(*a, arn), PolicyDecision::Allow);
  EXPECT_EQ(evaluatePolicy(*a, "arn:aws:execute-api:us-east-1:1:api/prod/GET/items/secret"), PolicyDecision::ExplicitDeny);
  EXPECT_EQ(evaluatePolicy(*a, "arn:aws:execute-api:us-east-1:1:api/prod/POST/items"), PolicyDecision::NotAllowed);
  vtl::Value ctx = authorizerContextValue(*a);
  EXPECT_EQ(vtl::toText(*ctx.asMap().find("principalId")), "u1");
  EXPECT_EQ(vtl::toText(*ctx.asMap().find("who")), "ann");
  EXPECT_EQ(ctx.asMap().find("n")->asInt(), 3);
  EXPECT_FALSE(readRestAuthorizerAnswer(R"({"isAuthorized":true})"));
  EXPECT_FALSE(readRestAuthorizerAnswer(R"({"principalId":"u","policyDocument":{"Statement":[]},"context":{"o":{"x":1}}})"));
  EXPECT_FALSE(readRestAuthorizerAnswer("not json"));
  EXPECT_FALSE(readRestAuthorizerAnswer(R"({"principalId":"u","policyDocument":{"Statement":[{"Effect":"Maybe","Action":"*","Resource":"*"}]}})"));
}

const char* kOpenApi = R"Y(openapi: 3.0.1
info: {title: defs, version: "1"}
x-amazon-apigateway-request-validators:
  all: {validateRequestBody: true, validateRequestParameters: true}
  params: {validateRequestBody: false, validateRequestParameters: true}
x-amazon-apigateway-request-validator: params
x-amazon-apigateway-gateway-responses:
  MISSING_AUTHENTICATION_TOKEN:
    statusCode: 404
    responseParameters: {gatewayresponse.header.x-why: "'no route'"}
    responseTemplates: {application/json: '{"error": $context.error.messageString}'}
components:
  securitySchemes:
    tok:
      type: apiKey
      name: Authorization
      in: header
      x-amazon-apigateway-authtype: custom
      x-amazon-apigateway-authorizer:
        type: token
        authorizerUri: arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:1:function:auth/invocations
        authorizerResultTtlInSeconds: 60
        identityValidationExpression: "^Bearer .+$"
    sig: {type: apiKey, name: Authorization, in: header, x-amazon-apigateway-authtype: awsSigv4}
  schemas:
    Item:
      type: object
      required: [id]
      properties: {id: {type: string}, price: {type: number, minimum: 0}, tag: {$ref: "#/components/schemas/Tag"}}
    Tag: {type: string, enum: [a, "true"]}
paths:
  /items:
    post:
      security: [{tok: []}]
      x-amazon-apigateway-request-validator: all
      requestBody: {content: {application/json: {schema: {$ref: "#/components/schemas/Item"}}}}
      parameters: [{name: q, in: query, required: true}]
      x-amazon-apigateway-integration: {type: mock}
    get:
      security: [{sig: []}]
      requestBody: {content: {application/json: {schema: {type: object, properties: {n: {type: integer}}}}}}
      x-amazon-apigateway-integration: {type: mock}
)Y";

TEST(RestImportDefinitions, AuthorizersValidatorsModelsGatewayResponses) {
  auto api = importRestApi(kOpenApi, "api.yaml");
  ASSERT_TRUE(api) << api.error().message;
  const auto& d = api->definitions;
  ASSERT_EQ(d.authorizers.size(), 1u);
  EXPECT_EQ(d.authorizers[0].name, "tok");
  EXPECT_EQ(d.authorizers[0].type, "TOKEN");
  EXPECT_EQ(d.authorizers[0].identitySource, "method.request.header.Authorization");
  EXPECT_EQ(d.authorizers[0].authorizerResultTtlInSeconds, 60);
  EXPECT_EQ(d.authorizers[0].authType, "custom");
  EXPECT_EQ(d.requestValidators.size(), 2u);
  EXPECT_TRUE(d.findModel("Item") && d.findModel("Tag") && d.findModel("Empty") && d.findModel("Error"));
  EXPECT_EQ(d.findModel("Tag")->schema, R"({"type":"string","enum":["a","true"]})");
  ASSERT_EQ(d.gatewayResponses.count("MISSING_AUTHENTICATION_TOKEN"), 1u);
  EXPECT_EQ(d.gatewayResponses.at("MISSING_AUTHENTICATION_TOKEN").statusCode, "404");
  const RestResource* items = nullptr;
  for (const auto& r : api->resources)
    if (r.path == "/items") items = &r;
  ASSERT_TRUE(items);
  const RestMethod& post = items->methods.at("POST");
  EXPECT_EQ(post.authorizationType, "CUSTOM");
  EXPECT_EQ(post.authorizerId, d.authorizers[0].id);
  EXPECT_EQ(d.findValidator(post.requestValidatorId)->name, "all");
  EXPECT_EQ(post.requestModels.at("application/json"), "Item");
  const RestMethod& get = items->methods.at("GET");
  EXPECT_EQ(get.authorizationType, "AWS_IAM");
  EXPECT_EQ(d.findValidator(get.requestValidatorId)->name, "params");  // the document's default
  ASSERT_TRUE(d.findModel(get.requestModels.at("application/json")));  // the inline schema became a model
  // Everything binds: the compiled definitions give the method its authorizer, validator and model.
  auto cd = compileDefinitions(d);
  ASSERT_TRUE(cd) << cd.error().message;
  auto b = bindMethod(post, d, *cd);
  ASSERT_TRUE(b) << b.error().message;
  EXPECT_TRUE(b->authorizer && b->authorizer->tokenPattern);
  EXPECT_TRUE(b->validateBody && b->validateParameters);
  EXPECT_TRUE(validateBody(*b->bodyModels.at("application/json"), R"({"id":"1","tag":"b"})"));
  EXPECT_FALSE(validateBody(*b->bodyModels.at("application/json"), R"({"id":"1","tag":"a"})"));
}

TEST(RestImportDefinitions, ErrorsNameLineAndPath) {
  std::string bad = kOpenApi;
  bad.replace(bad.find("x-amazon-apigateway-request-validator: all"), 42, "x-amazon-apigateway-request-validator: none");
  auto api = importRestApi(bad, "api.yaml");
  ASSERT_FALSE(api);
  EXPECT_NE(api.error().message.find("api.yaml:35: paths./items.post.x-amazon-apigateway-request-validator: no validator named 'none'"),
            std::string::npos)
      << api.error().message;
  std::string badType = kOpenApi;
  badType.replace(badType.find("MISSING_AUTHENTICATION_TOKEN:"), 29, "NO_SUCH_TYPE:");
  auto t = importRestApi(badType, "api.yaml");
  ASSERT_FALSE(t);
  EXPECT_NE(t.error().message.find("x-amazon-apigateway-gateway-responses.NO_SUCH_TYPE: unknown gateway response type"),
            std::string::npos)
      << t.error().message;
  std::string badRef = kOpenApi;
  badRef.replace(badRef.find("#/components/schemas/Item"), 25, "#/components/schemas/Nope");
  EXPECT_FALSE(importRestApi(badRef, "api.yaml"));
}

}  // namespace
}  // namespace cdnlab::gateway

namespace cdnlab::gateway {
namespace {

// The definitions survive a restart: the persisted state reads back what was written, for the API
// and for each deployment's frozen copy.
TEST(RestDefinitionsState, PersistedAndReadBack) {
  auto api = importRestApi(kOpenApi, "api.yaml");
  ASSERT_TRUE(api) << api.error().message;
  RestDeployment d;
  d.id = "dep1";
  d.resources = api->resources;
  d.definitions = api->definitions;
  api->id = "api1";
  api->deployments.push_back(d);
  RestState s;
  s.apis.push_back(*api);
  std::string text = writeRestState(s);
  auto back = readRestState(text);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(writeRestState(*back), text);
  const RestApiDefinitions& got = back->apis[0].deployments[0].definitions;
  EXPECT_EQ(got.authorizers.size(), 1u);
  EXPECT_EQ(got.authorizers[0].identityValidationExpression, "^Bearer .+$");
  EXPECT_EQ(got.requestValidators.size(), 2u);
  EXPECT_EQ(got.gatewayResponses.at("MISSING_AUTHENTICATION_TOKEN").responseParameters.at("gatewayresponse.header.x-why"), "'no route'");
  EXPECT_EQ(got.findModel("Item")->schema, api->definitions.findModel("Item")->schema);
  for (const auto& r : back->apis[0].resources) {
    if (r.path == "/items") {
      EXPECT_EQ(r.methods.at("POST").requestModels.at("application/json"), "Item");
    }
  }
}

}  // namespace
}  // namespace cdnlab::gateway

namespace cdnlab::gateway {
namespace {

// Workers validate against one shared model at once; `pattern` keeps match state in the compiled
// schema, so this would race (and answer wrongly) without the model's lock. Run under TSan too.
TEST(RequestValidation, OneModelFromManyThreads) {
  auto models = compileModels({model("Code", R"({"type":"string","pattern":"^[a-z]+[0-9]+$"})")});
  ASSERT_TRUE(models);
  const CompiledModel& m = *models->at("Code");
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 2000; ++i) {
        bool good = (i + t) % 2 == 0;
        bool refused = validateBody(m, good ? R"("abc123")" : R"("123abc")").has_value();
        if (refused == good) wrong.fetch_add(1);
      }
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(wrong.load(), 0);
}

}  // namespace
}  // namespace cdnlab::gateway
