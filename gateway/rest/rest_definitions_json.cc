// JSON of a REST API's definitions beside its resources (see rest_json.h): authorizers, request
// validators, models and gateway responses, in the apigateway API's member names.
#include "gateway/json_members.h"
#include "gateway/rest/gateway_responses.h"
#include "gateway/rest/rest_json.h"

namespace cdnlab::gateway {
namespace {

// Each object's members, in the order the API answers them (json_members.h).
template <typename Io, typename A>
void authorizerMembers(Io& io, A& a) {
  io.str("id", a.id);
  io.str("name", a.name);
  io.str("type", a.type);
  io.optStr("authType", a.authType);
  io.optStr("authorizerUri", a.authorizerUri);
  io.optStr("authorizerCredentials", a.authorizerCredentials);
  io.optStr("identitySource", a.identitySource);
  io.optStr("identityValidationExpression", a.identityValidationExpression);
  io.optList("providerARNs", a.providerARNs);
  io.integer("authorizerResultTtlInSeconds", a.authorizerResultTtlInSeconds);
}

template <typename Io, typename V>
void validatorMembers(Io& io, V& v) {
  io.str("id", v.id);
  io.str("name", v.name);
  io.boolean("validateRequestBody", v.validateRequestBody);
  io.boolean("validateRequestParameters", v.validateRequestParameters);
}

template <typename Io, typename M>
void modelMembers(Io& io, M& m) {
  io.str("id", m.id);
  io.str("name", m.name);
  io.optStr("description", m.description);
  io.optStr("schema", m.schema);
  io.str("contentType", m.contentType);
}

}  // namespace

void writeAuthorizer(JsonWriter& w, const RestAuthorizer& a) {
  writeMembers(w, a, [](auto& io, auto& x) { authorizerMembers(io, x); });
}

Result<bool> readAuthorizer(const rapidjson::Value& o, RestAuthorizer& out) {
  return readMembers(o, "an authorizer", out, [](auto& io, auto& x) { authorizerMembers(io, x); });
}

void writeRequestValidator(JsonWriter& w, const RestRequestValidator& v) {
  writeMembers(w, v, [](auto& io, auto& x) { validatorMembers(io, x); });
}

Result<bool> readRequestValidator(const rapidjson::Value& o, RestRequestValidator& out) {
  return readMembers(o, "a request validator", out, [](auto& io, auto& x) { validatorMembers(io, x); });
}

void writeModel(JsonWriter& w, const RestModelSchema& m) {
  writeMembers(w, m, [](auto& io, auto& x) { modelMembers(io, x); });
}

Result<bool> readModel(const rapidjson::Value& o, RestModelSchema& out) {
  return readMembers(o, "a model", out, [](auto& io, auto& x) { modelMembers(io, x); });
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
  return r.result();
}

void writeDefinitions(JsonWriter& w, const RestApiDefinitions& d) {
  w.StartObject();
  writeList(w, "authorizers", d.authorizers, writeAuthorizer);
  writeList(w, "requestValidators", d.requestValidators, writeRequestValidator);
  writeList(w, "models", d.models, writeModel);
  writeList(w, "gatewayResponses", d.gatewayResponses,
            [](JsonWriter& w, const auto& e) { writeGatewayResponse(w, e.first, &e.second); });
  w.EndObject();
}

Result<bool> readDefinitions(const rapidjson::Value& o, RestApiDefinitions& out) {
  if (!o.IsObject()) return Error{400, "Invalid input: definitions must be an object"};
  if (auto r = readList(o, "authorizers", out.authorizers, readAuthorizer); !r) return r;
  if (auto r = readList(o, "requestValidators", out.requestValidators, readRequestValidator); !r) return r;
  if (auto r = readList(o, "models", out.models, readModel); !r) return r;
  std::vector<RestGatewayResponse> responses;
  if (auto r = readList(o, "gatewayResponses", responses, readGatewayResponse); !r) return r;
  for (auto& g : responses) out.gatewayResponses[g.responseType] = std::move(g);
  return true;
}

}  // namespace cdnlab::gateway
