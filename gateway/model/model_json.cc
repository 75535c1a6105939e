// apigatewayv2 JSON members of the API model (see model_json.h).
#include "gateway/model/model_json.h"

#include "gateway/json_members.h"

namespace cdnlab::gateway {
namespace {

void writeRouteSettings(JsonWriter& w, const RouteSettings& s) {
  w.StartObject();
  jbool(w, "detailedMetricsEnabled", s.detailedMetricsEnabled);
  if (s.throttlingBurstLimit) jint(w, "throttlingBurstLimit", *s.throttlingBurstLimit);
  if (s.throttlingRateLimit) {
    jkey(w, "throttlingRateLimit");
    w.Double(*s.throttlingRateLimit);
  }
  w.EndObject();
}

Result<bool> readRouteSettings(const rapidjson::Value& o, RouteSettings& s) {
  if (!o.IsObject()) return Error{400, "Invalid input: route settings must be an object"};
  JsonReader r(o);
  bool detailed = s.detailedMetricsEnabled;
  r.boolean("detailedMetricsEnabled", detailed);
  if (r.has("throttlingBurstLimit")) {
    int64_t b = 0;
    if (r.integer("throttlingBurstLimit", b)) {
      if (b < 0) return Error{400, "Invalid input: throttlingBurstLimit must be >= 0"};
      s.throttlingBurstLimit = b;
    }
  }
  if (r.has("throttlingRateLimit")) {
    double d = 0;
    if (r.number("throttlingRateLimit", d)) {
      if (d < 0) return Error{400, "Invalid input: throttlingRateLimit must be >= 0"};
      s.throttlingRateLimit = d;
    }
  }
  if (auto c = r.result(); !c) return c;
  s.detailedMetricsEnabled = detailed;
  return true;
}

void writeCors(JsonWriter& w, const Cors& c) {
  w.StartObject();
  jbool(w, "allowCredentials", c.allowCredentials);
  jlistIf(w, "allowHeaders", c.allowHeaders);
  jlistIf(w, "allowMethods", c.allowMethods);
  jlistIf(w, "allowOrigins", c.allowOrigins);
  jlistIf(w, "exposeHeaders", c.exposeHeaders);
  if (c.maxAge >= 0) jint(w, "maxAge", c.maxAge);
  w.EndObject();
}

Result<bool> readCors(const rapidjson::Value& o, Cors& c) {
  JsonReader r(o);
  r.strList("allowOrigins", c.allowOrigins);
  r.strList("allowMethods", c.allowMethods);
  r.strList("allowHeaders", c.allowHeaders);
  r.strList("exposeHeaders", c.exposeHeaders);
  r.boolean("allowCredentials", c.allowCredentials);
  int64_t maxAge = c.maxAge;
  r.integer("maxAge", maxAge);
  if (auto read = r.result(); !read) return read;
  if (maxAge < -1 || maxAge > 86400) return Error{400, "Invalid input: maxAge must be between 0 and 86400"};
  c.maxAge = maxAge;
  return true;
}

// A deployment's and an API's integrations and deployments as the persisted state keeps them.
void writePersistedIntegration(JsonWriter& w, const Integration& i) { writeIntegration(w, i, true); }
void writePersistedDeployment(JsonWriter& w, const Deployment& d) { writeDeployment(w, d, true); }

}  // namespace

void writeApi(JsonWriter& w, const Api& a, const std::string& endpointBase, bool persisted) {
  w.StartObject();
  if (!persisted) {
    // As AWS gives it: a WebSocket API's endpoint is ws:// (wss:// on a TLS listener).
    std::string endpoint = endpointBase;
    if (a.protocolType == "WEBSOCKET" && endpoint.rfind("http", 0) == 0) endpoint.replace(0, 4, "ws");
    jkv(w, "apiEndpoint", endpoint);
  }
  jkv(w, "apiId", a.id);
  jkv(w, "apiKeySelectionExpression", a.apiKeySelectionExpression);
  if (a.corsConfiguration) {
    jkey(w, "corsConfiguration");
    writeCors(w, *a.corsConfiguration);
  }
  jkv(w, "createdDate", isoTime(a.createdMs));
  if (persisted) jint(w, "createdMs", a.createdMs);
  jstrIf(w, "description", a.description);
  jbool(w, "disableExecuteApiEndpoint", a.disableExecuteApiEndpoint);
  jkv(w, "name", a.name);
  jkv(w, "protocolType", a.protocolType);
  jkv(w, "routeSelectionExpression", a.routeSelectionExpression);
  jmap(w, "tags", a.tags);
  jstrIf(w, "version", a.version);
  if (persisted) {
    jstrIf(w, "importSource", a.importSource);
    writeList(w, "integrations", a.integrations, writePersistedIntegration);
    writeList(w, "routes", a.routes, writeRoute);
    writeList(w, "authorizers", a.authorizers, writeAuthorizer);
    writeList(w, "stages", a.stages, writeStage);
    writeList(w, "deployments", a.deployments, writePersistedDeployment);
  }
  w.EndObject();
}

void writeIntegration(JsonWriter& w, const Integration& i, bool persisted) {
  w.StartObject();
  jkv(w, "connectionType", i.connectionType);
  jstrIf(w, "contentHandlingStrategy", i.contentHandlingStrategy);
  jstrIf(w, "description", i.description);
  jkv(w, "integrationId", i.id);
  jstrIf(w, "integrationMethod", i.method);
  jkv(w, "integrationType", i.type);
  jstrIf(w, "integrationUri", i.uri);
  jstrIf(w, "payloadFormatVersion", i.payloadFormatVersion);
  jmapIf(w, "requestParameters", i.requestParameters);
  jmapIf(w, "requestTemplates", i.requestTemplates);
  jstrIf(w, "templateSelectionExpression", i.templateSelectionExpression);
  jint(w, "timeoutInMillis", i.timeoutMs);
  if (persisted && i.type == "MOCK") {
    jkey(w, "mockResponse");
    w.StartObject();
    jint(w, "statusCode", i.mock.statusCode);
    jmap(w, "headers", i.mock.headers);
    jkv(w, "body", i.mock.body);
    jkv(w, "contentType", i.mock.contentType);
    w.EndObject();
  }
  w.EndObject();
}

void writeRoute(JsonWriter& w, const Route& r) {
  w.StartObject();
  jbool(w, "apiKeyRequired", r.apiKeyRequired);
  jlistIf(w, "authorizationScopes", r.authorizationScopes);
  jkv(w, "authorizationType", r.authorizationType);
  jstrIf(w, "authorizerId", r.authorizerId);
  jstrIf(w, "operationName", r.operationName);
  jkv(w, "routeId", r.id);
  jkv(w, "routeKey", r.routeKey);
  jstrIf(w, "routeResponseSelectionExpression", r.routeResponseSelectionExpression);
  jstrIf(w, "target", r.target);
  w.EndObject();
}

void writeStage(JsonWriter& w, const Stage& s) {
  w.StartObject();
  if (s.accessLogSettings) {
    jkey(w, "accessLogSettings");
    w.StartObject();
    jkv(w, "destinationArn", s.accessLogSettings->destinationArn);
    jkv(w, "format", s.accessLogSettings->format);
    w.EndObject();
  }
  jbool(w, "apiGatewayManaged", s.apiGatewayManaged);
  jbool(w, "autoDeploy", s.autoDeploy);
  jkv(w, "createdDate", isoTime(s.createdMs));
  jint(w, "createdMs", s.createdMs);
  jkey(w, "defaultRouteSettings");
  writeRouteSettings(w, s.defaultRouteSettings);
  jstrIf(w, "deploymentId", s.deploymentId);
  jstrIf(w, "description", s.description);
  jkv(w, "lastUpdatedDate", isoTime(s.updatedMs));
  writeObjectMap(w, "routeSettings", s.routeSettings, writeRouteSettings);
  jkv(w, "stageName", s.name);
  jmap(w, "stageVariables", s.stageVariables);
  jmap(w, "tags", s.tags);
  w.EndObject();
}

void writeAuthorizer(JsonWriter& w, const Authorizer& a) {
  w.StartObject();
  jstrIf(w, "authorizerCredentialsArn", a.authorizerCredentialsArn);
  jkv(w, "authorizerId", a.id);
  if (a.authorizerType == "REQUEST") {
    jkv(w, "authorizerPayloadFormatVersion", a.authorizerPayloadFormatVersion);
    jint(w, "authorizerResultTtlInSeconds", a.authorizerResultTtlInSeconds);
  }
  jkv(w, "authorizerType", a.authorizerType);
  jstrIf(w, "authorizerUri", a.authorizerUri);
  if (a.authorizerType == "REQUEST") jbool(w, "enableSimpleResponses", a.enableSimpleResponses);
  jlist(w, "identitySource", a.identitySource);
  jstrIf(w, "identityValidationExpression", a.identityValidationExpression);
  if (a.authorizerType == "JWT") {
    jkey(w, "jwtConfiguration");
    w.StartObject();
    jlist(w, "audience", a.audience);
    jkv(w, "issuer", a.issuer);
    w.EndObject();
  }
  jkv(w, "name", a.name);
  w.EndObject();
}

namespace {

// An identity source of a REQUEST authorizer: $request.header.<n>, $request.querystring.<n>,
// $context.<v> or $stageVariables.<v> (API Gateway's list).
bool validRequestIdentitySource(const std::string& s) {
  for (const char* prefix : {"$request.header.", "$request.querystring.", "$context.", "$stageVariables."}) {
    size_t n = std::char_traits<char>::length(prefix);
    if (s.size() > n && s.compare(0, n, prefix) == 0) return true;
  }
  return false;
}

}  // namespace

Result<bool> readAuthorizer(const rapidjson::Value& o, Authorizer& a) {
  if (!o.IsObject()) return Error{400, "Invalid input: the request body must be a JSON object"};
  JsonReader r(o);
  r.str("authorizerId", a.id);
  r.str("name", a.name);
  r.str("authorizerType", a.authorizerType);
  r.strList("identitySource", a.identitySource);
  r.str("authorizerUri", a.authorizerUri);
  r.str("authorizerPayloadFormatVersion", a.authorizerPayloadFormatVersion);
  r.boolean("enableSimpleResponses", a.enableSimpleResponses);
  r.integer("authorizerResultTtlInSeconds", a.authorizerResultTtlInSeconds);
  r.str("authorizerCredentialsArn", a.authorizerCredentialsArn);
  r.str("identityValidationExpression", a.identityValidationExpression);
  if (const auto* j = r.object("jwtConfiguration")) {
    JsonReader jr(*j);
    jr.str("issuer", a.issuer);
    jr.strList("audience", a.audience);
    if (auto c = jr.result(); !c) return c;
  }
  if (auto c = r.result(); !c) return c;
  if (a.name.empty()) return Error{400, "Invalid input: name is required"};
  if (a.authorizerType == "REQUEST") {
    if (a.authorizerUri.empty()) return Error{400, "Invalid input: a REQUEST authorizer needs authorizerUri"};
    if (a.authorizerPayloadFormatVersion != "1.0" && a.authorizerPayloadFormatVersion != "2.0")
      return Error{400, "Invalid input: authorizerPayloadFormatVersion must be 1.0 or 2.0 for a REQUEST authorizer"};
    if (a.enableSimpleResponses && a.authorizerPayloadFormatVersion != "2.0")
      return Error{400, "Invalid input: enableSimpleResponses is only supported with authorizerPayloadFormatVersion 2.0"};
    if (a.authorizerResultTtlInSeconds < 0 || a.authorizerResultTtlInSeconds > 3600)
      return Error{400, "Invalid input: authorizerResultTtlInSeconds must be between 0 and 3600"};
    if (a.authorizerResultTtlInSeconds > 0 && a.identitySource.empty())
      return Error{400, "Invalid input: identitySource is required when authorizerResultTtlInSeconds is greater than 0"};
    for (const auto& s : a.identitySource)
      if (!validRequestIdentitySource(s))
        return Error{400, "Invalid input: identitySource " + s +
                              " must be $request.header.<name>, $request.querystring.<name>, $context.<name> or $stageVariables.<name>"};
    return true;
  }
  if (a.authorizerType != "JWT")
    return Error{400, "Invalid input: authorizerType " + a.authorizerType + " is not supported (JWT, REQUEST)"};
  if (a.issuer.empty() || a.audience.empty())
    return Error{400, "Invalid input: a JWT authorizer needs jwtConfiguration.issuer and jwtConfiguration.audience"};
  if (a.identitySource.size() != 1 || a.identitySource[0].rfind("$request.header.", 0) != 0)
    return Error{400, "Invalid input: identitySource of a JWT authorizer must be one $request.header.<name>"};
  return true;
}

void writeDeployment(JsonWriter& w, const Deployment& d, bool persisted) {
  w.StartObject();
  jbool(w, "autoDeployed", d.autoDeployed);
  jkv(w, "createdDate", isoTime(d.createdMs));
  jkv(w, "deploymentId", d.id);
  jkv(w, "deploymentStatus", "DEPLOYED");
  jstrIf(w, "description", d.description);
  if (persisted) {
    jint(w, "createdMs", d.createdMs);
    writeList(w, "routes", d.routes, writeRoute);
    writeList(w, "integrations", d.integrations, writePersistedIntegration);
  }
  w.EndObject();
}

Result<bool> readApi(const rapidjson::Value& o, Api& a, bool persisted) {
  if (!o.IsObject()) return Error{400, "Invalid input: the request body must be a JSON object"};
  JsonReader r(o);
  r.str("name", a.name);
  r.str("protocolType", a.protocolType);
  r.str("description", a.description);
  r.str("version", a.version);
  r.str("routeSelectionExpression", a.routeSelectionExpression);
  r.str("apiKeySelectionExpression", a.apiKeySelectionExpression);
  r.boolean("disableExecuteApiEndpoint", a.disableExecuteApiEndpoint);
  r.strMap("tags", a.tags);
  if (const auto* c = r.object("corsConfiguration")) {
    Cors cors = a.corsConfiguration.value_or(Cors{});
    if (auto cr = readCors(*c, cors); !cr) return cr.error();
    a.corsConfiguration = std::move(cors);
  }
  if (persisted) {
    r.str("apiId", a.id);
    r.integer("createdMs", a.createdMs);
    r.str("importSource", a.importSource);
    if (o.HasMember("authorizers") && o["authorizers"].IsArray())
      for (const auto& e : o["authorizers"].GetArray()) {
        a.authorizers.emplace_back();
        if (auto er = readAuthorizer(e, a.authorizers.back()); !er) return er.error();
      }
    for (const char* what : {"integrations", "routes", "stages", "deployments"}) {
      if (!o.HasMember(what)) continue;
      const auto& arr = o[what];
      if (!arr.IsArray()) return Error{400, std::string("state: ") + what + " must be a list"};
      for (const auto& e : arr.GetArray()) {
        Result<bool> er = true;
        if (std::string_view(what) == "integrations") {
          a.integrations.emplace_back();
          er = readIntegration(e, a.integrations.back(), true);
        } else if (std::string_view(what) == "routes") {
          a.routes.emplace_back();
          er = readRoute(e, a.routes.back());
        } else if (std::string_view(what) == "stages") {
          a.stages.emplace_back();
          er = readStage(e, a.stages.back());
        } else {
          a.deployments.emplace_back();
          er = readDeployment(e, a.deployments.back());
        }
        if (!er) return er.error();
      }
    }
  }
  return r.result();
}

Result<bool> readIntegration(const rapidjson::Value& o, Integration& i, bool persisted) {
  if (!o.IsObject()) return Error{400, "Invalid input: the request body must be a JSON object"};
  JsonReader r(o);
  r.str("integrationType", i.type);
  r.str("integrationUri", i.uri);
  r.str("integrationMethod", i.method);
  r.str("payloadFormatVersion", i.payloadFormatVersion);
  r.str("description", i.description);
  r.str("connectionType", i.connectionType);
  r.str("contentHandlingStrategy", i.contentHandlingStrategy);
  if (!i.contentHandlingStrategy.empty() && i.contentHandlingStrategy != "CONVERT_TO_BINARY" &&
      i.contentHandlingStrategy != "CONVERT_TO_TEXT")
    return Error{400, "Invalid input: contentHandlingStrategy must be CONVERT_TO_BINARY or CONVERT_TO_TEXT"};
  r.strMap("requestParameters", i.requestParameters);
  r.strMap("requestTemplates", i.requestTemplates);
  r.str("templateSelectionExpression", i.templateSelectionExpression);
  int64_t timeout = i.timeoutMs;
  r.integer("timeoutInMillis", timeout);
  if (timeout < 50 || timeout > 30000)
    return Error{400, "Invalid input: timeoutInMillis must be between 50 and 30000"};
  i.timeoutMs = static_cast<int>(timeout);
  if (persisted) {
    r.str("integrationId", i.id);
    if (const auto* m = r.object("mockResponse")) {
      JsonReader mr(*m);
      int64_t sc = 200;
      mr.integer("statusCode", sc);
      i.mock.statusCode = static_cast<int>(sc);
      mr.strMap("headers", i.mock.headers);
      mr.str("body", i.mock.body);
      mr.str("contentType", i.mock.contentType);
    }
  }
  return r.result();
}

Result<bool> readRoute(const rapidjson::Value& o, Route& rt) {
  if (!o.IsObject()) return Error{400, "Invalid input: the request body must be a JSON object"};
  JsonReader r(o);
  r.str("routeId", rt.id);
  r.str("routeKey", rt.routeKey);
  r.str("target", rt.target);
  r.str("authorizationType", rt.authorizationType);
  r.str("authorizerId", rt.authorizerId);
  r.strList("authorizationScopes", rt.authorizationScopes);
  r.boolean("apiKeyRequired", rt.apiKeyRequired);
  r.str("operationName", rt.operationName);
  r.str("routeResponseSelectionExpression", rt.routeResponseSelectionExpression);
  if (auto c = r.result(); !c) return c;
  static const char* kTypes[] = {"NONE", "JWT", "AWS_IAM", "CUSTOM"};
  bool known = false;
  for (const char* t : kTypes) known |= rt.authorizationType == t;
  if (!known) return Error{400, "Invalid input: authorizationType must be one of NONE, JWT, AWS_IAM, CUSTOM"};
  return true;
}

Result<bool> readStage(const rapidjson::Value& o, Stage& s) {
  if (!o.IsObject()) return Error{400, "Invalid input: the request body must be a JSON object"};
  JsonReader r(o);
  r.str("stageName", s.name);
  r.str("description", s.description);
  r.str("deploymentId", s.deploymentId);
  r.boolean("autoDeploy", s.autoDeploy);
  r.boolean("apiGatewayManaged", s.apiGatewayManaged);
  r.strMap("stageVariables", s.stageVariables);
  r.strMap("tags", s.tags);
  r.integer("createdMs", s.createdMs);
  if (const auto* d = r.object("defaultRouteSettings"))
    if (auto e = readRouteSettings(*d, s.defaultRouteSettings); !e) return e.error();
  if (const auto* rs = r.object("routeSettings")) {
    for (auto it = rs->MemberBegin(); it != rs->MemberEnd(); ++it) {
      std::string key(it->name.GetString(), it->name.GetStringLength());
      if (auto e = readRouteSettings(it->value, s.routeSettings[key]); !e) return e.error();
    }
  }
  if (const auto* al = r.object("accessLogSettings")) {
    AccessLogSettings als;
    JsonReader ar(*al);
    ar.str("destinationArn", als.destinationArn);
    ar.str("format", als.format);
    if (auto c = ar.result(); !c) return c;
    s.accessLogSettings = std::move(als);
  }
  if (auto c = r.result(); !c) return c;
  for (const auto& [k, v] : s.stageVariables) {
    bool okName = !k.empty() && k.size() <= 64;
    for (char c : k) okName &= (isalnum(static_cast<unsigned char>(c)) || c == '_');
    if (!okName) return Error{400, "Invalid input: stage variable name " + k + " must match [A-Za-z0-9_]{1,64}"};
    if (v.size() > 2048) return Error{400, "Invalid input: stage variable " + k + " is longer than 2048 characters"};
  }
  return true;
}

Result<bool> readDeployment(const rapidjson::Value& o, Deployment& d) {
  if (!o.IsObject()) return Error{400, "state: a deployment must be an object"};
  JsonReader r(o);
  r.str("deploymentId", d.id);
  r.str("description", d.description);
  r.boolean("autoDeployed", d.autoDeployed);
  r.integer("createdMs", d.createdMs);
  if (o.HasMember("routes") && o["routes"].IsArray())
    for (const auto& e : o["routes"].GetArray()) {
      d.routes.emplace_back();
      if (auto er = readRoute(e, d.routes.back()); !er) return er.error();
    }
  if (o.HasMember("integrations") && o["integrations"].IsArray())
    for (const auto& e : o["integrations"].GetArray()) {
      d.integrations.emplace_back();
      if (auto er = readIntegration(e, d.integrations.back(), true); !er) return er.error();
    }
  return r.result();
}

Result<bool> validateIntegration(Integration& i, const std::string& protocolType) {
  if (i.type.empty()) return Error{400, "Invalid input: integrationType is required"};
  if (i.type == "AWS_PROXY") {
    if (i.uri.empty()) return Error{400, "Invalid input: integrationUri is required for AWS_PROXY integrations"};
    if (i.payloadFormatVersion.empty()) i.payloadFormatVersion = protocolType == "HTTP" ? "2.0" : "1.0";
    if (i.payloadFormatVersion != "1.0" && i.payloadFormatVersion != "2.0")
      return Error{400, "Invalid input: payloadFormatVersion must be 1.0 or 2.0, got " + i.payloadFormatVersion};
    if (i.method.empty()) i.method = "POST";
  } else if (i.type == "HTTP_PROXY") {
    if (i.uri.rfind("http://", 0) != 0 && i.uri.rfind("https://", 0) != 0)
      return Error{400, "Invalid input: integrationUri of an HTTP_PROXY integration must be an http:// URL, got '" + i.uri + "'"};
    if (i.method.empty()) i.method = "ANY";
    if (i.payloadFormatVersion.empty()) i.payloadFormatVersion = "1.0";
  } else if (i.type == "MOCK") {
    i.payloadFormatVersion.clear();
  } else if (i.type == "AWS" || i.type == "HTTP") {
    if (protocolType == "HTTP")
      return Error{400, "Invalid input: integrationType " + i.type + " is not supported for HTTP APIs (use AWS_PROXY, HTTP_PROXY or MOCK)"};
  } else {
    return Error{400, "Invalid input: unknown integrationType " + i.type + " (AWS, AWS_PROXY, HTTP, HTTP_PROXY, MOCK)"};
  }
  for (const auto& [k, v] : i.requestParameters) {
    auto colon = k.find(':');
    std::string action = k.substr(0, colon == std::string::npos ? 0 : colon);
    if (action != "append" && action != "overwrite" && action != "remove")
      return Error{400, "Invalid input: requestParameters key " + k + " must start with append:, overwrite: or remove:"};
  }
  return true;
}

std::string writeState(const std::vector<Api>& apis) {
  return renderJson([&](JsonWriter& w) {
    w.StartObject();
    jint(w, "version", 1);
    writeList(w, "apis", apis, [](JsonWriter& w, const Api& a) { writeApi(w, a, "", true); });
    w.EndObject();
  });
}

Result<std::vector<Api>> readState(std::string_view text) {
  rapidjson::Document doc;
  if (auto r = parseJson(text, doc); !r) return r.error();
  if (!doc.IsObject() || !doc.HasMember("apis") || !doc["apis"].IsArray())
    return Error{400, "state: expected {\"version\":1,\"apis\":[...]}"};
  std::vector<Api> apis;
  for (const auto& e : doc["apis"].GetArray()) {
    Api a;
    if (auto r = readApi(e, a, true); !r) return r.error();
    apis.push_back(std::move(a));
  }
  return apis;
}

}  // namespace cdnlab::gateway
