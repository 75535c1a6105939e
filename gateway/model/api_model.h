// The API model the management API edits and the runtime serves: an HTTP or WebSocket API (v2)
// with its integrations, routes, stages and deployments. Plain values; ModelStore owns them,
// guards them with its lock and persists them. Field names follow apigatewayv2's members.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace cdnlab::gateway {

using StringMap = std::map<std::string, std::string>;

// A MOCK integration's answer (from x-amazon-apigateway-integration "responses.default" or the
// requestTemplates' {"statusCode": N}): the gateway answers it without calling anything.
struct MockResponse {
  int statusCode = 200;
  StringMap headers;
  std::string body;
  std::string contentType = "application/json";
};

struct Integration {
  std::string id;
  std::string type;                 // AWS_PROXY | HTTP_PROXY | MOCK (AWS/HTTP: REST-style, refused for HTTP APIs)
  std::string uri;                  // Lambda ARN / invocation URI, or http(s) URL
  std::string method;               // HTTP_PROXY: the upstream method (ANY: the client's)
  std::string payloadFormatVersion; // "1.0" | "2.0" (AWS_PROXY)
  int timeoutMs = 30000;            // 50..30000
  std::string description;
  std::string connectionType = "INTERNET";
  StringMap requestParameters;      // HTTP_PROXY parameter mapping ("overwrite:path" -> "$request.path")
  StringMap requestTemplates;       // MOCK: {"statusCode": N} templates
  std::string templateSelectionExpression;
  // WEBSOCKET: CONVERT_TO_BINARY takes a client's text message as base64 of binary data (the
  // Lambda proxy event then carries it with isBase64Encoded true); empty or CONVERT_TO_TEXT:
  // the message is text.
  std::string contentHandlingStrategy;
  MockResponse mock;
};

struct Route {
  std::string id;
  std::string routeKey;
  std::string target;               // "integrations/<id>" or empty
  std::string authorizationType = "NONE";
  std::string authorizerId;
  std::vector<std::string> authorizationScopes;
  bool apiKeyRequired = false;
  std::string operationName;
  std::string routeResponseSelectionExpression;  // WEBSOCKET: "$default" makes the route two-way
};

struct RouteSettings {
  std::optional<double> throttlingRateLimit;
  std::optional<int64_t> throttlingBurstLimit;
  bool detailedMetricsEnabled = false;
};

struct AccessLogSettings {
  std::string destinationArn;  // arn:aws:logs:...:log-group:NAME -> <data>/logs/NAME.log; or a file path
  std::string format;          // $context variables; JSON when it starts with '{'
};

struct Stage {
  std::string name;
  std::string description;
  std::string deploymentId;
  bool autoDeploy = false;
  StringMap stageVariables;
  RouteSettings defaultRouteSettings;
  std::map<std::string, RouteSettings> routeSettings;  // by route key
  std::optional<AccessLogSettings> accessLogSettings;
  StringMap tags;
  int64_t createdMs = 0;
  int64_t updatedMs = 0;
  bool apiGatewayManaged = false;   // made by quick create
};

// What a deployment froze: the routes and integrations of the moment it was made.
struct Deployment {
  std::string id;
  std::string description;
  bool autoDeployed = false;
  int64_t createdMs = 0;
  std::vector<Route> routes;
  std::vector<Integration> integrations;
};

// An authorizer: JWT (keys from --jwks ISSUER=FILE or the issuer's JWKS URL) or REQUEST (a Lambda
// authorizer: the function at authorizerUri decides, its answer cached for the TTL).
struct Authorizer {
  std::string id;
  std::string name;
  std::string authorizerType = "JWT";
  std::vector<std::string> identitySource{"$request.header.Authorization"};
  std::string issuer;
  std::vector<std::string> audience;
  // REQUEST authorizers.
  std::string authorizerUri;
  std::string authorizerPayloadFormatVersion;  // "1.0" | "2.0"
  bool enableSimpleResponses = false;          // 2.0 only: {"isAuthorized": bool, "context": {}}
  int64_t authorizerResultTtlInSeconds = 0;    // 0: no caching; at most 3600
  std::string authorizerCredentialsArn;
  std::string identityValidationExpression;
};

struct Cors {
  std::vector<std::string> allowOrigins, allowMethods, allowHeaders, exposeHeaders;
  bool allowCredentials = false;
  int64_t maxAge = -1;  // -1: not set
};

struct Api {
  std::string id;
  std::string name;
  std::string protocolType = "HTTP";  // HTTP | WEBSOCKET
  std::string description;
  std::string version;
  std::string routeSelectionExpression;
  std::string apiKeySelectionExpression = "$request.header.x-api-key";
  bool disableExecuteApiEndpoint = false;
  std::optional<Cors> corsConfiguration;
  StringMap tags;
  int64_t createdMs = 0;
  std::string importSource;  // file the API came from (--api), for error messages
  std::vector<Integration> integrations;
  std::vector<Route> routes;
  std::vector<Authorizer> authorizers;
  std::vector<Stage> stages;
  std::vector<Deployment> deployments;

  Integration* findIntegration(const std::string& id);
  Route* findRoute(const std::string& id);
  Authorizer* findAuthorizer(const std::string& id);
  const Authorizer* findAuthorizer(const std::string& id) const;
  Stage* findStage(const std::string& name);
  const Stage* findStage(const std::string& name) const;
  const Deployment* findDeployment(const std::string& id) const;
};

// Random identifiers in API Gateway's alphabet (lower-case letters and digits).
std::string newId(size_t length);

}  // namespace cdnlab::gateway
