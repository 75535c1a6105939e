// The REST API (v1, `aws apigateway`) model: APIs with their resource tree, methods and
// integrations (mapping templates, integration responses), deployments and stages, and the
// account-wide API keys and usage plans. Plain values owned by RestStore; member names follow
// the apigateway API's.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace cdnlab::gateway {

using RestStringMap = std::map<std::string, std::string>;

struct RestIntegrationResponse {
  std::string statusCode;        // the method response status it answers with
  std::string selectionPattern;  // regex over the backend's status (AWS) or error message (Lambda); empty: default
  RestStringMap responseTemplates;
  RestStringMap responseParameters;  // method.response.header.X -> 'literal' | integration.response.header.Y
  std::string contentHandling;
};

struct RestIntegration {
  std::string type;        // AWS | AWS_PROXY | HTTP | HTTP_PROXY | MOCK
  std::string httpMethod;  // the backend's method (POST for DynamoDB actions)
  std::string uri;
  std::string credentials;
  RestStringMap requestParameters;
  RestStringMap requestTemplates;  // content type -> template
  std::string passthroughBehavior = "WHEN_NO_MATCH";
  int timeoutInMillis = 29000;
  std::string cacheNamespace;
  std::vector<std::string> cacheKeyParameters;  // method.request.path.id, method.request.querystring.q, ...
  std::map<std::string, RestIntegrationResponse> integrationResponses;  // by statusCode
};

struct RestMethodResponse {
  std::string statusCode;
  std::map<std::string, bool> responseParameters;
  RestStringMap responseModels;
};

struct RestMethod {
  std::string httpMethod;  // GET ... or ANY
  std::string authorizationType = "NONE";  // NONE | CUSTOM (a Lambda authorizer) | AWS_IAM | COGNITO_USER_POOLS
  std::string authorizerId;
  std::vector<std::string> authorizationScopes;
  std::string requestValidatorId;
  RestStringMap requestModels;  // content type -> model name (validated by the request validator)
  bool apiKeyRequired = false;
  std::string operationName;
  std::map<std::string, bool> requestParameters;
  std::map<std::string, RestMethodResponse> methodResponses;
  std::optional<RestIntegration> integration;
};

struct RestResource {
  std::string id;
  std::string parentId;  // empty for the root "/"
  std::string pathPart;  // "items", "{id}", "{proxy+}"; empty for the root
  std::string path;      // "/items/{id}"
  std::map<std::string, RestMethod> methods;  // by httpMethod
};

// A Lambda authorizer (TOKEN: one token header; REQUEST: headers, query, stage variables and
// context) or a Cognito user pool one (COGNITO_USER_POOLS: the tokens of providerARNs' pools).
struct RestAuthorizer {
  std::string id;
  std::string name;
  std::string type = "TOKEN";  // TOKEN | REQUEST | COGNITO_USER_POOLS
  std::string authorizerUri;
  std::string authorizerCredentials;
  std::string identitySource;  // comma-separated: method.request.header.Authorization, ...
  std::string identityValidationExpression;  // TOKEN: a regex the token must match; COGNITO_USER_POOLS: the aud
  int64_t authorizerResultTtlInSeconds = 300;  // 0: no caching; at most 3600
  std::vector<std::string> providerARNs;
  std::string authType;  // x-amazon-apigateway-authtype ("custom", "oauth2", ...), shown as AWS does
};

struct RestRequestValidator {
  std::string id;
  std::string name;
  bool validateRequestBody = false;
  bool validateRequestParameters = false;
};

// A model: a JSON Schema (draft 4) text, referred to by name from methods' requestModels.
struct RestModelSchema {
  std::string id;
  std::string name;
  std::string description;
  std::string contentType = "application/json";
  std::string schema;
};

// A customised gateway response (put-gateway-response); types not put answer with AWS's defaults.
struct RestGatewayResponse {
  std::string responseType;  // DEFAULT_4XX, MISSING_AUTHENTICATION_TOKEN, ...
  std::string statusCode;    // empty: the type's default status
  RestStringMap responseParameters;  // gatewayresponse.header.X -> 'literal' | method.request.header.Y | ...
  RestStringMap responseTemplates;   // content type -> template
};

// The API-wide definitions a deployment freezes with the resource tree.
struct RestApiDefinitions {
  std::vector<RestAuthorizer> authorizers;
  std::vector<RestRequestValidator> requestValidators;
  std::vector<RestModelSchema> models;
  std::map<std::string, RestGatewayResponse> gatewayResponses;  // by responseType

  const RestAuthorizer* findAuthorizer(const std::string& id) const;
  const RestRequestValidator* findValidator(const std::string& id) const;
  const RestModelSchema* findModel(const std::string& name) const;
};

struct RestDeployment {
  std::string id;
  std::string description;
  int64_t createdDate = 0;  // epoch seconds
  std::vector<RestResource> resources;  // the tree as it was when deployed
  RestApiDefinitions definitions;        // and the authorizers, validators, models, gateway responses
};

struct RestMethodSetting {
  bool cachingEnabled = false;
  int64_t cacheTtlInSeconds = 300;
  bool requireAuthorizationForCacheControl = true;
  std::optional<double> throttlingRateLimit;
  std::optional<int64_t> throttlingBurstLimit;
};

struct RestStage {
  std::string stageName;
  std::string deploymentId;
  std::string description;
  bool cacheClusterEnabled = false;
  std::string cacheClusterSize = "0.5";
  RestStringMap variables;
  std::map<std::string, RestMethodSetting> methodSettings;  // "*/*", "items/GET" ("resourcePath/method", path without leading /)
  int64_t createdDate = 0;
  int64_t lastUpdatedDate = 0;
};

struct RestApi {
  std::string id;
  std::string name;
  std::string description;
  std::string version;
  int64_t createdDate = 0;
  std::string apiKeySource = "HEADER";  // HEADER | AUTHORIZER
  std::vector<std::string> binaryMediaTypes;
  std::string rootResourceId;
  std::vector<RestResource> resources;
  RestApiDefinitions definitions;
  std::vector<RestDeployment> deployments;
  std::vector<RestStage> stages;

  RestResource* findResource(const std::string& rid);
  const RestDeployment* findDeployment(const std::string& did) const;
  RestStage* findStage(const std::string& name);
};

struct ApiKey {
  std::string id;
  std::string name;
  std::string value;
  std::string description;
  bool enabled = true;
  int64_t createdDate = 0;
  int64_t lastUpdatedDate = 0;
};

struct UsagePlanStage {
  std::string apiId;
  std::string stage;
};

struct UsagePlan {
  std::string id;
  std::string name;
  std::string description;
  std::vector<UsagePlanStage> apiStages;
  std::optional<double> rateLimit;       // throttle.rateLimit (requests per second)
  std::optional<int64_t> burstLimit;     // throttle.burstLimit
  std::optional<int64_t> quotaLimit;     // quota.limit requests per period
  int64_t quotaOffset = 0;
  std::string quotaPeriod;               // DAY | WEEK | MONTH
  std::vector<std::string> keyIds;       // usage plan keys (type API_KEY)
};

struct RestState {
  std::vector<RestApi> apis;
  std::vector<ApiKey> apiKeys;
  std::vector<UsagePlan> usagePlans;
};

}  // namespace cdnlab::gateway
