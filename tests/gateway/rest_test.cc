// REST APIs, pure parts: Swagger / OpenAPI import into a resource tree, resource matching
// (literal > {param} > {proxy+}, method > ANY), template choice under passthrough behaviors,
// integration response selection, AWS integration URIs, usage plan periods, the stage cache.
#include <gtest/gtest.h>

#include "gateway/integrations/aws_service.h"
#include "gateway/rest/rest_import.h"
#include "gateway/rest/rest_json.h"
#include "gateway/rest/rest_routing.h"
#include "gateway/rest/stage_cache.h"
#include "gateway/rest/usage_plans.h"

namespace cdnlab::gateway {
namespace {

const char* kSwagger = R"Y(swagger: "2.0"
info: {title: shop, version: "1"}
x-amazon-apigateway-binary-media-types: [image/png]
securityDefinitions:
  key: {type: apiKey, name: x-api-key, in: header}
paths:
  /items/{id}:
    get:
      security: [{key: []}]
      parameters: [{name: id, in: path, required: true}]
      responses: {"200": {description: ok, headers: {x-a: {type: string}}}}
      x-amazon-apigateway-integration:
        type: aws
        httpMethod: POST
        uri: arn:aws:apigateway:us-east-1:dynamodb:action/GetItem
        requestTemplates: {application/json: '{"Key": "$input.params(''id'')"}'}
        responses:
          "4\\d{2}": {statusCode: "400"}
          default: {statusCode: "200"}
  /items/special:
    x-amazon-apigateway-any-method:
      x-amazon-apigateway-integration: {type: mock}
  /{proxy+}:
    get:
      x-amazon-apigateway-integration: {type: mock, passthroughBehavior: never, requestTemplates: {text/plain: 'x'}}
)Y";

CompiledRestStage stageOf(const RestApi& api) {
  CompiledRestStage st;
  st.name = "prod";
  for (const auto& r : api.resources) {
    CompiledResource cr;
    cr.id = r.id;
    cr.path = r.path;
    size_t i = 1;
    while (i < r.path.size()) {
      size_t j = r.path.find('/', i);
      if (j == std::string::npos) j = r.path.size();
      cr.segments.push_back(r.path.substr(i, j - i));
      i = j + 1;
    }
    for (const auto& [name, m] : r.methods) cr.methods.emplace(name, compileMethod(m).value());
    st.resources.push_back(std::move(cr));
  }
  return st;
}

TEST(RestImport, SwaggerBuildsTheResourceTree) {
  auto api = importRestApi(kSwagger, "api.yaml");
  ASSERT_TRUE(api.ok()) << api.error().message;
  EXPECT_EQ(api->name, "shop");
  EXPECT_EQ(api->binaryMediaTypes, std::vector<std::string>{"image/png"});
  std::map<std::string, const RestResource*> byPath;
  for (const auto& r : api->resources) byPath[r.path] = &r;
  ASSERT_EQ(byPath.size(), 5u);  // /, /items, /items/{id}, /items/special, /{proxy+}
  EXPECT_EQ(byPath["/items/{id}"]->parentId, byPath["/items"]->id);
  EXPECT_EQ(byPath["/items"]->parentId, api->rootResourceId);
  const RestMethod& get = byPath["/items/{id}"]->methods.at("GET");
  EXPECT_TRUE(get.apiKeyRequired);
  EXPECT_TRUE(get.requestParameters.at("method.request.path.id"));
  EXPECT_FALSE(get.methodResponses.at("200").responseParameters.at("method.response.header.x-a"));
  ASSERT_TRUE(get.integration);
  EXPECT_EQ(get.integration->type, "AWS");
  EXPECT_EQ(get.integration->integrationResponses.at("400").selectionPattern, "4\\d{2}");
  EXPECT_EQ(get.integration->integrationResponses.at("200").selectionPattern, "");
  EXPECT_TRUE(byPath["/items/special"]->methods.count("ANY"));
}

TEST(RestImport, RefusesWithLineAndPath) {
  auto bad = importRestApi("openapi: 3.0.1\ninfo: {title: t}\npaths:\n  /a:\n    get:\n      x-amazon-apigateway-integration:\n"
                           "        type: lambda\n",
                           "api.yaml");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message,
            "api.yaml:7: paths./a.get.x-amazon-apigateway-integration.type: unknown integration type 'lambda' "
            "(aws, aws_proxy, http, http_proxy, mock)");
  auto tpl = importRestApi("openapi: 3.0.1\ninfo: {title: t}\npaths:\n  /a:\n    get:\n      x-amazon-apigateway-integration:\n"
                           "        type: mock\n        requestTemplates:\n          application/json: \"#macro(x)\"\n",
                           "api.yaml");
  ASSERT_FALSE(tpl.ok());
  EXPECT_EQ(tpl.error().message,
            "api.yaml:9: paths./a.get.x-amazon-apigateway-integration.requestTemplates.application/json: "
            "application/json:1:1: #macro is not supported in mapping templates");
  EXPECT_FALSE(importRestApi("{not: [yaml", "x").ok());
  EXPECT_FALSE(importRestApi("openapi: 3.0.1\ninfo: {title: t}\npaths:\n  /a/{p+}/b: {}\n", "x").ok());
}

