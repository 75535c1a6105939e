// REST API import (see rest_import.h). yaml-cpp reads YAML and JSON with line marks; it reports
// malformed documents by throwing, which the import boundary turns into an error naming the line.
#include "gateway/rest/rest_import.h"

#include <cctype>

#include "gateway/model/api_model.h"
#include "gateway/openapi/yaml_document.h"
#include "gateway/rest/decimal.h"
#include "gateway/rest/rest_import_definitions.h"
#include "gateway/vtl/parser.h"

namespace cdnlab::gateway {
namespace {

Result<bool> readIntegration(const YamlSource& cx, const YAML::Node& x, const std::string& path, RestIntegration& in) {
  if (!x.IsMap()) return cx.fail(x, path, "must be a map");
  if (!scalar(x["type"])) return cx.fail(x, path + ".type", "is required");
  std::string type = upperAscii(x["type"].as<std::string>());
  static const char* kTypes[] = {"AWS", "AWS_PROXY", "HTTP", "HTTP_PROXY", "MOCK"};
  bool known = false;
  for (const char* t : kTypes) known = known || type == t;
  if (!known)
    return cx.fail(x["type"], path + ".type",
                   "unknown integration type '" + x["type"].as<std::string>() + "' (aws, aws_proxy, http, http_proxy, mock)");
  in.type = type;
  if (scalar(x["uri"])) in.uri = x["uri"].as<std::string>();
  if (scalar(x["httpMethod"])) in.httpMethod = upperAscii(x["httpMethod"].as<std::string>());
  if (scalar(x["credentials"])) in.credentials = x["credentials"].as<std::string>();
  if (scalar(x["passthroughBehavior"])) in.passthroughBehavior = upperAscii(x["passthroughBehavior"].as<std::string>());
  if (scalar(x["cacheNamespace"])) in.cacheNamespace = x["cacheNamespace"].as<std::string>();
  if (x["cacheKeyParameters"].IsDefined()) {
    if (!x["cacheKeyParameters"].IsSequence()) return cx.fail(x["cacheKeyParameters"], path + ".cacheKeyParameters", "must be a list");
    for (const auto& e : x["cacheKeyParameters"]) in.cacheKeyParameters.push_back(e.as<std::string>());
  }
  if (scalar(x["timeoutInMillis"])) {
    auto t = parseNumber<int>(x["timeoutInMillis"].as<std::string>());
    if (!t || *t < 50 || *t > 29000) return cx.fail(x["timeoutInMillis"], path + ".timeoutInMillis", "must be between 50 and 29000");
    in.timeoutInMillis = *t;
  }
  if (in.type != "MOCK" && in.uri.empty()) return cx.fail(x, path + ".uri", "is required for type " + type);
  if ((in.type == "AWS" || in.type == "AWS_PROXY") && in.uri.rfind("arn:", 0) != 0)
    return cx.fail(x["uri"], path + ".uri", "must be an arn:aws:apigateway:<region>:<service>:... URI");
  auto rt = readYamlStringMap(cx, x["requestTemplates"], path + ".requestTemplates");
  if (!rt) return rt.error();
  in.requestTemplates = std::move(*rt);
  for (const auto& [ct, tpl] : in.requestTemplates) {
    auto t = vtl::parseTemplate(ct, tpl);
    if (!t) return cx.fail(x["requestTemplates"][ct], path + ".requestTemplates." + ct, t.error().message);
  }
  auto rp = readYamlStringMap(cx, x["requestParameters"], path + ".requestParameters");
  if (!rp) return rp.error();
  in.requestParameters = std::move(*rp);
  const YAML::Node rs = x["responses"];
  if (rs.IsDefined() && !rs.IsNull()) {
    if (!rs.IsMap()) return cx.fail(rs, path + ".responses", "must be a map of selection pattern -> response");
    for (const auto& kv : rs) {
      std::string pattern = kv.first.as<std::string>();
      std::string rpath = path + ".responses." + pattern;
      const YAML::Node& r = kv.second;
      if (!r.IsMap()) return cx.fail(r, rpath, "must be a map");
      RestIntegrationResponse ir;
      ir.selectionPattern = pattern == "default" ? "" : pattern;
      if (!scalar(r["statusCode"])) return cx.fail(r, rpath + ".statusCode", "is required");
      ir.statusCode = r["statusCode"].as<std::string>();
      if (ir.statusCode.size() != 3 || !std::all_of(ir.statusCode.begin(), ir.statusCode.end(), ::isdigit))
        return cx.fail(r["statusCode"], rpath + ".statusCode", "must be an HTTP status code");
      auto tpls = readYamlStringMap(cx, r["responseTemplates"], rpath + ".responseTemplates");
      if (!tpls) return tpls.error();
      for (const auto& [ct, tpl] : *tpls) {
        auto t = vtl::parseTemplate(ct, tpl);
        if (!t) return cx.fail(r["responseTemplates"][ct], rpath + ".responseTemplates." + ct, t.error().message);
      }
      ir.responseTemplates = std::move(*tpls);
      auto params = readYamlStringMap(cx, r["responseParameters"], rpath + ".responseParameters");
      if (!params) return params.error();
      ir.responseParameters = std::move(*params);
      if (scalar(r["contentHandling"])) ir.contentHandling = r["contentHandling"].as<std::string>();
      // Keyed by status code as the API keeps them; two patterns to one status keep the last.
      in.integrationResponses[ir.statusCode] = std::move(ir);
    }
  }
  return true;
}

// The names of securitySchemes that are API keys (type apiKey, in header, name x-api-key).
std::vector<std::string> apiKeySchemes(const YAML::Node& root) {
  std::vector<std::string> out;
  for (const YAML::Node& schemes : {root["components"].IsDefined() ? root["components"]["securitySchemes"] : YAML::Node(),
                                    root["securityDefinitions"]}) {
    if (!schemes.IsDefined() || !schemes.IsMap()) continue;
    for (const auto& kv : schemes) {
      const YAML::Node& s = kv.second;
      if (!s.IsMap() || !scalar(s["type"]) || s["type"].as<std::string>() != "apiKey") continue;
      std::string name = scalar(s["name"]) ? s["name"].as<std::string>() : "";
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (name == "x-api-key") out.push_back(kv.first.as<std::string>());
    }
  }
  return out;
}

bool requiresApiKey(const YAML::Node& security, const std::vector<std::string>& schemes) {
  if (!security.IsDefined() || !security.IsSequence()) return false;
  for (const auto& req : security)
    if (req.IsMap())
      for (const auto& kv : req)
        if (std::find(schemes.begin(), schemes.end(), kv.first.as<std::string>()) != schemes.end()) return true;
  return false;
}

RestResource& ensureResource(RestApi& api, const std::string& path) {
  for (auto& r : api.resources)
    if (r.path == path) return r;
  size_t slash = path.rfind('/');
  std::string parentPath = slash == 0 ? "/" : path.substr(0, slash);
  std::string parentId = ensureResource(api, parentPath).id;
  RestResource r;
  r.id = newId(6);
  r.parentId = parentId;
  r.pathPart = path.substr(slash + 1);
  r.path = path;
  api.resources.push_back(std::move(r));
  return api.resources.back();
}

Result<RestApi> importDocument(const YamlSource& cx, const YAML::Node& root) {
  if (!root.IsMap()) return cx.fail(root, "$", "an OpenAPI document must be a map");
  bool swagger = root["swagger"].IsDefined();
  if (!swagger && !root["openapi"].IsDefined()) return cx.fail(root, "$", "neither 'openapi' nor 'swagger' is set");
  if (swagger && root["swagger"].as<std::string>().rfind("2", 0) != 0)
    return cx.fail(root["swagger"], "swagger", "only Swagger 2.0 is supported");
  RestApi api;
  if (root["info"].IsDefined() && scalar(root["info"]["title"])) api.name = root["info"]["title"].as<std::string>();
  if (root["info"].IsDefined() && scalar(root["info"]["description"])) api.description = root["info"]["description"].as<std::string>();
  if (root["info"].IsDefined() && scalar(root["info"]["version"])) api.version = root["info"]["version"].as<std::string>();
  if (api.name.empty()) return cx.fail(root["info"], "info.title", "is required (the API's name)");
  if (scalar(root["x-amazon-apigateway-api-key-source"])) {
    api.apiKeySource = upperAscii(root["x-amazon-apigateway-api-key-source"].as<std::string>());
    if (api.apiKeySource != "HEADER" && api.apiKeySource != "AUTHORIZER")
      return cx.fail(root["x-amazon-apigateway-api-key-source"], "x-amazon-apigateway-api-key-source", "must be HEADER or AUTHORIZER");
  }
  if (root["x-amazon-apigateway-binary-media-types"].IsDefined()) {
    const YAML::Node& b = root["x-amazon-apigateway-binary-media-types"];
    if (!b.IsSequence()) return cx.fail(b, "x-amazon-apigateway-binary-media-types", "must be a list");
    for (const auto& e : b) api.binaryMediaTypes.push_back(e.as<std::string>());
  }
  RestResource rootRes;
  rootRes.id = newId(10);
  rootRes.path = "/";
  api.rootResourceId = rootRes.id;
  api.resources.push_back(rootRes);
  std::vector<std::string> keySchemes = apiKeySchemes(root);
  auto defs = importDefinitions(root, cx.source);
  if (!defs) return defs.error();
  const YAML::Node paths = root["paths"];
  if (paths.IsDefined() && !paths.IsMap()) return cx.fail(paths, "paths", "must be a map");
  if (paths.IsDefined()) {
    for (const auto& pv : paths) {
      std::string path = pv.first.as<std::string>();
      std::string ppath = "paths." + path;
      if (path.empty() || path[0] != '/') return cx.fail(pv.first, ppath, "a path must start with /");
      if (path.size() > 1 && path.back() == '/') return cx.fail(pv.first, ppath, "a path must not end with /");
      if (path.find("//") != std::string::npos) return cx.fail(pv.first, ppath, "empty path segment");
      size_t greedy = path.find("+}");
      if (greedy != std::string::npos && greedy + 2 != path.size())
        return cx.fail(pv.first, ppath, "a greedy {name+} segment must be the last");
      if (!pv.second.IsMap()) return cx.fail(pv.second, ppath, "must be a map of operations");
      // Resources are created for every path, even one without operations (as AWS does).
      std::string rid = path == "/" ? api.rootResourceId : ensureResource(api, path).id;
      const YAML::Node commonParams = pv.second["parameters"];
      for (const auto& ov : pv.second) {
        std::string key = ov.first.as<std::string>();
        std::string method;
        if (key == "x-amazon-apigateway-any-method") {
          method = "ANY";
        } else {
          static const char* kMethods[] = {"get", "put", "post", "delete", "options", "head", "patch"};
          for (const char* m : kMethods)
            if (key == m) method = upperAscii(key);
        }
        if (method.empty()) continue;
        std::string op = ppath + "." + key;
        const YAML::Node& o = ov.second;
        if (!o.IsMap()) return cx.fail(o, op, "must be a map");
        RestMethod m;
        m.httpMethod = method;
        if (scalar(o["operationId"])) m.operationName = o["operationId"].as<std::string>();
        m.apiKeyRequired = requiresApiKey(o["security"].IsDefined() ? o["security"] : root["security"], keySchemes);
        for (const YAML::Node& params : {commonParams, o["parameters"]}) {
          if (!params.IsDefined() || !params.IsSequence()) continue;
          for (const auto& p : params) {
            if (!p.IsMap() || !scalar(p["in"]) || !scalar(p["name"])) continue;
            std::string in = p["in"].as<std::string>();
            std::string where = in == "query" ? "querystring" : in == "path" ? "path" : in == "header" ? "header" : "";
            if (where.empty()) continue;
            bool required = scalar(p["required"]) && p["required"].as<std::string>() == "true";
            m.requestParameters["method.request." + where + "." + p["name"].as<std::string>()] = required;
          }
        }
        if (o["responses"].IsDefined() && o["responses"].IsMap()) {
          for (const auto& rv : o["responses"]) {
            std::string code = rv.first.as<std::string>();
            if (code.size() != 3 || !std::all_of(code.begin(), code.end(), ::isdigit)) continue;
            RestMethodResponse mr;
            mr.statusCode = code;
            if (rv.second.IsMap() && rv.second["headers"].IsDefined() && rv.second["headers"].IsMap())
              for (const auto& h : rv.second["headers"]) mr.responseParameters["method.response.header." + h.first.as<std::string>()] = false;
            m.methodResponses[code] = std::move(mr);
          }
        }
        const YAML::Node x = o["x-amazon-apigateway-integration"];
        if (x.IsDefined()) {
          RestIntegration in;
          if (auto r = readIntegration(cx, x, op + ".x-amazon-apigateway-integration", in); !r) return r.error();
          m.integration = std::move(in);
        }
        if (auto r = importOperationDefinitions(root, o, op, cx.source, *defs, m); !r) return r.error();
        api.findResource(rid)->methods[method] = std::move(m);
      }
    }
  }
  api.definitions = std::move(defs->definitions);
  return api;
}

}  // namespace

Result<RestApi> importRestApi(std::string_view text, const std::string& source) {
  YamlSource cx{source};
  return importYamlDocument<RestApi>(text, source, [&](const YAML::Node& root) { return importDocument(cx, root); });
}

Result<bool> checkTemplates(const RestIntegration& in, const std::string& where) {
  for (const auto& [ct, tpl] : in.requestTemplates) {
    auto t = vtl::parseTemplate(ct, tpl);
    if (!t) return Error{400, "Invalid mapping expression specified: " + where + " request template " + t.error().message};
  }
  for (const auto& [code, r] : in.integrationResponses)
    for (const auto& [ct, tpl] : r.responseTemplates) {
      auto t = vtl::parseTemplate(ct, tpl);
      if (!t) return Error{400, "Invalid mapping expression specified: " + where + " response " + code + " template " + t.error().message};
    }
  return true;
}

}  // namespace cdnlab::gateway
