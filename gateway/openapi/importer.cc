// OpenAPI importer (see importer.h). yaml-cpp reads both YAML and JSON and keeps line marks, so
// every error points at the line of the offending member. yaml-cpp reports malformed documents by
// throwing; the import boundary catches that and turns it into an error naming the line.
#include "gateway/openapi/importer.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "common/parse_integer.h"
#include "gateway/openapi/yaml_document.h"
#include "gateway/routing/route_table.h"

namespace cdnlab::gateway {
namespace {

const char* const kMethods[] = {"get", "put", "post", "delete", "options", "head", "patch"};

Result<Authorizer> readRequestAuthorizer(const YamlSource& cx, const YAML::Node& az, const std::string& name, const std::string& p);

Result<std::vector<std::string>> readStringList(const YamlSource& cx, const YAML::Node& n, const std::string& path) {
  std::vector<std::string> v;
  if (!n.IsDefined() || n.IsNull()) return v;
  if (!n.IsSequence()) return cx.fail(n, path, "must be a list of strings");
  for (const auto& e : n) {
    if (!e.IsScalar()) return cx.fail(e, path, "must be a list of strings");
    v.push_back(e.as<std::string>());
  }
  return v;
}

// A mock's status: responses.default.statusCode, else {"statusCode": N} in the request template.
Result<bool> readMock(const YamlSource& cx, const YAML::Node& x, const std::string& path, Integration& in) {
  YAML::Node def = x["responses"].IsDefined() ? x["responses"]["default"] : YAML::Node();
  if (def.IsDefined() && def.IsMap()) {
    if (scalar(def["statusCode"])) {
      int sc = parseInteger<int>(def["statusCode"].as<std::string>()).value_or(0);
      if (sc < 100 || sc > 599) return cx.fail(def["statusCode"], path + ".responses.default.statusCode", "must be an HTTP status 100..599");
      in.mock.statusCode = sc;
    }
    auto rt = readYamlStringMap(cx, def["responseTemplates"], path + ".responses.default.responseTemplates");
    if (!rt) return rt.error();
    if (!rt->empty()) {
      auto it = rt->find("application/json");
      if (it == rt->end()) it = rt->begin();
      in.mock.contentType = it->first;
      in.mock.body = it->second;
    }
    auto rp = readYamlStringMap(cx, def["responseParameters"], path + ".responses.default.responseParameters");
    if (!rp) return rp.error();
    for (const auto& [k, v] : *rp) {
      static const std::string kPrefix = "method.response.header.";
      if (k.rfind(kPrefix, 0) != 0)
        return cx.fail(def["responseParameters"], path + ".responses.default.responseParameters." + k,
                       "only method.response.header.<name> is supported");
      std::string val = v;
      if (val.size() >= 2 && val.front() == '\'' && val.back() == '\'') val = val.substr(1, val.size() - 2);
      in.mock.headers[k.substr(kPrefix.size())] = val;
    }
  }
  return true;
}

Result<Integration> readIntegration(const YamlSource& cx, const YAML::Node& x, const std::string& path) {
  Integration in;
  if (!x.IsMap()) return cx.fail(x, path, "must be a map");
  if (!scalar(x["type"])) return cx.fail(x, path + ".type", "is required");
  std::string type = x["type"].as<std::string>();
  std::string lower = type;
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "aws_proxy") in.type = "AWS_PROXY";
  else if (lower == "http_proxy") in.type = "HTTP_PROXY";
  else if (lower == "mock") in.type = "MOCK";
  else if (lower == "aws" || lower == "http")
    return cx.fail(x["type"], path + ".type", "integration type '" + type + "' is not supported for HTTP APIs (aws_proxy, http_proxy, mock)");
  else
    return cx.fail(x["type"], path + ".type", "unknown integration type '" + type + "' (aws_proxy, http_proxy, mock)");
  if (scalar(x["uri"])) in.uri = x["uri"].as<std::string>();
  if (scalar(x["httpMethod"])) in.method = upperAscii(x["httpMethod"].as<std::string>());
  if (scalar(x["payloadFormatVersion"])) in.payloadFormatVersion = x["payloadFormatVersion"].as<std::string>();
  if (scalar(x["connectionType"])) in.connectionType = x["connectionType"].as<std::string>();
  if (scalar(x["timeoutInMillis"])) {
    long t = parseInteger<long>(x["timeoutInMillis"].as<std::string>()).value_or(-1);
    if (t < 50 || t > 30000) return cx.fail(x["timeoutInMillis"], path + ".timeoutInMillis", "must be between 50 and 30000");
    in.timeoutMs = static_cast<int>(t);
  }
  auto rp = readYamlStringMap(cx, x["requestParameters"], path + ".requestParameters");
  if (!rp) return rp.error();
  in.requestParameters = std::move(*rp);
  auto rt = readYamlStringMap(cx, x["requestTemplates"], path + ".requestTemplates");
  if (!rt) return rt.error();
  in.requestTemplates = std::move(*rt);
  if (in.type == "AWS_PROXY" && in.uri.empty()) return cx.fail(x, path + ".uri", "is required for aws_proxy");
  if (in.type == "HTTP_PROXY" && in.uri.rfind("http://", 0) != 0 && in.uri.rfind("https://", 0) != 0)
    return cx.fail(x["uri"].IsDefined() ? x["uri"] : x, path + ".uri", "must be an http:// URL for http_proxy");
  if (in.type == "AWS_PROXY") {
    if (in.payloadFormatVersion.empty()) in.payloadFormatVersion = "2.0";
    if (in.payloadFormatVersion != "1.0" && in.payloadFormatVersion != "2.0")
      return cx.fail(x["payloadFormatVersion"], path + ".payloadFormatVersion", "must be 1.0 or 2.0");
    if (in.method.empty()) in.method = "POST";
  }
  if (in.type == "HTTP_PROXY") {
    if (in.method.empty()) in.method = "ANY";
    in.payloadFormatVersion = "1.0";
  }
  if (in.type == "MOCK")
    if (auto m = readMock(cx, x, path, in); !m) return m.error();
  for (const auto& [k, v] : in.requestParameters) {
    auto colon = k.find(':');
    std::string action = colon == std::string::npos ? "" : k.substr(0, colon);
    if (action != "append" && action != "overwrite" && action != "remove")
      return cx.fail(x["requestParameters"], path + ".requestParameters." + k, "must start with append:, overwrite: or remove:");
  }
  return in;
}

Result<Cors> readCors(const YamlSource& cx, const YAML::Node& n) {
  Cors c;
  const std::string p = "x-amazon-apigateway-cors";
  if (!n.IsMap()) return cx.fail(n, p, "must be a map");
  for (const auto& kv : n) {
    std::string k = kv.first.as<std::string>();
    std::vector<std::string>* list = k == "allowOrigins" ? &c.allowOrigins : k == "allowMethods" ? &c.allowMethods
                                     : k == "allowHeaders" ? &c.allowHeaders : k == "exposeHeaders" ? &c.exposeHeaders : nullptr;
    if (list) {
      auto l = readStringList(cx, kv.second, p + "." + k);
      if (!l) return l.error();
      *list = std::move(*l);
    } else if (k == "allowCredentials") {
      if (!kv.second.IsScalar()) return cx.fail(kv.second, p + "." + k, "must be true or false");
      std::string v = kv.second.as<std::string>();
      if (v != "true" && v != "false") return cx.fail(kv.second, p + "." + k, "must be true or false");
      c.allowCredentials = v == "true";
    } else if (k == "maxAge") {
      long v = parseInteger<long>(kv.second.as<std::string>()).value_or(-2);
      if (v < 0 || v > 86400) return cx.fail(kv.second, p + "." + k, "must be between 0 and 86400");
      c.maxAge = v;
    } else {
      return cx.fail(kv.first, p + "." + k, "unknown member");
    }
  }
  return c;
}

Result<Api> importDocument(const YamlSource& cx, const YAML::Node& root) {
  if (!root.IsMap()) return cx.fail(root, "(document)", "must be an OpenAPI 3 object");
  if (!scalar(root["openapi"]))
    return cx.fail(root, "openapi", root["swagger"].IsDefined() ? "Swagger 2.0 documents are for REST APIs; HTTP APIs import OpenAPI 3 (openapi: 3.0.x)" : "is required (openapi: 3.0.1)");
  if (root["openapi"].as<std::string>().rfind("3.", 0) != 0)
    return cx.fail(root["openapi"], "openapi", "unsupported version " + root["openapi"].as<std::string>() + " (3.x)");
  Api api;
  if (!root["info"].IsDefined() || !root["info"].IsMap()) return cx.fail(root, "info.title", "is required (it names the API)");
  if (!scalar(root["info"]["title"])) return cx.fail(root["info"], "info.title", "is required (it names the API)");
  api.name = root["info"]["title"].as<std::string>();
  if (scalar(root["info"]["version"])) api.version = root["info"]["version"].as<std::string>();
  if (scalar(root["info"]["description"])) api.description = root["info"]["description"].as<std::string>();
  api.protocolType = "HTTP";
  api.routeSelectionExpression = "$request.method $request.path";
  if (root["x-amazon-apigateway-cors"].IsDefined()) {
    auto c = readCors(cx, root["x-amazon-apigateway-cors"]);
    if (!c) return c.error();
    api.corsConfiguration = std::move(*c);
  }
  // Authorizers: components.securitySchemes.<name>.x-amazon-apigateway-authorizer (jwt or
  // request), and SigV4 schemes (x-amazon-apigateway-authtype: awsSigv4) for AWS_IAM routes.
  std::map<std::string, size_t> authorizerByScheme;
  std::set<std::string> sigv4Schemes;
  YAML::Node schemes = root["components"].IsDefined() && root["components"].IsMap() ? root["components"]["securitySchemes"] : YAML::Node();
  if (schemes.IsDefined() && schemes.IsMap()) {
    for (const auto& sk : schemes) {
      std::string name = sk.first.as<std::string>();
      std::string p = "components.securitySchemes." + name + ".x-amazon-apigateway-authorizer";
      if (sk.second.IsMap() && scalar(sk.second["x-amazon-apigateway-authtype"]) &&
          sk.second["x-amazon-apigateway-authtype"].as<std::string>() == "awsSigv4") {
        sigv4Schemes.insert(name);
        continue;
      }
      YAML::Node az = sk.second.IsMap() ? sk.second["x-amazon-apigateway-authorizer"] : YAML::Node();
      if (!az.IsDefined()) continue;
      if (!az.IsMap()) return cx.fail(az, p, "must be a map");
      std::string type = scalar(az["type"]) ? az["type"].as<std::string>() : "";
      if (type == "request") {
        auto a = readRequestAuthorizer(cx, az, name, p);
        if (!a) return a.error();
        authorizerByScheme[name] = api.authorizers.size();
        api.authorizers.push_back(std::move(*a));
        continue;
      }
      if (type != "jwt") return cx.fail(az["type"].IsDefined() ? az["type"] : az, p + ".type", "unsupported authorizer type '" + type + "' (jwt, request)");
      Authorizer a;
      a.name = name;
      if (az["identitySource"].IsDefined()) {
        if (!scalar(az["identitySource"])) return cx.fail(az["identitySource"], p + ".identitySource", "must be a string");
        a.identitySource = {az["identitySource"].as<std::string>()};
        if (a.identitySource[0].rfind("$request.header.", 0) != 0)
          return cx.fail(az["identitySource"], p + ".identitySource", "must be $request.header.<name>");
      }
      YAML::Node jc = az["jwtConfiguration"];
      if (!jc.IsDefined() || !jc.IsMap() || !scalar(jc["issuer"])) return cx.fail(az, p + ".jwtConfiguration.issuer", "is required");
      a.issuer = jc["issuer"].as<std::string>();
      auto aud = readStringList(cx, jc["audience"], p + ".jwtConfiguration.audience");
      if (!aud) return aud.error();
      if (aud->empty()) return cx.fail(jc, p + ".jwtConfiguration.audience", "is required");
      a.audience = std::move(*aud);
      authorizerByScheme[name] = api.authorizers.size();
      api.authorizers.push_back(std::move(a));
    }
  }
  const YAML::Node paths = root["paths"];
  if (!paths.IsDefined() || !paths.IsMap()) return cx.fail(root, "paths", "is required and must be a map");
  std::vector<int> lines;
  for (const auto& pk : paths) {
    std::string path = pk.first.as<std::string>();
    const YAML::Node ops = pk.second;
    std::string p = "paths." + path;
    if (!ops.IsMap()) return cx.fail(ops, p, "must be a map of operations");
    for (const auto& ok : ops) {
      std::string m = ok.first.as<std::string>();
      std::string method;
      if (m == "x-amazon-apigateway-any-method") method = "ANY";
      else if (std::find_if(std::begin(kMethods), std::end(kMethods), [&](const char* k) { return m == k; }) != std::end(kMethods))
        method = upperAscii(m);
      else if (m == "parameters" || m == "summary" || m == "description" || m == "servers" || m.rfind("x-", 0) == 0)
        continue;
      else
        return cx.fail(ok.first, p + "." + m, "unknown operation (get, put, post, delete, options, head, patch, x-amazon-apigateway-any-method)");
      std::string op = p + "." + m;
      Route r;
      r.routeKey = path == "$default" ? "$default" : method + " " + path;
      if (path != "$default") {
        auto k = parseRouteKey(r.routeKey);
        if (!k) return cx.fail(pk.first, p, k.error().message);
      }
      if (ok.second.IsMap() && scalar(ok.second["operationId"])) r.operationName = ok.second["operationId"].as<std::string>();
      YAML::Node sec = ok.second.IsMap() ? ok.second["security"] : YAML::Node();
      if (sec.IsDefined() && sec.IsSequence() && sec.size() > 0) {
        if (!sec[0].IsMap() || sec[0].size() != 1) return cx.fail(sec, op + ".security", "must name one security scheme");
        auto entry = *sec[0].begin();
        std::string scheme = entry.first.as<std::string>();
        auto it = authorizerByScheme.find(scheme);
        if (sigv4Schemes.count(scheme)) {
          r.authorizationType = "AWS_IAM";
        } else if (it == authorizerByScheme.end()) {
          return cx.fail(entry.first, op + ".security." + scheme, "no securitySchemes entry with x-amazon-apigateway-authorizer");
        } else {
          auto scopes = readStringList(cx, entry.second, op + ".security." + scheme);
          if (!scopes) return scopes.error();
          r.authorizationType = api.authorizers[it->second].authorizerType == "REQUEST" ? "CUSTOM" : "JWT";
          r.authorizerId = "#" + std::to_string(it->second);
          if (r.authorizationType == "JWT") r.authorizationScopes = std::move(*scopes);
        }
      }
      YAML::Node x = ok.second.IsMap() ? ok.second["x-amazon-apigateway-integration"] : YAML::Node();
      if (x.IsDefined()) {
        auto in = readIntegration(cx, x, op + ".x-amazon-apigateway-integration");
        if (!in) return in.error();
        api.integrations.push_back(std::move(*in));
        r.target = "integrations/#" + std::to_string(api.integrations.size() - 1);
      }
      api.routes.push_back(std::move(r));
      lines.push_back(ok.first.Mark().line + 1);
    }
  }
  // Conflicts: two operations whose routes have the same method and path shape.
  for (size_t i = 0; i < api.routes.size(); ++i) {
    auto a = parseRouteKey(api.routes[i].routeKey);
    for (size_t j = 0; j < i && a; ++j) {
      auto t = RouteTable::build({api.routes[j].routeKey, api.routes[i].routeKey});
      if (!t)
        return Error{400, cx.source + ":" + std::to_string(lines[i]) + ": route " + api.routes[i].routeKey +
                              " conflicts with route " + api.routes[j].routeKey + " (line " + std::to_string(lines[j]) + ")"};
    }
  }
  return api;
}

// A Lambda authorizer (x-amazon-apigateway-authorizer type request): authorizerUri,
// authorizerPayloadFormatVersion, identitySource (comma-separated), authorizerResultTtlInSeconds,
// enableSimpleResponses; checked by the rules create-authorizer applies.
Result<Authorizer> readRequestAuthorizer(const YamlSource& cx, const YAML::Node& az, const std::string& name, const std::string& p) {
  Authorizer a;
  a.name = name;
  a.authorizerType = "REQUEST";
  a.identitySource.clear();
  if (!scalar(az["authorizerUri"])) return cx.fail(az, p + ".authorizerUri", "is required");
  a.authorizerUri = az["authorizerUri"].as<std::string>();
  if (!scalar(az["authorizerPayloadFormatVersion"])) return cx.fail(az, p + ".authorizerPayloadFormatVersion", "is required (1.0 or 2.0)");
  a.authorizerPayloadFormatVersion = az["authorizerPayloadFormatVersion"].as<std::string>();
  if (a.authorizerPayloadFormatVersion != "1.0" && a.authorizerPayloadFormatVersion != "2.0")
    return cx.fail(az["authorizerPayloadFormatVersion"], p + ".authorizerPayloadFormatVersion", "must be 1.0 or 2.0");
  if (az["identitySource"].IsDefined()) {
    if (!scalar(az["identitySource"])) return cx.fail(az["identitySource"], p + ".identitySource", "must be a string");
    std::string all = az["identitySource"].as<std::string>();
    size_t i = 0;
    while (i <= all.size()) {
      size_t comma = all.find(',', i);
      std::string one = all.substr(i, comma == std::string::npos ? std::string::npos : comma - i);
      while (!one.empty() && one.front() == ' ') one.erase(0, 1);
      while (!one.empty() && one.back() == ' ') one.pop_back();
      bool known = false;
      for (const char* prefix : {"$request.header.", "$request.querystring.", "$context.", "$stageVariables."})
        known |= one.rfind(prefix, 0) == 0 && one.size() > std::char_traits<char>::length(prefix);
      if (!known)
        return cx.fail(az["identitySource"], p + ".identitySource",
                       "'" + one + "' is not $request.header.<name>, $request.querystring.<name>, $context.<name> or $stageVariables.<name>");
      a.identitySource.push_back(one);
      if (comma == std::string::npos) break;
      i = comma + 1;
    }
  }
  try {
    if (az["authorizerResultTtlInSeconds"].IsDefined()) a.authorizerResultTtlInSeconds = az["authorizerResultTtlInSeconds"].as<int64_t>();
  } catch (const YAML::Exception&) {
    return cx.fail(az["authorizerResultTtlInSeconds"], p + ".authorizerResultTtlInSeconds", "must be a number");
  }
  if (a.authorizerResultTtlInSeconds < 0 || a.authorizerResultTtlInSeconds > 3600)
    return cx.fail(az["authorizerResultTtlInSeconds"], p + ".authorizerResultTtlInSeconds", "must be between 0 and 3600");
  if (a.authorizerResultTtlInSeconds > 0 && a.identitySource.empty())
    return cx.fail(az, p + ".identitySource", "is required when authorizerResultTtlInSeconds is greater than 0");
  try {
    if (az["enableSimpleResponses"].IsDefined()) a.enableSimpleResponses = az["enableSimpleResponses"].as<bool>();
  } catch (const YAML::Exception&) {
    return cx.fail(az["enableSimpleResponses"], p + ".enableSimpleResponses", "must be true or false");
  }
  if (a.enableSimpleResponses && a.authorizerPayloadFormatVersion != "2.0")
    return cx.fail(az["enableSimpleResponses"], p + ".enableSimpleResponses", "needs authorizerPayloadFormatVersion 2.0");
  return a;
}

}  // namespace

Result<Api> importOpenApi(std::string_view text, const std::string& source) {
  YamlSource cx{source};
  return importYamlDocument<Api>(text, source, [&](const YAML::Node& root) { return importDocument(cx, root); });
}

}  // namespace cdnlab::gateway
