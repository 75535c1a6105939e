// OpenAPI import of a REST API's definitions (see rest_import_definitions.h). yaml-cpp throws on
// conversions of malformed nodes; importRestApi's boundary turns that into an error with the line.
#include "gateway/rest/rest_import_definitions.h"

#include <algorithm>
#include <cctype>

#include "gateway/auth/rest_authorizer.h"
#include "gateway/json.h"
#include "gateway/model/api_model.h"
#include "gateway/openapi/yaml_document.h"
#include "gateway/rest/decimal.h"
#include "gateway/rest/gateway_responses.h"
#include "gateway/rest/rest_definitions.h"
#include "gateway/rest/request_validation.h"

namespace cdnlab::gateway {
namespace {

constexpr int kMaxYamlDepth = 64;

Error failAt(const std::string& source, const YAML::Node& n, const std::string& path, const std::string& why) {
  return YamlSource{source}.fail(n, path, why);
}

std::string str(const YAML::Node& n) { return scalar(n) ? n.as<std::string>() : ""; }

bool writeYaml(const YAML::Node& n, JsonWriter& w, int depth) {
  if (depth > kMaxYamlDepth) return false;
  if (n.IsMap()) {
    w.StartObject();
    for (const auto& kv : n) {
      jkey(w, kv.first.as<std::string>());
      if (!writeYaml(kv.second, w, depth + 1)) return false;
    }
    w.EndObject();
  } else if (n.IsSequence()) {
    w.StartArray();
    for (const auto& e : n)
      if (!writeYaml(e, w, depth + 1)) return false;
    w.EndArray();
  } else if (n.IsScalar()) {
    std::string s = n.Scalar();
    if (n.Tag() == "!") {  // quoted: a string whatever it looks like
      jstr(w, s);
    } else if (s == "true" || s == "True" || s == "TRUE" || s == "false" || s == "False" || s == "FALSE") {
      w.Bool(s[0] == 't' || s[0] == 'T');
    } else if (s == "null" || s == "Null" || s == "NULL" || s == "~" || s.empty()) {
      w.Null();
    } else if (auto i = parseNumber<int64_t>(s)) {
      w.Int64(*i);
    } else if (auto d = s.find_first_not_of("+-0123456789.eE") == std::string::npos ? parseNumber<double>(s) : std::nullopt) {
      w.Double(*d);
    } else {
      jstr(w, s);
    }
  } else {
    w.Null();
  }
  return true;
}

// The model name a schema reference names ("#/components/schemas/Pet", "#/definitions/Pet").
std::string refModel(const YAML::Node& schema) {
  if (!schema.IsMap() || !scalar(schema["$ref"])) return "";
  std::string ref = schema["$ref"].as<std::string>();
  for (std::string_view p : {"#/components/schemas/", "#/definitions/"})
    if (ref.rfind(p, 0) == 0) return ref.substr(p.size());
  return "";
}

Result<bool> importAuthorizers(const YAML::Node& root, const std::string& source, ImportedDefinitions& d) {
  bool v3 = root["components"].IsDefined();
  const YAML::Node schemes = v3 ? root["components"]["securitySchemes"] : root["securityDefinitions"];
  std::string base = v3 ? "components.securitySchemes" : "securityDefinitions";
  if (!schemes.IsDefined() || !schemes.IsMap()) return true;
  for (const auto& kv : schemes) {
    std::string name = kv.first.as<std::string>();
    std::string path = base + "." + name;
    const YAML::Node& s = kv.second;
    if (!s.IsMap()) return failAt(source, s, path, "must be a map");
    std::string authType = str(s["x-amazon-apigateway-authtype"]);
    if (authType == "awsSigv4") {
      d.iamSchemes.push_back(name);
      continue;
    }
    const YAML::Node x = s["x-amazon-apigateway-authorizer"];
    if (!x.IsDefined()) continue;
    if (!x.IsMap()) return failAt(source, x, path + ".x-amazon-apigateway-authorizer", "must be a map");
    RestAuthorizer a;
    a.id = newId(6);
    a.name = name;
    a.authType = authType;
    a.type = upperAscii(str(x["type"]));
    if (a.type == "JWT") return failAt(source, x["type"], path + ".x-amazon-apigateway-authorizer.type", "jwt authorizers are for HTTP APIs");
    a.authorizerUri = str(x["authorizerUri"]);
    a.authorizerCredentials = str(x["authorizerCredentials"]);
    a.identityValidationExpression = str(x["identityValidationExpression"]);
    if (scalar(x["identitySource"])) {
      a.identitySource = x["identitySource"].as<std::string>();
    } else if ((a.type == "TOKEN" || a.type == "COGNITO_USER_POOLS") && str(s["in"]) == "header" && scalar(s["name"])) {
      a.identitySource = "method.request.header." + s["name"].as<std::string>();  // the apiKey scheme's header
    }
    if (scalar(x["authorizerResultTtlInSeconds"])) {
      auto t = parseNumber<int64_t>(x["authorizerResultTtlInSeconds"].as<std::string>());
      if (!t || *t < 0 || *t > 3600)
        return failAt(source, x["authorizerResultTtlInSeconds"], path + ".x-amazon-apigateway-authorizer.authorizerResultTtlInSeconds",
                      "must be a number of seconds (0..3600)");
      a.authorizerResultTtlInSeconds = *t;
    }
    if (x["providerARNs"].IsDefined() && x["providerARNs"].IsSequence())
      for (const auto& e : x["providerARNs"]) a.providerARNs.push_back(e.as<std::string>());
    if (auto c = checkRestAuthorizer(a); !c) return failAt(source, x, path + ".x-amazon-apigateway-authorizer", c.error().message);
    d.authorizerIdByScheme[name] = a.id;
    d.definitions.authorizers.push_back(std::move(a));
  }
  return true;
}

Result<bool> importValidators(const YAML::Node& root, const std::string& source, ImportedDefinitions& d) {
  const YAML::Node vs = root["x-amazon-apigateway-request-validators"];
  if (vs.IsDefined()) {
    if (!vs.IsMap()) return failAt(source, vs, "x-amazon-apigateway-request-validators", "must be a map of name -> validator");
    for (const auto& kv : vs) {
      std::string name = kv.first.as<std::string>();
      const YAML::Node& v = kv.second;
      std::string path = "x-amazon-apigateway-request-validators." + name;
      if (!v.IsMap()) return failAt(source, v, path, "must be a map");
      RestRequestValidator rv;
      rv.id = newId(6);
      rv.name = name;
      for (auto [member, field] : {std::pair{"validateRequestBody", &rv.validateRequestBody},
                                   std::pair{"validateRequestParameters", &rv.validateRequestParameters}}) {
        if (!v[member].IsDefined()) continue;
        std::string b = str(v[member]);
        if (b != "true" && b != "false") return failAt(source, v[member], path + "." + member, "must be true or false");
        *field = b == "true";
      }
      d.validatorIdByName[name] = rv.id;
      d.definitions.requestValidators.push_back(std::move(rv));
    }
  }
  const YAML::Node def = root["x-amazon-apigateway-request-validator"];
  if (def.IsDefined()) {
    auto it = d.validatorIdByName.find(str(def));
    if (it == d.validatorIdByName.end())
      return failAt(source, def, "x-amazon-apigateway-request-validator", "no validator named '" + str(def) + "' in x-amazon-apigateway-request-validators");
    d.defaultValidatorId = it->second;
  }
  return true;
}

Result<bool> importModels(const YAML::Node& root, const std::string& source, ImportedDefinitions& d) {
  bool v3 = root["components"].IsDefined();
  const YAML::Node schemas = v3 ? root["components"]["schemas"] : root["definitions"];
  std::string base = v3 ? "components.schemas" : "definitions";
  if (schemas.IsDefined()) {
    if (!schemas.IsMap()) return failAt(source, schemas, base, "must be a map of name -> schema");
    for (const auto& kv : schemas) {
      std::string name = kv.first.as<std::string>();
      auto json = yamlToJson(kv.second);
      if (!json) return failAt(source, kv.second, base + "." + name, json.error().message);
      RestModelSchema m;
      m.id = newId(6);
      m.name = name;
      m.schema = std::move(*json);
      if (auto c = checkModelSchema(name, m.schema); !c) return failAt(source, kv.second, base + "." + name, c.error().message);
      d.definitions.models.push_back(std::move(m));
    }
  }
  for (auto& b : builtinModels())
    if (!d.definitions.findModel(b.name)) d.definitions.models.push_back(std::move(b));
  return true;
}

Result<bool> importGatewayResponses(const YAML::Node& root, const std::string& source, ImportedDefinitions& d) {
  const YAML::Node gr = root["x-amazon-apigateway-gateway-responses"];
  if (!gr.IsDefined()) return true;
  const std::string base = "x-amazon-apigateway-gateway-responses";
  if (!gr.IsMap()) return failAt(source, gr, base, "must be a map of response type -> response");
  for (const auto& kv : gr) {
    std::string type = kv.first.as<std::string>();
    std::string path = base + "." + type;
    const YAML::Node& r = kv.second;
    if (!findGatewayResponseType(type)) return failAt(source, kv.first, path, "unknown gateway response type");
    if (!r.IsMap()) return failAt(source, r, path, "must be a map");
    RestGatewayResponse g;
    g.responseType = type;
    g.statusCode = str(r["statusCode"]);
    for (auto [member, out] : {std::pair{"responseParameters", &g.responseParameters},
                               std::pair{"responseTemplates", &g.responseTemplates}}) {
      const YAML::Node m = r[member];
      if (!m.IsDefined() || m.IsNull()) continue;
      if (!m.IsMap()) return failAt(source, m, path + "." + member, "must be a map of strings");
      for (const auto& e : m) {
        if (!e.second.IsScalar()) return failAt(source, e.second, path + "." + member + "." + e.first.as<std::string>(), "must be a string");
        (*out)[e.first.as<std::string>()] = e.second.as<std::string>();
      }
    }
    if (auto c = compileGatewayResponses({{type, g}}); !c) return failAt(source, r, path, c.error().message);
    d.definitions.gatewayResponses[type] = std::move(g);
  }
  return true;
}

// The model for one content type's schema: a $ref names it, an inline schema becomes one.
Result<std::string> modelFor(const YAML::Node& schema, const std::string& path, const std::string& source, const RestMethod& m,
                             ImportedDefinitions& d) {
  std::string name = refModel(schema);
  if (!name.empty()) {
    if (!d.definitions.findModel(name)) return failAt(source, schema, path + ".$ref", "no schema named '" + name + "'");
    return name;
  }
  auto json = yamlToJson(schema);
  if (!json) return failAt(source, schema, path, json.error().message);
  RestModelSchema model;
  model.id = newId(6);
  std::string stem = m.operationName.empty() ? m.httpMethod : m.operationName;
  stem.erase(std::remove_if(stem.begin(), stem.end(), [](char c) { return !std::isalnum(static_cast<unsigned char>(c)); }), stem.end());
  model.name = stem + "Body" + model.id;
  model.schema = std::move(*json);
  if (auto c = checkModelSchema(model.name, model.schema); !c) return failAt(source, schema, path, c.error().message);
  d.definitions.models.push_back(model);
  return model.name;
}

}  // namespace

Result<std::string> yamlToJson(const YAML::Node& n) {
  rapidjson::StringBuffer b;
  JsonWriter w(b);
  if (!writeYaml(n, w, 0)) return Error{400, "nested deeper than " + std::to_string(kMaxYamlDepth) + " levels"};
  return std::string(b.GetString(), b.GetSize());
}

Result<ImportedDefinitions> importDefinitions(const YAML::Node& root, const std::string& source) {
  ImportedDefinitions d;
  if (auto r = importAuthorizers(root, source, d); !r) return r.error();
  if (auto r = importValidators(root, source, d); !r) return r.error();
  if (auto r = importModels(root, source, d); !r) return r.error();
  if (auto r = importGatewayResponses(root, source, d); !r) return r.error();
  return d;
}

Result<bool> importOperationDefinitions(const YAML::Node& root, const YAML::Node& o, const std::string& op,
                                        const std::string& source, ImportedDefinitions& d, RestMethod& m) {
  // security: the first requirement naming an authorizer or an awsSigv4 scheme decides.
  const YAML::Node security = o["security"].IsDefined() ? o["security"] : root["security"];
  if (security.IsDefined() && security.IsSequence())
    for (const auto& req : security) {
      if (!req.IsMap()) continue;
      for (const auto& kv : req) {
        std::string scheme = kv.first.as<std::string>();
        if (auto it = d.authorizerIdByScheme.find(scheme); it != d.authorizerIdByScheme.end() && m.authorizationType == "NONE") {
          const RestAuthorizer* a = d.definitions.findAuthorizer(it->second);
          m.authorizationType = a && a->type == "COGNITO_USER_POOLS" ? "COGNITO_USER_POOLS" : "CUSTOM";
          m.authorizerId = it->second;
          if (kv.second.IsSequence())
            for (const auto& s : kv.second) m.authorizationScopes.push_back(s.as<std::string>());
        } else if (std::find(d.iamSchemes.begin(), d.iamSchemes.end(), scheme) != d.iamSchemes.end() &&
                   m.authorizationType == "NONE") {
          m.authorizationType = "AWS_IAM";
        }
      }
    }
  // The request validator: the operation's, else the document's default.
  m.requestValidatorId = d.defaultValidatorId;
  if (o["x-amazon-apigateway-request-validator"].IsDefined()) {
    std::string name = str(o["x-amazon-apigateway-request-validator"]);
    auto it = d.validatorIdByName.find(name);
    if (it == d.validatorIdByName.end())
      return failAt(source, o["x-amazon-apigateway-request-validator"], op + ".x-amazon-apigateway-request-validator",
                    "no validator named '" + name + "' in x-amazon-apigateway-request-validators");
    m.requestValidatorId = it->second;
  }
  // The request body's models.
  const YAML::Node content = o["requestBody"].IsDefined() && o["requestBody"].IsMap() ? o["requestBody"]["content"] : YAML::Node();
  if (content.IsDefined() && content.IsMap()) {
    for (const auto& kv : content) {
      std::string ct = kv.first.as<std::string>();
      if (!kv.second.IsMap() || !kv.second["schema"].IsDefined()) continue;
      auto model = modelFor(kv.second["schema"], op + ".requestBody.content." + ct + ".schema", source, m, d);
      if (!model) return model.error();
      m.requestModels[ct] = *model;
    }
  }
  if (o["parameters"].IsDefined() && o["parameters"].IsSequence())  // Swagger 2: in: body
    for (const auto& p : o["parameters"]) {
      if (!p.IsMap() || str(p["in"]) != "body" || !p["schema"].IsDefined()) continue;
      auto model = modelFor(p["schema"], op + ".parameters.body.schema", source, m, d);
      if (!model) return model.error();
      const YAML::Node consumes = o["consumes"].IsDefined() ? o["consumes"] : root["consumes"];
      if (consumes.IsDefined() && consumes.IsSequence() && consumes.size() > 0) {
        for (const auto& ct : consumes) m.requestModels[ct.as<std::string>()] = *model;
      } else {
        m.requestModels["application/json"] = *model;
      }
    }
  return true;
}

}  // namespace cdnlab::gateway
