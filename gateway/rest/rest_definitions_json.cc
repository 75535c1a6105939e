// JSON of a REST API's definitions beside its resources (see rest_json.h): authorizers, request
// validators, models and gateway responses, in the apigateway API's member names.
#include "gateway/rest/gateway_responses.h"
#include "gateway/rest/rest_json.h"

namespace cdnlab::gateway {
namespace {

Result<bool> checked(const JsonReader& r) {
  if (!r.ok()) return Error{400, r.error()};
  return true;
}

// Reads the list member `name` of `o` with `readOne`.
template <typename T, typename Fn>
Result<bool> readList(const rapidjson::Value& o, const char* name, std::vector<T>& out, Fn&& readOne) {
  if (!o.HasMember(name) || o[name].IsNull()) return true;
  if (!o[name].IsArray()) return Error{400, std::string("Invalid input: '") + name + "' must be a list"};
  for (const auto& e : o[name].GetArray()) {
    T v;
    if (auto r = readOne(e, v); !r) return r;
    out.push_back(std::move(v));
  }
  return true;
}

}  // namespace

void writeAuthorizer(JsonWriter& w, const RestAuthorizer& a) {
  w.StartObject();
  jkv(w, "id", a.id);
  jkv(w, "name", a.name);
  jkv(w, "type", a.type);
  jstrIf(w, "authType", a.authType);
  jstrIf(w, "authorizerUri", a.authorizerUri);
  jstrIf(w, "authorizerCredentials", a.authorizerCredentials);
  jstrIf(w, "identitySource", a.identitySource);
  jstrIf(w, "identityValidationExpression", a.identityValidationExpression);
  if (!a.providerARNs.empty()) jlist(w, "providerARNs", a.providerARNs);
  jint(w, "authorizerResultTtlInSeconds", a.authorizerResultTtlInSeconds);
  w.EndObject();
}

Result<bool> readAuthorizer(const rapidjson::Value& o, RestAuthorizer& out) {
  if (!o.IsObject()) return Error{400, "Invalid input: an authorizer must be an object"};
  JsonReader r(o);
  r.str("id", out.id);
  r.str("name", out.name);
  r.str("type", out.type);
  r.str("authType", out.authType);
  r.str("authorizerUri", out.authorizerUri);
  r.str("authorizerCredentials", out.authorizerCredentials);
  r.str("identitySource", out.identitySource);
  r.str("identityValidationExpression", out.identityValidationExpression);
  r.strList("providerARNs", out.providerARNs);
  r.integer("authorizerResultTtlInSeconds", out.authorizerResultTtlInSeconds);
  return checked(r);
}

void writeRequestValidator(JsonWriter& w, const RestRequestValidator& v) {
  w.StartObject();
  jkv(w, "id", v.id);
  jkv(w, "name", v.name);
  jbool(w, "validateRequestBody", v.validateRequestBody);
  jbool(w, "validateRequestParameters", v.validateRequestParameters);
  w.EndObject();
}

Result<bool> readRequestValidator(const rapidjson::Value& o, RestRequestValidator& out) {
  if (!o.IsObject()) return Error{400, "Invalid input: a request validator must be an object"};
  JsonReader r(o);
  r.str("id", out.id);
  r.str("name", out.name);
  r.boolean("validateRequestBody", out.validateRequestBody);
  r.boolean("validateRequestParameters", out.validateRequestParameters);
  return checked(r);
}

void writeModel(JsonWriter& w, const RestModelSchema& m) {
  w.StartObject();
  jkv(w, "id", m.id);
  jkv(w, "name", m.name);
  jstrIf(w, "description", m.description);
  jstrIf(w, "schema", m.schema);
  jkv(w, "contentType", m.contentType);
  w.EndObject();
}

Result<bool> readModel(const rapidjson::Value& o, RestModelSchema& out) {
  if (!o.IsObject()) return Error{400, "Invalid input: a model must be an object"};
  JsonReader r(o);
  r.str("id", out.id);
  r.str("name", out.name);
  r.str("description", out.description);
  r.str("schema", out.schema);
  r.str("contentType", out.contentType);
  return checked(r);
}

void writeGatewayResponse(JsonWriter& w, const std::string& type, const RestGatewayResponse* custom) {
  w.StartObject();
  jkv(w, "responseType", type);
  if (custom) {
    jstrIf(w, "statusCode", custom->statusCode);
    jmap(w, "responseParameters", custom->responseParameters);
    if (custom->responseTemplates.empty()) {
      jmap(w, "responseTemplates", {{"application/json", std::string(kDefaultGatewayTemplate)}});
    } else {
      jmap(w, "responseTemplates", custom->responseTemplates);
    }
  } else {
    const GatewayResponseType* t = findGatewayResponseType(type);
    if (t && t->status) jkv(w, "statusCode", std::to_string(t->status));
    jmap(w, "responseParameters", {});
    jmap(w, "responseTemplates", {{"application/json", std::string(kDefaultGatewayTemplate)}});
  }
  jbool(w, "defaultResponse", custom == nullptr);
  w.EndObject();
}

Result<bool> readGatewayResponse(const rapidjson::Value& o, RestGatewayResponse& out) {
  if (!o.IsObject()) return Error{400, "Invalid input: a gateway response must be an object"};
  JsonReader r(o);
  r.str("responseType", out.responseType);
  r.str("statusCode", out.statusCode);
  r.strMap("responseParameters", out.responseParameters);
  r.strMap("responseTemplates", out.responseTemplates);
  return checked(r);
}

void writeDefinitions(JsonWriter& w, const RestApiDefinitions& d) {
  w.StartObject();
  jkey(w, "authorizers");
  w.StartArray();
  for (const auto& a : d.authorizers) writeAuthorizer(w, a);
  w.EndArray();
  jkey(w, "requestValidators");
  w.StartArray();
  for (const auto& v : d.requestValidators) writeRequestValidator(w, v);
  w.EndArray();
  jkey(w, "models");
  w.StartArray();
  for (const auto& m : d.models) writeModel(w, m);
  w.EndArray();
  jkey(w, "gatewayResponses");
  w.StartArray();
  for (const auto& [type, g] : d.gatewayResponses) writeGatewayResponse(w, type, &g);
  w.EndArray();
  w.EndObject();
}

Result<bool> readDefinitions(const rapidjson::Value& o, RestApiDefinitions& out) {
  if (!o.IsObject()) return Error{400, "Invalid input: definitions must be an object"};
  if (auto r = readList(o, "authorizers", out.authorizers, [](const rapidjson::Value& e, RestAuthorizer& a) { return readAuthorizer(e, a); }); !r)
    return r;
  if (auto r = readList(o, "requestValidators", out.requestValidators,
                        [](const rapidjson::Value& e, RestRequestValidator& v) { return readRequestValidator(e, v); });
      !r)
    return r;
  if (auto r = readList(o, "models", out.models, [](const rapidjson::Value& e, RestModelSchema& m) { return readModel(e, m); }); !r)
    return r;
  std::vector<RestGatewayResponse> responses;
  if (auto r = readList(o, "gatewayResponses", responses,
                        [](const rapidjson::Value& e, RestGatewayResponse& g) { return readGatewayResponse(e, g); });
      !r)
    return r;
  for (auto& g : responses) out.gatewayResponses[g.responseType] = std::move(g);
  return true;
}

}  // namespace cdnlab::gateway