TEST(RestRouting, MostSpecificResourceAndMethod) {
  auto api = importRestApi(kSwagger, "api.yaml");
  ASSERT_TRUE(api.ok());
  CompiledRestStage st = stageOf(*api);
  auto m = matchResource(st, "GET", "/items/special");
  ASSERT_TRUE(m.method);
  EXPECT_EQ(m.resource->path, "/items/special");  // literal beats {id}; ANY serves GET
  m = matchResource(st, "GET", "/items/7");
  ASSERT_TRUE(m.method);
  EXPECT_EQ(m.resource->path, "/items/{id}");
  EXPECT_EQ(m.pathParameters, (std::vector<std::pair<std::string, std::string>>{{"id", "7"}}));
  m = matchResource(st, "POST", "/items/7");
  EXPECT_TRUE(m.resource);
  EXPECT_FALSE(m.method);  // the path exists, POST does not: Missing Authentication Token
  m = matchResource(st, "GET", "/a/b%20c/d");
  ASSERT_TRUE(m.method);
  EXPECT_EQ(m.resource->path, "/{proxy+}");
  EXPECT_EQ(m.pathParameters[0].second, "a/b c/d");
  EXPECT_FALSE(matchResource(st, "GET", "/").method);  // {proxy+} needs a segment; / has no method
  m = matchResource(st, "GET", "/items/7/");  // a trailing slash is one more (empty) segment
  ASSERT_TRUE(m.resource);
  EXPECT_EQ(m.resource->path, "/{proxy+}");
}

TEST(RestRouting, TemplatesAndResponses) {
  auto api = importRestApi(kSwagger, "api.yaml");
  ASSERT_TRUE(api.ok());
  CompiledRestStage st = stageOf(*api);
  const CompiledRestMethod& get = *matchResource(st, "GET", "/items/7").method;
  EXPECT_EQ(chooseRequestTemplate(get, "").kind, TemplateChoice::Kind::Render);
  EXPECT_EQ(chooseRequestTemplate(get, "Application/JSON; charset=utf-8").kind, TemplateChoice::Kind::Render);
  EXPECT_EQ(chooseRequestTemplate(get, "text/csv").kind, TemplateChoice::Kind::Passthrough);  // WHEN_NO_MATCH
  const CompiledRestMethod& proxy = *matchResource(st, "GET", "/x").method;
  EXPECT_EQ(chooseRequestTemplate(proxy, "application/json").kind, TemplateChoice::Kind::Unsupported);  // NEVER
  EXPECT_EQ(selectIntegrationResponse(get, "404")->config.statusCode, "400");
  EXPECT_EQ(selectIntegrationResponse(get, "200")->config.statusCode, "200");
  EXPECT_EQ(selectIntegrationResponse(get, "5000")->config.statusCode, "200");  // patterns match the whole selector
}

TEST(RestModel, StateRoundTrips) {
  auto api = importRestApi(kSwagger, "api.yaml");
  ASSERT_TRUE(api.ok());
  RestState s;
  api->id = "abc";
  RestStage stage;
  stage.stageName = "prod";
  stage.cacheClusterEnabled = true;
  stage.methodSettings["*/*"].cachingEnabled = true;
  api->stages.push_back(stage);
  s.apis.push_back(*api);
  UsagePlan p;
  p.id = "p1";
  p.name = "gold";
  p.quotaLimit = 5;
  p.quotaPeriod = "WEEK";
  p.rateLimit = 2.5;
  p.keyIds = {"k1"};
  s.usagePlans.push_back(p);
  auto back = readRestState(writeRestState(s));
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(writeRestState(*back), writeRestState(s));
}

