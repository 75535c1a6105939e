// Management of a REST API's authorizers, request validators, models and gateway responses (see
// rest_mgmt_definitions.h). Each handler: parse -> check -> edit inside RestStore::mutate
// (persisted, or rolled back) -> answer in AWS's member names.
#include "gateway/rest/rest_mgmt_definitions.h"

#include <algorithm>

#include "gateway/auth/rest_authorizer.h"
#include "gateway/model/api_model.h"
#include "gateway/rest/decimal.h"
#include "gateway/rest/rest_definitions.h"
#include "gateway/rest/rest_json.h"
#include "gateway/rest/rest_mgmt_common.h"
#include "gateway/rest/rest_patch.h"

namespace cdnlab::gateway {
namespace {

Result<int64_t> integerValue(const std::string& path, const std::string& v) {
  auto n = parseNumber<int64_t>(v);
  if (!n || *n < 0) return Error{400, "Invalid value for " + path + ": '" + v + "' is not a number"};
  return *n;
}

bool methodUses(const RestApi& api, const std::function<bool(const RestMethod&)>& uses) {
  for (const auto& r : api.resources)
    for (const auto& [name, m] : r.methods)
      if (uses(m)) return true;
  return false;
}

// ---- authorizers ----

Result<bool> patchAuthorizer(RestAuthorizer& a, const std::vector<PatchOp>& ops) {
  for (const auto& o : ops) {
    if (o.path == "/name") a.name = o.value;
    else if (o.path == "/type") a.type = o.value;
    else if (o.path == "/authorizerUri") a.authorizerUri = o.value;
    else if (o.path == "/identitySource") a.identitySource = o.value;
    else if (o.path == "/identityValidationExpression") a.identityValidationExpression = o.op == "remove" ? "" : o.value;
    else if (o.path == "/authorizerCredentials") a.authorizerCredentials = o.op == "remove" ? "" : o.value;
    else if (o.path == "/authType") a.authType = o.value;
    else if (o.path == "/providerARNs" || o.path.rfind("/providerARNs/", 0) == 0) {
      // op=add|remove, path=/providerARNs, value=ARN (or the ARN in the path, '/' written ~1).
      std::string arn = o.path.size() > 14 ? unescapePatchPath(o.path.substr(14)) : o.value;
      auto& arns = a.providerARNs;
      arns.erase(std::remove(arns.begin(), arns.end(), arn), arns.end());
      if (o.op == "add" || o.op == "replace") arns.push_back(arn);
    } else if (o.path == "/authorizerResultTtlInSeconds") {
      auto v = integerValue(o.path, o.value);
      if (!v) return v.error();
      a.authorizerResultTtlInSeconds = *v;
    } else {
      return Error{400, "Invalid patch path " + o.path};
    }
  }
  return checkRestAuthorizer(a);
}

// ---- request validators ----

Result<bool> patchValidator(RestRequestValidator& v, const std::vector<PatchOp>& ops) {
  for (const auto& o : ops) {
    if (o.path == "/name") v.name = o.value;
    else if (o.path == "/validateRequestBody") v.validateRequestBody = o.value == "true";
    else if (o.path == "/validateRequestParameters") v.validateRequestParameters = o.value == "true";
    else return Error{400, "Invalid patch path " + o.path};
  }
  return true;
}

// ---- models ----

Result<bool> checkModelName(const std::string& n) {
  if (n.empty() || n.size() > 128 || !std::all_of(n.begin(), n.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)); }))
    return Error{400, "Model name must be alphanumeric: '" + n + "'"};
  return true;
}

Result<bool> patchModel(RestModelSchema& m, const std::vector<PatchOp>& ops) {
  for (const auto& o : ops) {
    if (o.path == "/schema") m.schema = o.value;
    else if (o.path == "/description") m.description = o.value;
    else return Error{400, "Invalid patch path " + o.path};
  }
  return checkModelSchema(m.name, m.schema);
}

// ---- gateway responses ----

Result<bool> patchGatewayResponse(RestGatewayResponse& g, const std::vector<PatchOp>& ops) {
  for (const auto& o : ops) {
    bool remove = o.op == "remove";
    if (o.path == "/statusCode") g.statusCode = remove ? "" : o.value;
    else if (o.path.rfind("/responseParameters/", 0) == 0) {
      std::string k = unescapePatchPath(o.path.substr(20));
      if (remove) g.responseParameters.erase(k);
      else g.responseParameters[k] = o.value;
    } else if (o.path.rfind("/responseTemplates/", 0) == 0) {
      std::string k = unescapePatchPath(o.path.substr(19));
      if (remove) g.responseTemplates.erase(k);
      else g.responseTemplates[k] = o.value;
    } else {
      return Error{400, "Invalid patch path " + o.path};
    }
  }
  return true;
}

