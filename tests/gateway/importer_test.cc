// OpenAPI import: routes and integrations from x-amazon-apigateway-integration, and errors that
// name the source, line and path.
#include "gateway/openapi/importer.h"

#include <gtest/gtest.h>

namespace cdnlab::gateway {
namespace {

TEST(Importer, RoutesAndIntegrations) {
  const char* doc = R"(openapi: 3.0.1
info: {title: shop, version: "1"}
paths:
  /items/{id}:
    get:
      x-amazon-apigateway-integration:
        type: aws_proxy
        uri: arn:aws:lambda:us-east-1:123456789012:function:items
        payloadFormatVersion: "1.0"
    x-amazon-apigateway-any-method:
      x-amazon-apigateway-integration: {type: http_proxy, uri: "http://127.0.0.1:9/x/{id}", httpMethod: GET}
  $default:
    x-amazon-apigateway-any-method:
      x-amazon-apigateway-integration: {type: mock, responses: {default: {statusCode: "418"}}}
)";
  auto api = importOpenApi(doc, "api.yaml");
  ASSERT_TRUE(api.ok()) << api.error().message;
  EXPECT_EQ(api->name, "shop");
  ASSERT_EQ(api->routes.size(), 3u);
  EXPECT_EQ(api->routes[0].routeKey, "GET /items/{id}");
  EXPECT_EQ(api->routes[1].routeKey, "ANY /items/{id}");
  EXPECT_EQ(api->routes[2].routeKey, "$default");
  ASSERT_EQ(api->integrations.size(), 3u);
  EXPECT_EQ(api->integrations[0].type, "AWS_PROXY");
  EXPECT_EQ(api->integrations[0].payloadFormatVersion, "1.0");
  EXPECT_EQ(api->integrations[1].type, "HTTP_PROXY");
  EXPECT_EQ(api->integrations[1].method, "GET");
  EXPECT_EQ(api->integrations[2].mock.statusCode, 418);
}

TEST(Importer, JsonBodyToo) {
  auto api = importOpenApi(R"({"openapi":"3.0.1","info":{"title":"j"},"paths":{"/a":{"get":{}}}})", "body");
  ASSERT_TRUE(api.ok()) << api.error().message;
  EXPECT_EQ(api->routes.size(), 1u);
  EXPECT_TRUE(api->routes[0].target.empty());
}

TEST(Importer, UnknownIntegrationTypeNamesLineAndPath) {
  const char* doc = "openapi: 3.0.1\ninfo: {title: t}\npaths:\n  /a:\n    get:\n      x-amazon-apigateway-integration:\n        type: lambda\n";
  auto api = importOpenApi(doc, "api.yaml");
  ASSERT_FALSE(api.ok());
  EXPECT_EQ(api.error().message,
            "api.yaml:7: paths./a.get.x-amazon-apigateway-integration.type: unknown integration type 'lambda' (aws_proxy, http_proxy, mock)");
}

TEST(Importer, ConflictNamesBothLines) {
  const char* doc = "openapi: 3.0.1\ninfo: {title: t}\npaths:\n  /a/{x}:\n    get: {}\n  /a/{y}:\n    get: {}\n";
  auto api = importOpenApi(doc, "f.yaml");
  ASSERT_FALSE(api.ok());
  EXPECT_NE(api.error().message.find("f.yaml:7: route GET /a/{y} conflicts with route GET /a/{x} (line 5)"), std::string::npos)
      << api.error().message;
}

TEST(Importer, MalformedYamlAndMissingParts) {
  auto a = importOpenApi("openapi: [", "bad.yaml");
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.error().message.rfind("bad.yaml:", 0), 0u);
  auto b = importOpenApi("swagger: '2.0'\ninfo: {title: t}\npaths: {}\n", "s.yaml");
  ASSERT_FALSE(b.ok());
  EXPECT_NE(b.error().message.find("Swagger 2.0"), std::string::npos);
  auto c = importOpenApi("openapi: 3.0.1\npaths: {}\n", "c.yaml");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("info.title"), std::string::npos) << c.error().message;
  auto d = importOpenApi("openapi: 3.0.1\ninfo: {title: t}\npaths:\n  /a:\n    fetch: {}\n", "d.yaml");
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().message.rfind("d.yaml:5: paths./a.fetch", 0), 0u) << d.error().message;
}

}  // namespace
}  // namespace cdnlab::gateway