TEST(AwsServiceUri, ParsesActionAndPathForms) {
  auto t = parseAwsIntegrationUri("arn:aws:apigateway:eu-west-1:dynamodb:action/Query");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->region, "eu-west-1");
  EXPECT_EQ(t->service, "dynamodb");
  EXPECT_EQ(t->action, "Query");
  auto l = parseAwsIntegrationUri("arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/f/invocations");
  ASSERT_TRUE(l.ok());
  EXPECT_EQ(l->path, "2015-03-31/functions/f/invocations");
  EXPECT_FALSE(parseAwsIntegrationUri("arn:aws:lambda:us-east-1:1:function:f").ok());
  EXPECT_FALSE(parseAwsIntegrationUri("arn:aws:apigateway:us-east-1:dynamodb:GetItem").ok());
  EXPECT_TRUE(isDynamoDbAction("UpdateItem"));
  EXPECT_FALSE(isDynamoDbAction("CreateTable"));
  // Signed requests carry the SigV4 Authorization header over the four signed headers.
  auto cr = dynamoDbRequest("127.0.0.1", 8000, "GetItem", "{}", "us-east-1", auth::Credential{"AK", "SK"}, 1700000000);
  auto a = cr.headers.get("authorization");
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->rfind("AWS4-HMAC-SHA256 Credential=AK/20231114/us-east-1/dynamodb/aws4_request, "
                     "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=", 0),
            0u);
  EXPECT_EQ(*cr.headers.get("x-amz-target"), "DynamoDB_20120810.GetItem");
}

TEST(UsagePlans, QuotaPeriodsAndAdmission) {
  // 2024-03-14 (a Thursday) 15:00 UTC.
  int64_t now = 1710428400000;
  EXPECT_EQ(utcDay(quotaPeriodStartMs("DAY", 0, now)), "2024-03-14");
  EXPECT_EQ(utcDay(quotaPeriodStartMs("WEEK", 0, now)), "2024-03-10");  // Sunday
  EXPECT_EQ(utcDay(quotaPeriodStartMs("WEEK", 5, now)), "2024-03-08");  // Friday before
  EXPECT_EQ(utcDay(quotaPeriodStartMs("MONTH", 0, now)), "2024-03-01");
  EXPECT_EQ(utcDay(quotaPeriodStartMs("MONTH", 20, now)), "2024-02-21");
  UsagePlan p;
  p.id = "p";
  p.quotaLimit = 2;
  p.quotaPeriod = "DAY";
  UsageTracker t;
  EXPECT_EQ(t.admit(p, "k", now, 0), UsageVerdict::Admitted);
  EXPECT_EQ(t.admit(p, "k", now, 0), UsageVerdict::Admitted);
  EXPECT_EQ(t.admit(p, "k", now, 0), UsageVerdict::QuotaExceeded);
  EXPECT_EQ(t.admit(p, "other", now, 0), UsageVerdict::Admitted);            // per key
  EXPECT_EQ(t.admit(p, "k", now + 86400000, 0), UsageVerdict::Admitted);     // the next day
  auto u = t.usage(p, "k", "2024-03-14", "2024-03-15");
  ASSERT_EQ(u.size(), 2u);
  EXPECT_EQ(u[0], (std::pair<int64_t, int64_t>{2, 0}));
  EXPECT_EQ(u[1], (std::pair<int64_t, int64_t>{1, 1}));
  UsagePlan thr;
  thr.id = "t";
  thr.rateLimit = 1;
  thr.burstLimit = 1;
  EXPECT_EQ(t.admit(thr, "k", now, 0), UsageVerdict::Admitted);
  EXPECT_EQ(t.admit(thr, "k", now, 1000), UsageVerdict::Throttled);
  EXPECT_EQ(t.admit(thr, "k", now, 1000000000), UsageVerdict::Admitted);  // refilled after 1 s
}

TEST(StageCacheTest, TtlCapacityAndCounters) {
  StageCache c(1 << 20);
  EXPECT_FALSE(c.get("a", 0));
  c.put("a", CachedAnswer{200, {{"content-type", "application/json"}}, "{}"}, 300, 0);
  ASSERT_TRUE(c.get("a", 299'000'000'000LL));
  EXPECT_FALSE(c.get("a", 300'000'000'000LL));  // expired
  EXPECT_EQ(c.hits(), 1u);
  EXPECT_EQ(c.misses(), 2u);
  for (int i = 0; i < 100; ++i) c.put("k" + std::to_string(i), CachedAnswer{200, {}, std::string(50000, 'x')}, 300, i);
  EXPECT_LE(c.bytes(), uint64_t{1} << 20);
  c.flush();
  EXPECT_EQ(c.bytes(), 0u);
}

}  // namespace
}  // namespace cdnlab::gateway