// One collection's handlers, over the API's definitions. `T` is the item type, `key` names it in a
// path (id, or the model's name).
template <typename T>
struct Collection {
  std::vector<T> RestApiDefinitions::*items;
  std::string (*key)(const T&);
  const char* notFound;
  Result<bool> (*readNew)(const rapidjson::Document&, T&);
  Result<bool> (*patch)(T&, const std::vector<PatchOp>&);
  void (*write)(JsonWriter&, const T&);
  bool (*inUse)(const RestApi&, const std::string& key);
};

template <typename T>
http::Response handleCollection(RestStore& store, const http::Request& req, const std::vector<std::string>& seg,
                                const Collection<T>& c) {
  const std::string apiId = seg[1];
  const std::string& m = req.method;
  rapidjson::Document doc;
  if (m == "POST" || m == "PATCH")
    if (auto p = parseRequestObject(req, doc); !p) return fail(p.error());
  if (seg.size() == 3) {
    if (m == "GET") {
      std::optional<std::vector<T>> items;
      store.read([&](const RestState& s) {
        for (const auto& a : s.apis)
          if (a.id == apiId) items = a.definitions.*(c.items);
      });
      if (!items) return fail(apiNotFound(apiId));
      return itemList(*items, c.write);
    }
    if (m != "POST") return methodNotAllowed();
    T fresh;
    if (auto r = c.readNew(doc, fresh); !r) return fail(r.error());
    auto res = store.mutate([&](RestState& s) -> Result<bool> {
      RestApi* api = findApi(s, apiId);
      if (!api) return apiNotFound(apiId);
      auto& items = api->definitions.*(c.items);
      for (const auto& i : items)
        if (c.key(i) == c.key(fresh)) return Error{409, std::string("Another item with the same name already exists: ") + c.key(fresh)};
      items.push_back(fresh);
      return true;
    });
    if (!res) return fail(res.error());
    return jsonResponse(201, renderJson([&](JsonWriter& w) { c.write(w, fresh); }));
  }
  if (seg.size() != 4) return awsError(404, "NotFoundException", "Unknown operation");
  const std::string key = seg[3];
  T out;
  auto res = store.mutate([&](RestState& s) -> Result<bool> {
    RestApi* api = findApi(s, apiId);
    if (!api) return apiNotFound(apiId);
    auto& items = api->definitions.*(c.items);
    auto it = std::find_if(items.begin(), items.end(), [&](const T& i) { return c.key(i) == key; });
    if (it == items.end()) return Error{404, c.notFound};
    if (m == "GET") {
      out = *it;
      return Error{0, ""};  // read-only: nothing to persist
    }
    if (m == "DELETE") {
      if (c.inUse(*api, key)) return Error{409, "Cannot delete " + key + ": methods of the API still use it"};
      items.erase(it);
      return true;
    }
    if (m == "PATCH") {
      auto ops = patchOperationsOf(doc);
      if (!ops) return ops.error();
      if (auto p = c.patch(*it, *ops); !p) return p;
      out = *it;
      return true;
    }
    return Error{405, "Method not allowed"};
  });
  if (!res && res.error().code == 405) return methodNotAllowed();
  if (!res && res.error().code != 0) return fail(res.error());
  if (m == "DELETE") return accepted();
  return jsonResponse(200, renderJson([&](JsonWriter& w) { c.write(w, out); }));
}

Result<bool> readNewAuthorizer(const rapidjson::Document& doc, RestAuthorizer& a) {
  if (auto r = readAuthorizer(doc, a); !r) return r;
  a.id = newId(6);
  return checkRestAuthorizer(a);
}

Result<bool> readNewValidator(const rapidjson::Document& doc, RestRequestValidator& v) {
  if (auto r = readRequestValidator(doc, v); !r) return r;
  v.id = newId(6);
  return true;
}

Result<bool> readNewModel(const rapidjson::Document& doc, RestModelSchema& m) {
  if (auto r = readModel(doc, m); !r) return r;
  m.id = newId(6);
  if (auto c = checkModelName(m.name); !c) return c;
  if (m.contentType.empty()) return Error{400, "Invalid input: contentType is required"};
  return checkModelSchema(m.name, m.schema);
}

const Collection<RestAuthorizer> kAuthorizers{
    &RestApiDefinitions::authorizers, [](const RestAuthorizer& a) { return a.id; }, "Invalid Authorizer identifier specified",
    readNewAuthorizer, patchAuthorizer, writeAuthorizer,
    [](const RestApi& api, const std::string& id) { return methodUses(api, [&](const RestMethod& m) { return m.authorizerId == id; }); }};