namespace cdnlab::gateway {
namespace {

TEST(Importer, JwtAuthorizerFromSecuritySchemes) {
  const char* doc = R"(openapi: 3.0.1
info: {title: t}
components:
  securitySchemes:
    jwt:
      type: oauth2
      x-amazon-apigateway-authorizer:
        type: jwt
        identitySource: $request.header.Authorization
        jwtConfiguration: {issuer: "https://issuer.example", audience: ["api://shop"]}
paths:
  /me:
    get:
      security: [{jwt: [read]}]
)";
  auto api = importOpenApi(doc, "a.yaml");
  ASSERT_TRUE(api.ok()) << api.error().message;
  ASSERT_EQ(api->authorizers.size(), 1u);
  EXPECT_EQ(api->authorizers[0].issuer, "https://issuer.example");
  EXPECT_EQ(api->routes[0].authorizationType, "JWT");
  EXPECT_EQ(api->routes[0].authorizerId, "#0");
  EXPECT_EQ(api->routes[0].authorizationScopes, std::vector<std::string>{"read"});
  auto bad = importOpenApi(std::string(doc).replace(std::string(doc).find("type: jwt"), 9, "type: token"), "a.yaml");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message.rfind("a.yaml:8: components.securitySchemes.jwt.x-amazon-apigateway-authorizer.type", 0), 0u)
      << bad.error().message;
}

TEST(Importer, LambdaAndSigV4Authorizers) {
  const char* doc = R"(openapi: 3.0.1
info: {title: shop, version: "1"}
components:
  securitySchemes:
    lambdaAuth:
      type: apiKey
      name: Authorization
      in: header
      x-amazon-apigateway-authorizer:
        type: request
        identitySource: "$request.header.Authorization, $request.querystring.tenant"
        authorizerUri: arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:auth/invocations
        authorizerPayloadFormatVersion: "2.0"
        authorizerResultTtlInSeconds: 300
        enableSimpleResponses: true
    sigv4:
      type: apiKey
      name: Authorization
      in: header
      x-amazon-apigateway-authtype: awsSigv4
paths:
  /items:
    get:
      security: [{lambdaAuth: []}]
      x-amazon-apigateway-integration: {type: mock, responses: {default: {statusCode: "200"}}}
    post:
      security: [{sigv4: []}]
      x-amazon-apigateway-integration: {type: mock, responses: {default: {statusCode: "200"}}}
)";
  auto api = importOpenApi(doc, "api.yaml");
  ASSERT_TRUE(api.ok()) << api.error().message;
  ASSERT_EQ(api->authorizers.size(), 1u);
  const Authorizer& a = api->authorizers[0];
  EXPECT_EQ(a.authorizerType, "REQUEST");
  EXPECT_EQ(a.identitySource, (std::vector<std::string>{"$request.header.Authorization", "$request.querystring.tenant"}));
  EXPECT_EQ(a.authorizerPayloadFormatVersion, "2.0");
  EXPECT_EQ(a.authorizerResultTtlInSeconds, 300);
  EXPECT_TRUE(a.enableSimpleResponses);
  ASSERT_EQ(api->routes.size(), 2u);
  EXPECT_EQ(api->routes[0].authorizationType, "CUSTOM");
  EXPECT_EQ(api->routes[0].authorizerId, "#0");
  EXPECT_EQ(api->routes[1].authorizationType, "AWS_IAM");

  std::string bad = doc;
  const std::string version = "authorizerPayloadFormatVersion: \"2.0\"";
  bad.replace(bad.find(version), version.size(), "authorizerPayloadFormatVersion: \"3.0\"");
  auto refused = importOpenApi(bad, "api.yaml");
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("api.yaml:13:"), std::string::npos) << refused.error().message;
  EXPECT_NE(refused.error().message.find("authorizerPayloadFormatVersion"), std::string::npos);
}

// An OpenAPI document from the import API nested 200,000 levels (YAML flow or JSON): an error
// naming the source, not a stack overflow (yaml-cpp stops its recursion at 2000 levels).
TEST(Importer, DeepDocumentIsAnError) {
  auto flow = importOpenApi("openapi: 3.0.1\npaths: " + std::string(200000, '[') + std::string(200000, ']') + "\n", "deep.yaml");
  EXPECT_FALSE(flow.ok());
  auto json = importOpenApi(R"({"openapi":"3.0.1","paths":)" + std::string(200000, '[') + std::string(200000, ']') + "}", "deep.json");
  EXPECT_FALSE(json.ok());
}

}  // namespace
}  // namespace cdnlab::gateway
