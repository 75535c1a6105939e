// apigateway (v1) management API (see rest_mgmt.h). Each handler: parse the path and body ->
// check -> edit the state inside RestStore::mutate (persisted and republished, or rolled back)
// -> answer with the resource in AWS's member names.
#include "gateway/rest/rest_mgmt.h"

#include <algorithm>
#include <random>

#include "gateway/json.h"
#include "gateway/mgmt/mgmt_response.h"
#include "gateway/model/api_model.h"
#include "gateway/rest/decimal.h"
#include "gateway/rest/rest_import.h"
#include "gateway/rest/rest_json.h"
#include "gateway/rest/rest_mgmt_common.h"
#include "gateway/rest/rest_mgmt_definitions.h"
#include "gateway/rest/rest_patch.h"
#include "gateway/routing/route_table.h"

namespace cdnlab::gateway {
namespace {

// The path's segments, percent-decoded (resource ids and paths arrive escaped).
std::vector<std::string> segments(std::string_view path) {
  std::vector<std::string> out;
  for (std::string_view s : splitSegments(path)) out.push_back(percentDecode(s));
  return out;
}

Error resourceNotFound(const std::string& /*id*/) { return Error{404, "Invalid Resource identifier specified"}; }
Error methodNotFound() { return Error{404, "Invalid Method identifier specified"}; }
Error stageNotFound() { return Error{404, "Invalid Stage identifier specified"}; }

bool validMethod(const std::string& m) {
  static const char* kMethods[] = {"GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "ANY"};
  for (const char* k : kMethods)
    if (m == k) return true;
  return false;
}

Result<bool> checkStageName(const std::string& n) {
  if (n.empty() || n.size() > 128) return Error{400, "Stage name only allows a-zA-Z0-9_"};
  for (char c : n)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-')
      return Error{400, "Stage name only allows a-zA-Z0-9_"};
  return true;
}

Result<bool> checkIntegration(const RestIntegration& in) {
  static const char* kTypes[] = {"AWS", "AWS_PROXY", "HTTP", "HTTP_PROXY", "MOCK"};
  bool known = false;
  for (const char* t : kTypes) known = known || in.type == t;
  if (!known) return Error{400, "Invalid integration type specified: '" + in.type + "' (AWS, AWS_PROXY, HTTP, HTTP_PROXY, MOCK)"};
  if (in.type != "MOCK" && in.uri.empty()) return Error{400, "Enumeration value for Integration uri must be non-empty"};
  if (in.type != "MOCK" && in.httpMethod.empty()) return Error{400, "Enumeration value for HttpMethod must be non-empty"};
  if ((in.type == "AWS" || in.type == "AWS_PROXY") && in.uri.rfind("arn:aws:apigateway:", 0) != 0)
    return Error{400, "AWS ARN for integration must contain path or action"};
  return checkTemplates(in, "integration");
}

// Each method must compile (templates parse, selection patterns are valid regular expressions).
Result<bool> checkMethods(const RestApi& api) {
  for (const auto& r : api.resources)
    for (const auto& [name, m] : r.methods)
      if (auto c = compileMethod(m); !c) return Error{400, c.error().message + " (" + name + " " + r.path + ")"};
  for (const auto& r : api.resources)
    for (const auto& [name, m] : r.methods)
      if (auto c = checkMethodReferences(m, api.definitions); !c) return Error{400, c.error().message + " (" + name + " " + r.path + ")"};
  if (auto c = compileDefinitions(api.definitions); !c) return c.error();
  return true;
}

std::string newKeyValue() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  static const char* kChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::string s;
  for (int i = 0; i < 40; ++i) s += kChars[rng() % 62];
  return s;
}

// Creates or points a stage at a deployment (create-deployment --stage-name).
void upsertStage(RestApi& api, const std::string& name, const std::string& deploymentId, JsonReader& r, bool fromDeployment) {
  RestStage* st = api.findStage(name);
  if (!st) {
    RestStage fresh;
    fresh.stageName = name;
    fresh.createdDate = nowSeconds();
    api.stages.push_back(fresh);
    st = &api.stages.back();
  }
  st->deploymentId = deploymentId;
  st->lastUpdatedDate = nowSeconds();
  r.str(fromDeployment ? "stageDescription" : "description", st->description);
  r.boolean("cacheClusterEnabled", st->cacheClusterEnabled);
  r.str("cacheClusterSize", st->cacheClusterSize);
  RestStringMap vars;
  if (r.has("variables") && r.strMap("variables", vars))
    for (auto& [k, v] : vars) st->variables[k] = v;
}

// update-stage patch operations (paths as API Gateway documents them).
Result<bool> applyStagePatch(RestApi& api, RestStage& st, const std::vector<PatchOp>& ops) {
  for (const auto& [o, path, value] : ops) {
    if (path == "/cacheClusterEnabled") {
      st.cacheClusterEnabled = value == "true";
    } else if (path == "/cacheClusterSize") {
      st.cacheClusterSize = value;
    } else if (path == "/deploymentId") {
      if (!api.findDeployment(value)) return Error{400, "Invalid deployment identifier specified"};
      st.deploymentId = value;
    } else if (path == "/description") {
      st.description = value;
    } else if (path.rfind("/variables/", 0) == 0) {
      std::string name = path.substr(11);
      if (o == "remove") {
        st.variables.erase(name);
      } else {
        st.variables[name] = value;
      }
    } else {
      // /{resourcePath}/{method}/caching/enabled, .../caching/ttlInSeconds, .../throttling/rateLimit, ...
      // resourcePath is "*" or the path with '/' written "~1" ("~1items~1{id}").
      std::vector<std::string> parts;
      size_t i = 1;
      while (i <= path.size()) {
        size_t j = path.find('/', i);
        if (j == std::string::npos) j = path.size();
        parts.push_back(path.substr(i, j - i));
        i = j + 1;
      }
      if (parts.size() != 4) return Error{400, "Invalid patch path " + path};
      std::string res = parts[0];
      for (size_t k; (k = res.find("~1")) != std::string::npos;) res.replace(k, 2, "/");
      if (res != "*" && !res.empty() && res[0] == '/') res = res.substr(1);
      std::string key = res + "/" + parts[1];
      RestMethodSetting& ms = st.methodSettings[key];
      std::string what = parts[2] + "/" + parts[3];
      if (what == "caching/enabled") {
        ms.cachingEnabled = value == "true";
      } else if (what == "caching/ttlInSeconds") {
        auto ttl = parseNumber<int64_t>(value);
        if (!ttl || *ttl < 0 || *ttl > 3600) return Error{400, "Invalid cache TTL: must be 0..3600 seconds"};
        ms.cacheTtlInSeconds = *ttl;
      } else if (what == "caching/requireAuthorizationForCacheControl") {
        ms.requireAuthorizationForCacheControl = value == "true";
      } else if (what == "throttling/rateLimit") {
        auto rate = parseNumber<double>(value);
        if (!rate || *rate < 0) return Error{400, "Invalid throttling rate limit " + value};
        ms.throttlingRateLimit = *rate;
      } else if (what == "throttling/burstLimit") {
        auto burst = parseNumber<int64_t>(value);
        if (!burst || *burst < 0) return Error{400, "Invalid throttling burst limit " + value};
        ms.throttlingBurstLimit = *burst;
      } else if (what == "metrics/enabled" || what == "logging/loglevel" || what == "logging/dataTrace") {
        // accepted; the lab's metrics and logs are always on
      } else {
        return Error{400, "Invalid patch path " + path};
      }
    }
  }
  st.lastUpdatedDate = nowSeconds();
  return true;
}

// update-method patch operations: /authorizationType, /authorizerId, /apiKeyRequired,
// /requestValidatorId, /operationName, /authorizationScopes, /requestParameters/<name>,
// /requestModels/<content type with ~1 for '/'>.
Result<bool> applyMethodPatch(RestMethod& m, const std::vector<PatchOp>& ops) {
  for (const auto& op : ops) {
    const std::string& path = op.path;
    const std::string& value = op.value;
    bool remove = op.remove();
    if (path == "/authorizationType") m.authorizationType = remove ? "NONE" : value;
    else if (path == "/authorizerId") m.authorizerId = remove ? "" : value;
    else if (path == "/apiKeyRequired") m.apiKeyRequired = !remove && value == "true";
    else if (path == "/requestValidatorId") m.requestValidatorId = remove ? "" : value;
    else if (path == "/operationName") m.operationName = remove ? "" : value;
    else if (path == "/authorizationScopes") {
      if (remove) m.authorizationScopes.clear();
      else m.authorizationScopes.push_back(value);
    } else if (path.rfind("/requestParameters/", 0) == 0) {
      std::string name = unescapePatchPath(path.substr(19));
      if (remove) m.requestParameters.erase(name);
      else m.requestParameters[name] = value == "true";
    } else if (path.rfind("/requestModels/", 0) == 0) {
      std::string ct = unescapePatchPath(path.substr(15));
      if (remove) m.requestModels.erase(ct);
      else m.requestModels[ct] = value;
    } else {
      return Error{400, "Invalid patch path " + path};
    }
  }
  return true;
}

// One kind of definition (authorizers, request validators) merged by name: a new name joins
// `existing`; a known one replaces the existing definition under its id, and the imported methods
// that referred to it (through `methodRef`) now name that id.
template <typename D>
void mergeByName(std::vector<D>& existing, std::vector<D>& imported, std::vector<RestResource>& importedResources,
                 std::string RestMethod::*methodRef) {
  for (auto& def : imported) {
    auto it = std::find_if(existing.begin(), existing.end(), [&](const D& x) { return x.name == def.name; });
    if (it == existing.end()) {
      existing.push_back(def);
      continue;
    }
    for (auto& r : importedResources)
      for (auto& [name, m] : r.methods)
        if (m.*methodRef == def.id) m.*methodRef = it->id;
    def.id = it->id;
    *it = def;
  }
}

// put-rest-api --mode merge: the document's definitions join the API's; one with the name of an
// existing one replaces it, keeping its id, so the methods that refer to either keep working.
void mergeDefinitions(RestApi& api, RestApi& imported) {
  auto& d = api.definitions;
  mergeByName(d.authorizers, imported.definitions.authorizers, imported.resources, &RestMethod::authorizerId);
  mergeByName(d.requestValidators, imported.definitions.requestValidators, imported.resources,
              &RestMethod::requestValidatorId);
  for (const auto& m : imported.definitions.models) {
    auto it = std::find_if(d.models.begin(), d.models.end(), [&](const RestModelSchema& x) { return x.name == m.name; });
    if (it == d.models.end()) d.models.push_back(m);
    else it->schema = m.schema;
  }
  for (const auto& [type, g] : imported.definitions.gatewayResponses) d.gatewayResponses[type] = g;
}

// ---------------- /restapis ----------------

// A copy of API `apiId` as the store holds it now (answers are rendered outside the store's lock).
std::optional<RestApi> copyOfApi(RestStore& store, const std::string& apiId) {
  std::optional<RestApi> found;
  store.read([&](const RestState& s) {
    for (const auto& a : s.apis)
      if (a.id == apiId) found = a;
  });
  return found;
}

http::Response restApis(RestStore& store, const http::Request& req, const std::vector<std::string>& seg) {
  const std::string& m = req.method;
  rapidjson::Document doc;
  if (seg.size() == 1) {
    if (m == "GET") {
      std::vector<RestApi> apis;
      store.read([&](const RestState& s) { apis = s.apis; });
      return itemList(apis, [](JsonWriter& w, const RestApi& a) { writeRestApi(w, a); });
    }
    if (m != "POST") return awsError(405, "MethodNotAllowedException", "Method not allowed");
    RestApi api;
    if (queryParam(req.query, "mode") == "import") {
      auto imported = importRestApi(req.body, "body");
      if (!imported) return fail(imported.error());
      api = std::move(*imported);
      if (auto c = checkMethods(api); !c) return fail(c.error());
    } else {
      if (auto p = parseRequestObject(req, doc); !p) return fail(p.error());
      JsonReader r(doc);
      r.str("name", api.name);
      r.str("description", api.description);
      r.str("version", api.version);
      r.str("apiKeySource", api.apiKeySource);
      r.strList("binaryMediaTypes", api.binaryMediaTypes);
      if (!r.ok()) return fail(Error{400, r.error()});
      if (api.name.empty()) return fail(Error{400, "Invalid input: name is required"});
      if (api.apiKeySource != "HEADER" && api.apiKeySource != "AUTHORIZER")
        return fail(Error{400, "Invalid apiKeySource: HEADER or AUTHORIZER"});
      RestResource root;
      root.id = newId(10);
      root.path = "/";
      api.rootResourceId = root.id;
      api.resources.push_back(root);
      api.definitions.models = builtinModels();
    }
    api.id = newId(10);
    api.createdDate = nowSeconds();
    auto r = store.mutate([&](RestState& s) -> Result<bool> {
      s.apis.push_back(api);
      return true;
    });
    if (!r) return fail(r.error());
    return jsonResponse(201, renderJson([&](JsonWriter& w) { writeRestApi(w, api); }));
  }
  const std::string apiId = seg[1];
  if (seg.size() == 2) {
    if (m == "GET") {
      std::optional<RestApi> found = copyOfApi(store, apiId);
      if (!found) return fail(apiNotFound(apiId));
      return jsonResponse(200, renderJson([&](JsonWriter& w) { writeRestApi(w, *found); }));
    }
    if (m == "DELETE") {
      auto r = store.mutate([&](RestState& s) -> Result<bool> {
        auto it = std::find_if(s.apis.begin(), s.apis.end(), [&](const RestApi& a) { return a.id == apiId; });
        if (it == s.apis.end()) return apiNotFound(apiId);
        s.apis.erase(it);
        for (auto& p : s.usagePlans)
          p.apiStages.erase(std::remove_if(p.apiStages.begin(), p.apiStages.end(),
                                           [&](const UsagePlanStage& st) { return st.apiId == apiId; }),
                            p.apiStages.end());
        return true;
      });
      if (!r) return fail(r.error());
      return accepted();
    }
    if (m == "PUT") {  // put-rest-api: overwrite (default) or merge the resources from a document
      auto imported = importRestApi(req.body, "body");
      if (!imported) return fail(imported.error());
      if (auto c = checkMethods(*imported); !c) return fail(c.error());
      bool merge = queryParam(req.query, "mode") == "merge";
      RestApi out;
      auto r = store.mutate([&](RestState& s) -> Result<bool> {
        RestApi* api = findApi(s, apiId);
        if (!api) return apiNotFound(apiId);
        if (!merge) {
          imported->resources[0].id = api->rootResourceId;
          for (auto& res : imported->resources)
            if (res.parentId == imported->rootResourceId) res.parentId = api->rootResourceId;
          api->resources = imported->resources;
          api->apiKeySource = imported->apiKeySource;
          api->binaryMediaTypes = imported->binaryMediaTypes;
          api->definitions = imported->definitions;
        } else {
          mergeDefinitions(*api, *imported);
          for (const auto& res : imported->resources) {
            auto it = std::find_if(api->resources.begin(), api->resources.end(), [&](const RestResource& x) { return x.path == res.path; });
            if (it != api->resources.end()) {
              for (const auto& [k, v] : res.methods) it->methods[k] = v;
            } else {
              RestResource copy = res;
              for (const auto& x : api->resources)  // parents were created first in the import
                if (x.path == (res.path.rfind('/') == 0 ? "/" : res.path.substr(0, res.path.rfind('/')))) copy.parentId = x.id;
              api->resources.push_back(copy);
            }
          }
        }
        out = *api;
        return true;
      });
      if (!r) return fail(r.error());
      return jsonResponse(200, renderJson([&](JsonWriter& w) { writeRestApi(w, out); }));
    }
    return awsError(405, "MethodNotAllowedException", "Method not allowed");
  }
  const std::string& coll = seg[2];
  if (isRestDefinitionsCollection(coll)) return handleRestDefinitions(store, req, seg);
  if (coll == "resources") {
    if (seg.size() == 3 && m == "GET") {
      std::optional<RestApi> found = copyOfApi(store, apiId);
      if (!found) return fail(apiNotFound(apiId));
      bool embed = queryParam(req.query, "embed") == "methods";
      return itemList(found->resources, [&](JsonWriter& w, const RestResource& r) { writeResource(w, r, embed); });
    }
    if (seg.size() < 4) return awsError(405, "MethodNotAllowedException", "Method not allowed");
    const std::string rid = seg[3];
    if (seg.size() == 4) {
      if (m == "GET") {
        std::optional<RestResource> res;
        bool apiFound = false;
        store.read([&](const RestState& s) {
          for (const auto& a : s.apis)
            if (a.id == apiId) {
              apiFound = true;
              for (const auto& r : a.resources)
                if (r.id == rid) res = r;
            }
        });
        if (!apiFound) return fail(apiNotFound(apiId));
        if (!res) return fail(resourceNotFound(rid));
        return jsonResponse(200, renderJson([&](JsonWriter& w) { writeResource(w, *res, true); }));
      }
      if (m == "POST") {  // create-resource under parent `rid`
        if (auto p = parseRequestObject(req, doc); !p) return fail(p.error());
        std::string pathPart;
        JsonReader r(doc);
        r.str("pathPart", pathPart);
        if (!r.ok()) return fail(Error{400, r.error()});
        bool greedy = pathPart.size() > 3 && pathPart.front() == '{' && pathPart.substr(pathPart.size() - 2) == "+}";
        bool param = pathPart.size() > 2 && pathPart.front() == '{' && pathPart.back() == '}';
        bool literalOk = !pathPart.empty() && std::all_of(pathPart.begin(), pathPart.end(), [](char c) {
          return std::isalnum(static_cast<unsigned char>(c)) || std::string_view("-._:~@").find(c) != std::string_view::npos;
        });
        if (!literalOk && !param)
          return fail(Error{400, "Resource's path part only allow a-zA-Z0-9._- and curly braces at the beginning and the end and an optional plus sign before the closing brace."});
        RestResource out;
        auto res = store.mutate([&](RestState& s) -> Result<bool> {
          RestApi* api = findApi(s, apiId);
          if (!api) return apiNotFound(apiId);
          RestResource* parent = api->findResource(rid);
          if (!parent) return resourceNotFound(rid);
          if (parent->pathPart.size() > 2 && parent->pathPart.substr(parent->pathPart.size() - 2) == "+}")
            return Error{400, "Cannot create a child of a resource with a greedy path variable: " + parent->path};
          for (const auto& x : api->resources)
            if (x.parentId == rid && (x.pathPart == pathPart || (greedy && x.pathPart.front() == '{') ||
                                      (param && !x.pathPart.empty() && x.pathPart.front() == '{')))
              return Error{409, x.pathPart == pathPart ? "Another resource with the same parent already has this name: " + pathPart
                                                       : "A sibling (" + x.pathPart + ") of this resource already has a variable path part -- only one is allowed"};
          out.id = newId(6);
          out.parentId = rid;
          out.pathPart = pathPart;
          out.path = (parent->path == "/" ? "" : parent->path) + "/" + pathPart;
          api->resources.push_back(out);
          return true;
        });
        if (!res) return fail(res.error());
        return jsonResponse(201, renderJson([&](JsonWriter& w) { writeResource(w, out, true); }));
      }
      if (m == "DELETE") {
        auto res = store.mutate([&](RestState& s) -> Result<bool> {
          RestApi* api = findApi(s, apiId);
          if (!api) return apiNotFound(apiId);
          RestResource* r = api->findResource(rid);
          if (!r) return resourceNotFound(rid);
          if (rid == api->rootResourceId) return Error{400, "Cannot delete the root resource"};
          std::string prefix = r->path;
          api->resources.erase(std::remove_if(api->resources.begin(), api->resources.end(),
                                              [&](const RestResource& x) {
                                                return x.path == prefix || x.path.rfind(prefix + "/", 0) == 0;
                                              }),
                               api->resources.end());
          return true;
        });
        if (!res) return fail(res.error());
        return accepted();
      }
      return awsError(405, "MethodNotAllowedException", "Method not allowed");
    }
    // /restapis/{id}/resources/{rid}/methods/{method}[/integration[/responses/{code}] | /responses/{code}]
    if (seg[4] != "methods" || seg.size() < 6) return awsError(404, "NotFoundException", "Unknown operation");
    const std::string method = seg[5];
    if (!validMethod(method)) return fail(Error{400, "Invalid HttpMethod specified. Valid options are GET,PUT,POST,DELETE,PATCH,OPTIONS,HEAD,ANY"});
    enum class Part { Method, Integration, IntegrationResponse, MethodResponse } part;
    std::string code;
    if (seg.size() == 6) {
      part = Part::Method;
    } else if (seg[6] == "integration" && seg.size() == 7) {
      part = Part::Integration;
    } else if (seg[6] == "integration" && seg.size() == 9 && seg[7] == "responses") {
      part = Part::IntegrationResponse;
      code = seg[8];
    } else if (seg[6] == "responses" && seg.size() == 8) {
      part = Part::MethodResponse;
      code = seg[7];
    } else {
      return awsError(404, "NotFoundException", "Unknown operation");
    }
    if (!code.empty() && (code.size() != 3 || !std::all_of(code.begin(), code.end(), ::isdigit)))
      return fail(Error{400, "Invalid status code " + code + ": must be 3 digits"});
    if (m == "PUT" || m == "PATCH") {
      if (auto p = parseRequestObject(req, doc); !p) return fail(p.error());
    }
    std::string answer;
    int status = 200;
    auto res = store.mutate([&](RestState& s) -> Result<bool> {
      RestApi* api = findApi(s, apiId);
      if (!api) return apiNotFound(apiId);
      RestResource* r = api->findResource(rid);
      if (!r) return resourceNotFound(rid);
      auto mit = r->methods.find(method);
      if (part == Part::Method && m == "PUT") {
        RestMethod fresh;
        if (auto x = readMethod(doc, fresh); !x) return x;
        fresh.httpMethod = method;
        if (auto c = checkMethodReferences(fresh, api->definitions); !c) return c;
        r->methods[method] = fresh;
        answer = renderJson([&](JsonWriter& w) { writeMethod(w, fresh); });
        status = 201;
        return true;
      }
      if (mit == r->methods.end()) return methodNotFound();
      RestMethod& meth = mit->second;
      switch (part) {
        case Part::Method:
          if (m == "GET") {
            answer = renderJson([&](JsonWriter& w) { writeMethod(w, meth); });
            return Error{0, ""};  // read-only: nothing to persist
          }
          if (m == "PATCH") {  // update-method
            auto ops = patchOperationsOf(doc);
            if (!ops) return ops.error();
            if (auto p = applyMethodPatch(meth, *ops); !p) return p;
            if (auto c = checkMethodReferences(meth, api->definitions); !c) return c;
            answer = renderJson([&](JsonWriter& w) { writeMethod(w, meth); });
            return true;
          }
          if (m == "DELETE") {
            r->methods.erase(mit);
            status = 202;
            return true;
          }
          break;
        case Part::Integration:
          if (m == "PUT") {
            RestIntegration in;
            if (auto x = readIntegration(doc, in); !x) return x;
            if (auto c = checkIntegration(in); !c) return c;
            meth.integration = in;
            if (auto c = compileMethod(meth); !c) return c.error();
            answer = renderJson([&](JsonWriter& w) { writeIntegration(w, in); });
            status = 201;
            return true;
          }
          if (!meth.integration) return Error{404, "Invalid Integration identifier specified"};
          if (m == "GET") {
            answer = renderJson([&](JsonWriter& w) { writeIntegration(w, *meth.integration); });
            return Error{0, ""};
          }
          if (m == "DELETE") {
            meth.integration.reset();
            status = 202;
            return true;
          }
          break;
        case Part::IntegrationResponse: {
          if (!meth.integration) return Error{404, "Invalid Integration identifier specified"};
          auto& responses = meth.integration->integrationResponses;
          if (m == "PUT") {
            RestIntegrationResponse ir;
            if (auto x = readIntegrationResponse(doc, ir); !x) return x;
            ir.statusCode = code;
            responses[code] = ir;
            if (auto c = compileMethod(meth); !c) return c.error();
            answer = renderJson([&](JsonWriter& w) { writeIntegrationResponse(w, ir); });
            status = 201;
            return true;
          }
          auto it = responses.find(code);
          if (it == responses.end()) return Error{404, "Invalid Response status code specified"};
          if (m == "GET") {
            answer = renderJson([&](JsonWriter& w) { writeIntegrationResponse(w, it->second); });
            return Error{0, ""};
          }
          if (m == "DELETE") {
            responses.erase(it);
            status = 202;
            return true;
          }
          break;
        }
        case Part::MethodResponse: {
          if (m == "PUT") {
            RestMethodResponse mr;
            if (auto x = readMethodResponse(doc, mr); !x) return x;
            mr.statusCode = code;
            meth.methodResponses[code] = mr;
            answer = renderJson([&](JsonWriter& w) { writeMethodResponse(w, mr); });
            status = 201;
            return true;
          }
          auto it = meth.methodResponses.find(code);
          if (it == meth.methodResponses.end()) return Error{404, "Invalid Response status code specified"};
          if (m == "GET") {
            answer = renderJson([&](JsonWriter& w) { writeMethodResponse(w, it->second); });
            return Error{0, ""};
          }
          if (m == "DELETE") {
            meth.methodResponses.erase(it);
            status = 202;
            return true;
          }
          break;
        }
      }
      return Error{405, "Method not allowed"};
    });
    if (!res && res.error().code != 0) {
      if (res.error().code == 405) return awsError(405, "MethodNotAllowedException", res.error().message);
      return fail(res.error());
    }
    return jsonResponse(status, status == 202 ? "" : answer);
  }
  if (coll == "deployments") {
    if (seg.size() == 3 && m == "POST") {
      if (auto p = parseRequestObject(req, doc); !p) return fail(p.error());
      JsonReader r(doc);
      std::string stageName;
      RestDeployment d;
      r.str("stageName", stageName);
      r.str("description", d.description);
      if (!r.ok()) return fail(Error{400, r.error()});
      if (!stageName.empty())
        if (auto c = checkStageName(stageName); !c) return fail(c.error());
      d.id = newId(6);
      d.createdDate = nowSeconds();
      auto res = store.mutate([&](RestState& s) -> Result<bool> {
        RestApi* api = findApi(s, apiId);
        if (!api) return apiNotFound(apiId);
        bool anyMethod = false;
        for (const auto& x : api->resources) anyMethod |= !x.methods.empty();
        if (!anyMethod) return Error{400, "The REST API doesn't contain any methods"};
        for (const auto& x : api->resources)
          for (const auto& [name, meth] : x.methods)
            if (!meth.integration) return Error{400, "No integration defined for method"};
        d.resources = api->resources;
        d.definitions = api->definitions;
        api->deployments.push_back(d);
        if (!stageName.empty()) upsertStage(*api, stageName, d.id, r, true);
        return r.ok() ? Result<bool>(true) : Result<bool>(Error{400, r.error()});
      });
      if (!res) return fail(res.error());
      return jsonResponse(201, renderJson([&](JsonWriter& w) { writeDeployment(w, d); }));
    }
    std::optional<RestApi> found = copyOfApi(store, apiId);
    if (!found) return fail(apiNotFound(apiId));
    if (seg.size() == 3 && m == "GET")
      return itemList(found->deployments, [](JsonWriter& w, const RestDeployment& d) { writeDeployment(w, d); });
    if (seg.size() == 4) {
      const RestDeployment* d = found->findDeployment(seg[3]);
      if (!d) return fail(Error{404, "Invalid Deployment identifier specified"});
      if (m == "GET") return jsonResponse(200, renderJson([&](JsonWriter& w) { writeDeployment(w, *d); }));
      if (m == "DELETE") {
        auto res = store.mutate([&](RestState& s) -> Result<bool> {
          RestApi* api = findApi(s, apiId);
          if (!api) return apiNotFound(apiId);
          for (const auto& st : api->stages)
            if (st.deploymentId == seg[3])
              return Error{400, "Active stages pointing to this deployment must be moved or deleted"};
          api->deployments.erase(std::remove_if(api->deployments.begin(), api->deployments.end(),
                                                [&](const RestDeployment& x) { return x.id == seg[3]; }),
                                 api->deployments.end());
          return true;
        });
        if (!res) return fail(res.error());
        return accepted();
      }
    }
    return awsError(405, "MethodNotAllowedException", "Method not allowed");
  }
  if (coll == "stages") {
    if (seg.size() == 3 && m == "POST") {
      if (auto p = parseRequestObject(req, doc); !p) return fail(p.error());
      JsonReader r(doc);
      std::string name, deploymentId;
      r.str("stageName", name);
      r.str("deploymentId", deploymentId);
      if (!r.ok()) return fail(Error{400, r.error()});
      if (auto c = checkStageName(name); !c) return fail(c.error());
      RestStage out;
      auto res = store.mutate([&](RestState& s) -> Result<bool> {
        RestApi* api = findApi(s, apiId);
        if (!api) return apiNotFound(apiId);
        if (!api->findDeployment(deploymentId)) return Error{400, "Invalid deployment identifier specified"};
        if (api->findStage(name)) return Error{409, "Stage already exists"};
        upsertStage(*api, name, deploymentId, r, false);
        if (!r.ok()) return Error{400, r.error()};
        out = *api->findStage(name);
        return true;
      });
      if (!res) return fail(res.error());
      return jsonResponse(201, renderJson([&](JsonWriter& w) { writeStage(w, out); }));
    }
    if (seg.size() == 3 && m == "GET") {
      std::optional<RestApi> found = copyOfApi(store, apiId);
      if (!found) return fail(apiNotFound(apiId));
      return itemList(found->stages, [](JsonWriter& w, const RestStage& st) { writeStage(w, st); });
    }
    if (seg.size() < 4) return awsError(405, "MethodNotAllowedException", "Method not allowed");
    const std::string name = seg[3];
    if (seg.size() == 6 && seg[4] == "cache" && seg[5] == "data" && m == "DELETE") {
      auto snap = store.snapshot();
      const CompiledRestApi* api = snap->find(apiId);
      if (!api) return fail(apiNotFound(apiId));
      auto it = api->stages.find(name);
      if (it == api->stages.end()) return fail(stageNotFound());
      if (it->second.cache) it->second.cache->flush();
      return accepted();
    }
    if (seg.size() != 4) return awsError(404, "NotFoundException", "Unknown operation");
    if (m == "PATCH" || m == "PUT") {
      if (auto p = parseRequestObject(req, doc); !p) return fail(p.error());
    }
    RestStage out;
    auto res = store.mutate([&](RestState& s) -> Result<bool> {
      RestApi* api = findApi(s, apiId);
      if (!api) return apiNotFound(apiId);
      RestStage* st = api->findStage(name);
      if (!st) return stageNotFound();
      if (m == "GET") {
        out = *st;
        return Error{0, ""};
      }
      if (m == "DELETE") {
        api->stages.erase(std::remove_if(api->stages.begin(), api->stages.end(),
                                         [&](const RestStage& x) { return x.stageName == name; }),
                          api->stages.end());
        return true;
      }
      if (m == "PATCH") {
        auto ops = patchOperationsOf(doc);
        if (!ops) return ops.error();
        if (auto p = applyStagePatch(*api, *st, *ops); !p) return p;
        out = *st;
        return true;
      }
      return Error{405, "Method not allowed"};
    });
    if (!res && res.error().code == 405) return awsError(405, "MethodNotAllowedException", "Method not allowed");
    if (!res && res.error().code != 0) return fail(res.error());
    if (m == "DELETE") return accepted();
    return jsonResponse(200, renderJson([&](JsonWriter& w) { writeStage(w, out); }));
  }
  return awsError(404, "NotFoundException", "Unknown operation");
}

// ---------------- /apikeys ----------------

http::Response apiKeys(RestStore& store, const http::Request& req, const std::vector<std::string>& seg) {
  const std::string& m = req.method;
  if (seg.size() == 1 && m == "POST") {
    rapidjson::Document doc;
    if (auto p = parseRequestObject(req, doc); !p) return fail(p.error());
    ApiKey k;
    JsonReader r(doc);
    r.str("name", k.name);
    r.str("description", k.description);
    r.boolean("enabled", k.enabled);
    r.str("value", k.value);
    if (!r.ok()) return fail(Error{400, r.error()});
    if (k.value.empty()) k.value = newKeyValue();
    if (k.value.size() < 20 || k.value.size() > 128)
      return fail(Error{400, "API Key value should be at least 20 characters"});
    k.id = newId(10);
    k.createdDate = k.lastUpdatedDate = nowSeconds();
    auto res = store.mutate([&](RestState& s) -> Result<bool> {
      for (const auto& x : s.apiKeys)
        if (x.value == k.value) return Error{409, "API Key already exists"};
      s.apiKeys.push_back(k);
      return true;
    });
    if (!res) return fail(res.error());
    return jsonResponse(201, renderJson([&](JsonWriter& w) { writeApiKey(w, k, true); }));
  }
  std::vector<ApiKey> keys;
  store.read([&](const RestState& s) { keys = s.apiKeys; });
  if (seg.size() == 1 && m == "GET") {
    bool values = queryParam(req.query, "includeValues") == "true";
    std::string nameQuery = queryParam(req.query, "name");
    std::vector<ApiKey> shown;
    for (const auto& k : keys)
      if (nameQuery.empty() || k.name.rfind(nameQuery, 0) == 0) shown.push_back(k);
    return itemList(shown, [&](JsonWriter& w, const ApiKey& k) { writeApiKey(w, k, values); });
  }
  if (seg.size() != 2) return awsError(404, "NotFoundException", "Unknown operation");
  const std::string id = seg[1];
  auto it = std::find_if(keys.begin(), keys.end(), [&](const ApiKey& k) { return k.id == id; });
  if (it == keys.end()) return fail(Error{404, "Invalid API Key identifier specified"});
  if (m == "GET") {
    bool value = queryParam(req.query, "includeValue") == "true";
    return jsonResponse(200, renderJson([&](JsonWriter& w) { writeApiKey(w, *it, value); }));
  }
  if (m == "PATCH") {  // update-api-key: /enabled, /name, /description
    rapidjson::Document doc;
    if (auto p = parseRequestObject(req, doc); !p) return fail(p.error());
    auto ops = patchOperationsOf(doc);
    if (!ops) return fail(ops.error());
    if (!doc.HasMember("patchOperations")) return fail(Error{400, "Invalid patch operations: expected a list"});
    ApiKey out;
    auto res = store.mutate([&](RestState& s) -> Result<bool> {
      for (auto& k : s.apiKeys) {
        if (k.id != id) continue;
        for (const auto& [o, path, value] : *ops) {
          if (path == "/enabled") k.enabled = value == "true";
          else if (path == "/name") k.name = value;
          else if (path == "/description") k.description = value;
          else return Error{400, "Invalid patch path " + path};
        }
        k.lastUpdatedDate = nowSeconds();
        out = k;
      }
      return true;
    });
    if (!res) return fail(res.error());
    return jsonResponse(200, renderJson([&](JsonWriter& w) { writeApiKey(w, out, false); }));
  }
  if (m == "DELETE") {
    auto res = store.mutate([&](RestState& s) -> Result<bool> {
      s.apiKeys.erase(std::remove_if(s.apiKeys.begin(), s.apiKeys.end(), [&](const ApiKey& k) { return k.id == id; }),
                      s.apiKeys.end());
      for (auto& p : s.usagePlans) p.keyIds.erase(std::remove(p.keyIds.begin(), p.keyIds.end(), id), p.keyIds.end());
      return true;
    });
    if (!res) return fail(res.error());
    return accepted();
  }
  return awsError(405, "MethodNotAllowedException", "Method not allowed");
}

// ---------------- /usageplans ----------------

void writePlanKey(JsonWriter& w, const ApiKey& k) {
  w.StartObject();
  jkv(w, "id", k.id);
  jkv(w, "type", "API_KEY");
  jkv(w, "value", k.value);
  jkv(w, "name", k.name);
  w.EndObject();
}

http::Response usagePlans(RestStore& store, const http::Request& req, const std::vector<std::string>& seg) {
  const std::string& m = req.method;
  rapidjson::Document doc;
  if (seg.size() == 1 && m == "POST") {
    if (auto p = parseRequestObject(req, doc); !p) return fail(p.error());
    UsagePlan plan;
    if (auto r = readUsagePlan(doc, plan); !r) return fail(r.error());
    plan.id = newId(6);
    auto res = store.mutate([&](RestState& s) -> Result<bool> {
      for (const auto& st : plan.apiStages) {
        RestApi* api = findApi(s, st.apiId);
        if (!api) return Error{404, "Invalid API identifier specified 123456789012:" + st.apiId};
        if (!api->findStage(st.stage)) return Error{404, "Invalid stage identifier specified " + st.stage};
      }
      s.usagePlans.push_back(plan);
      return true;
    });
    if (!res) return fail(res.error());
    return jsonResponse(201, renderJson([&](JsonWriter& w) { writeUsagePlan(w, plan); }));
  }
  RestState state;
  store.read([&](const RestState& s) { state = s; });
  if (seg.size() == 1 && m == "GET")
    return itemList(state.usagePlans, [](JsonWriter& w, const UsagePlan& p) { writeUsagePlan(w, p); });
  if (seg.size() < 2) return awsError(405, "MethodNotAllowedException", "Method not allowed");
  const std::string planId = seg[1];
  auto pit = std::find_if(state.usagePlans.begin(), state.usagePlans.end(), [&](const UsagePlan& p) { return p.id == planId; });
  if (pit == state.usagePlans.end()) return fail(Error{404, "Invalid Usage Plan ID specified"});
  const UsagePlan& plan = *pit;
  auto keyById = [&](const std::string& id) -> const ApiKey* {
    for (const auto& k : state.apiKeys)
      if (k.id == id) return &k;
    return nullptr;
  };
  if (seg.size() == 2) {
    if (m == "GET") return jsonResponse(200, renderJson([&](JsonWriter& w) { writeUsagePlan(w, plan); }));
    if (m == "DELETE") {
      auto res = store.mutate([&](RestState& s) -> Result<bool> {
        s.usagePlans.erase(std::remove_if(s.usagePlans.begin(), s.usagePlans.end(), [&](const UsagePlan& p) { return p.id == planId; }),
                           s.usagePlans.end());
        return true;
      });
      if (!res) return fail(res.error());
      return accepted();
    }
    return awsError(405, "MethodNotAllowedException", "Method not allowed");
  }
  if (seg[2] == "keys") {
    if (seg.size() == 3 && m == "POST") {
      if (auto p = parseRequestObject(req, doc); !p) return fail(p.error());
      std::string keyId, keyType;
      JsonReader r(doc);
      r.str("keyId", keyId);
      r.str("keyType", keyType);
      if (!r.ok()) return fail(Error{400, r.error()});
      if (keyType != "API_KEY") return fail(Error{400, "Invalid keyType: API_KEY"});
      const ApiKey* k = keyById(keyId);
      if (!k) return fail(Error{404, "Invalid API Key identifier specified"});
      ApiKey shown = *k;
      auto res = store.mutate([&](RestState& s) -> Result<bool> {
        for (auto& p : s.usagePlans)
          if (p.id == planId) {
            if (std::find(p.keyIds.begin(), p.keyIds.end(), keyId) != p.keyIds.end())
              return Error{409, "Usage Plan " + planId + " cannot be added because API Key " + keyId + " is already associated"};
            p.keyIds.push_back(keyId);
          }
        return true;
      });
      if (!res) return fail(res.error());
      return jsonResponse(201, renderJson([&](JsonWriter& w) { writePlanKey(w, shown); }));
    }
    if (seg.size() == 3 && m == "GET") {
      std::vector<ApiKey> ks;
      for (const auto& id : plan.keyIds)
        if (const ApiKey* k = keyById(id)) ks.push_back(*k);
      return itemList(ks, [](JsonWriter& w, const ApiKey& k) { writePlanKey(w, k); });
    }
    if (seg.size() == 4) {
      const std::string keyId = seg[3];
      if (std::find(plan.keyIds.begin(), plan.keyIds.end(), keyId) == plan.keyIds.end())
        return fail(Error{404, "Invalid Usage Plan Key identifier specified"});
      if (m == "GET") {
        const ApiKey* k = keyById(keyId);
        if (!k) return fail(Error{404, "Invalid API Key identifier specified"});
        return jsonResponse(200, renderJson([&](JsonWriter& w) { writePlanKey(w, *k); }));
      }
      if (m == "DELETE") {
        auto res = store.mutate([&](RestState& s) -> Result<bool> {
          for (auto& p : s.usagePlans)
            if (p.id == planId) p.keyIds.erase(std::remove(p.keyIds.begin(), p.keyIds.end(), keyId), p.keyIds.end());
          return true;
        });
        if (!res) return fail(res.error());
        return accepted();
      }
    }
    return awsError(405, "MethodNotAllowedException", "Method not allowed");
  }
  if (seg[2] == "usage" && seg.size() == 3 && m == "GET") {
    std::string start = queryParam(req.query, "startDate"), end = queryParam(req.query, "endDate");
    std::string onlyKey = queryParam(req.query, "keyId");
    if (start.empty() || end.empty()) return fail(Error{400, "Invalid input: startDate and endDate are required (YYYY-MM-DD)"});
    if (start.size() != 10 || end.size() != 10 || end < start) return fail(Error{400, "Invalid date range: " + start + " .. " + end});
    return jsonResponse(200, renderJson([&](JsonWriter& w) {
                          w.StartObject();
                          jkv(w, "usagePlanId", planId);
                          jkv(w, "startDate", start);
                          jkv(w, "endDate", end);
                          jkey(w, "values");
                          w.StartObject();
                          for (const auto& keyId : plan.keyIds) {
                            if (!onlyKey.empty() && keyId != onlyKey) continue;
                            auto days = store.usage().usage(plan, keyId, start, end);
                            jkey(w, keyId);
                            w.StartArray();
                            for (const auto& [used, remaining] : days) {
                              w.StartArray();
                              w.Int64(used);
                              w.Int64(remaining);
                              w.EndArray();
                            }
                            w.EndArray();
                          }
                          w.EndObject();
                          w.EndObject();
                        }));
  }
  return awsError(404, "NotFoundException", "Unknown operation");
}

}  // namespace

bool isRestManagementPath(std::string_view path) {
  for (std::string_view p : {"/restapis", "/apikeys", "/usageplans"})
    if (path == p || (path.rfind(p, 0) == 0 && path.size() > p.size() && path[p.size()] == '/')) return true;
  return false;
}

http::Response handleRestManagement(RestStore& store, const http::Request& req) {
  std::vector<std::string> seg = segments(req.path);
  if (seg.empty()) return awsError(404, "NotFoundException", "Unknown operation");
  if (seg[0] == "restapis") return restApis(store, req, seg);
  if (seg[0] == "apikeys") return apiKeys(store, req, seg);
  return usagePlans(store, req, seg);
}

}  // namespace cdnlab::gateway