const Collection<RestRequestValidator> kValidators{
    &RestApiDefinitions::requestValidators, [](const RestRequestValidator& v) { return v.id; },
    "Invalid Request Validator identifier specified", readNewValidator, patchValidator, writeRequestValidator,
    [](const RestApi& api, const std::string& id) {
      return methodUses(api, [&](const RestMethod& m) { return m.requestValidatorId == id; });
    }};

const Collection<RestModelSchema> kModels{
    &RestApiDefinitions::models, [](const RestModelSchema& m) { return m.name; }, "Invalid model name specified", readNewModel,
    patchModel, writeModel, [](const RestApi& api, const std::string& name) {
      return methodUses(api, [&](const RestMethod& m) {
        for (const auto& [ct, n] : m.requestModels)
          if (n == name) return true;
        return false;
      });
    }};

// Gateway responses are keyed by type and every type exists (customised or AWS's default), so
// they do not fit Collection: PUT creates or replaces, DELETE resets to the default.
http::Response gatewayResponses(RestStore& store, const http::Request& req, const std::vector<std::string>& seg) {
  const std::string apiId = seg[1];
  const std::string& m = req.method;
  if (seg.size() == 3) {
    if (m != "GET") return methodNotAllowed();
    std::optional<std::map<std::string, RestGatewayResponse>> custom;
    store.read([&](const RestState& s) {
      for (const auto& a : s.apis)
        if (a.id == apiId) custom = a.definitions.gatewayResponses;
    });
    if (!custom) return fail(apiNotFound(apiId));
    return jsonResponse(200, renderJson([&](JsonWriter& w) {
                          w.StartObject();
                          jkey(w, "item");
                          w.StartArray();
                          for (const auto& t : gatewayResponseTypes()) {
                            auto it = custom->find(std::string(t.type));
                            writeGatewayResponse(w, std::string(t.type), it == custom->end() ? nullptr : &it->second);
                          }
                          w.EndArray();
                          w.EndObject();
                        }));
  }
  if (seg.size() != 4) return awsError(404, "NotFoundException", "Unknown operation");
  const std::string type = seg[3];
  if (!findGatewayResponseType(type))
    return fail(Error{400, "Invalid gateway response type '" + type + "'"});
  rapidjson::Document doc;
  if (m == "PUT" || m == "PATCH")
    if (auto p = parseRequestObject(req, doc); !p) return fail(p.error());
  std::optional<RestGatewayResponse> out;
  int status = 200;
  auto res = store.mutate([&](RestState& s) -> Result<bool> {
    RestApi* api = findApi(s, apiId);
    if (!api) return apiNotFound(apiId);
    auto& all = api->definitions.gatewayResponses;
    auto it = all.find(type);
    if (m == "GET") {
      if (it != all.end()) out = it->second;
      return Error{0, ""};
    }
    if (m == "DELETE") {
      if (it == all.end()) return Error{404, "Invalid Gateway Response identifier specified"};
      all.erase(it);
      status = 202;
      return true;
    }
    RestGatewayResponse g = it != all.end() && m == "PATCH" ? it->second : RestGatewayResponse{};
    if (m == "PUT") {
      if (auto r = readGatewayResponse(doc, g); !r) return r;
      status = 201;
    } else if (m == "PATCH") {
      auto ops = patchOperationsOf(doc);
      if (!ops) return ops.error();
      if (auto p = patchGatewayResponse(g, *ops); !p) return p;
    } else {
      return Error{405, "Method not allowed"};
    }
    g.responseType = type;
    if (auto c = compileGatewayResponses({{type, g}}); !c) return c.error();
    all[type] = g;
    out = g;
    return true;
  });
  if (!res && res.error().code == 405) return methodNotAllowed();
  if (!res && res.error().code != 0) return fail(res.error());
  if (status == 202) return accepted();
  return jsonResponse(status, renderJson([&](JsonWriter& w) { writeGatewayResponse(w, type, out ? &*out : nullptr); }));
}

}  // namespace

bool isRestDefinitionsCollection(const std::string& collection) {
  return collection == "authorizers" || collection == "requestvalidators" || collection == "models" ||
         collection == "gatewayresponses";
}

http::Response handleRestDefinitions(RestStore& store, const http::Request& req, const std::vector<std::string>& seg) {
  const std::string& coll = seg[2];
  if (coll == "authorizers") return handleCollection(store, req, seg, kAuthorizers);
  if (coll == "requestvalidators") return handleCollection(store, req, seg, kValidators);
  if (coll == "models") return handleCollection(store, req, seg, kModels);
  return gatewayResponses(store, req, seg);
}

}  // namespace cdnlab::gateway
