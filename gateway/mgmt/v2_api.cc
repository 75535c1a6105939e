// apigatewayv2 management API (see v2_api.h). Each handler: parse the body -> check -> edit the
// model inside ModelStore::mutate (which persists and republishes, or rolls back) -> answer with
// the resource in AWS's member names.
#include "gateway/mgmt/v2_api.h"

#include <algorithm>

#include "common/parse_integer.h"
#include "gateway/integrations/lambda_target.h"
#include "gateway/integrations/proxy_event.h"
#include "gateway/mgmt/mgmt_response.h"
#include "gateway/model/model_json.h"
#include "gateway/openapi/importer.h"
#include "gateway/routing/route_table.h"

namespace cdnlab::gateway {
namespace {


std::string pageToken(size_t offset) { return base64Encode("cdnlab-page:" + std::to_string(offset)); }

// [from, to) of a list of `total` items for the request's maxResults / nextToken.
Result<std::pair<size_t, size_t>> pageOf(std::string_view query, size_t total) {
  size_t from = 0, to = total;
  std::string token = queryParam(query, "nextToken");
  if (!token.empty()) {
    auto raw = base64Decode(token);
    constexpr std::string_view kPrefix = "cdnlab-page:";
    if (!raw || raw->rfind(kPrefix, 0) != 0 || raw->size() == kPrefix.size() || raw->size() > kPrefix.size() + 9 ||
        raw->find_first_not_of("0123456789", kPrefix.size()) != std::string::npos)
      return Error{400, "Invalid input: nextToken is not a token this API gave out"};
    from = std::min(total, static_cast<size_t>(parseInteger<uint64_t>(std::string_view(*raw).substr(kPrefix.size())).value_or(0)));
  }
  std::string max = queryParam(query, "maxResults");
  if (!max.empty()) {
    auto n = max.size() > 9 || max.find_first_not_of("0123456789") != std::string::npos ? std::nullopt : parseInteger<uint64_t>(max);
    if (!n || *n == 0) return Error{400, "Invalid input: maxResults must be a positive number, got '" + max + "'"};
    to = std::min(total, from + static_cast<size_t>(*n));
  }
  return std::make_pair(from, to);
}

// One page of a Get* list, as apigatewayv2 pages them: `maxResults` (a positive number, as a
// string on the wire) caps the items, `nextToken` (opaque; ours is the next offset) continues.
template <typename T, typename Fn>
Result<std::string> renderItems(const http::Request& req, const std::vector<T>& items, Fn&& write) {
  auto page = pageOf(req.query, items.size());
  if (!page) return page.error();
  auto [from, to] = *page;
  return renderJson([&, from = from, to = to](JsonWriter& w) {
    w.StartObject();
    jkey(w, "items");
    w.StartArray();
    for (size_t i = from; i < to; ++i) write(w, items[i]);
    w.EndArray();
    if (to < items.size()) jkv(w, "nextToken", pageToken(to));
    w.EndObject();
  });
}

Api* findApi(std::vector<Api>& apis, std::string_view id) {
  for (auto& a : apis)
    if (a.id == id) return &a;
  return nullptr;
}

Error apiNotFound(std::string_view id) { return Error{404, "Invalid API identifier specified " + std::string(id)}; }

Result<bool> checkStageName(const std::string& n) {
  if (n.empty() || n.size() > 128) return Error{400, "Invalid input: stageName must be 1 to 128 characters"};
  if (n == "$default") return true;
  for (char c : n)
    if (!std::isalnum(static_cast<unsigned char>(c)) && std::string_view("-._~").find(c) == std::string_view::npos)
      return Error{400, "Invalid input: stageName " + n + " may hold letters, digits, - . _ ~ (or be $default)"};
  return true;
}

Result<bool> checkRouteAuth(const Route& r) {
  if ((r.authorizationType == "JWT" || r.authorizationType == "CUSTOM") && r.authorizerId.empty())
    return Error{400, "Invalid input: authorizationType " + r.authorizationType + " needs authorizerId"};
  return true;  // validateRoutes checks the authorizer exists and refuses other types
}

Deployment freeze(const Api& api, std::string description, bool autoDeployed) {
  Deployment d;
  d.id = newId(6);
  d.description = std::move(description);
  d.autoDeployed = autoDeployed;
  d.createdMs = wallMs();
  d.routes = api.routes;
  d.integrations = api.integrations;
  return d;
}

// Quick create: target -> an integration, a route (routeKey or $default), an auto-deployed $default stage.
Result<bool> quickCreate(Api& api, const std::string& target, const std::string& routeKey) {
  Integration in;
  in.id = newId(7);
  if (target.rfind("http://", 0) == 0 || target.rfind("https://", 0) == 0) {
    in.type = "HTTP_PROXY";
    in.method = "ANY";
  } else {
    if (auto t = resolveLambdaUri(target); !t) return Error{400, "Invalid input: target: " + t.error().message};
    in.type = "AWS_PROXY";
    in.payloadFormatVersion = "2.0";
  }
  in.uri = target;
  if (auto v = validateIntegration(in, api.protocolType); !v) return v.error();
  Route r;
  r.id = newId(7);
  r.routeKey = routeKey.empty() ? "$default" : routeKey;
  r.target = "integrations/" + in.id;
  if (auto k = parseRouteKey(r.routeKey); !k) return Error{400, k.error().message};
  api.integrations.push_back(std::move(in));
  api.routes.push_back(std::move(r));
  Stage s;
  s.name = "$default";
  s.autoDeploy = true;
  s.apiGatewayManaged = true;
  s.createdMs = s.updatedMs = wallMs();
  api.stages.push_back(std::move(s));
  return true;
}

struct Call {
  ModelStore& store;
  const http::Request& req;
  const V2ApiOptions& opts;
  std::vector<std::string_view> seg;  // "v2", "apis", id, kind, subId
  std::string endpoint(const std::string& apiId) const {
    std::string e = opts.endpointBase;
    if (auto p = e.find("{apiId}"); p != std::string::npos) e.replace(p, 7, apiId);
    return e;
  }
};

http::Response fail(const Error& e) { return awsErrorFor(e.code, e.message); }

http::Response createApi(Call& c) {
  rapidjson::Document doc;
  if (auto r = parseRequestObject(c.req, doc); !r) return fail(r.error());
  Api api;
  if (auto r = readApi(doc, api, false); !r) return fail(r.error());
  if (api.name.empty()) return fail(Error{400, "Invalid input: name is required"});
  if (api.protocolType != "HTTP" && api.protocolType != "WEBSOCKET")
    return fail(Error{400, "Invalid input: protocolType must be HTTP or WEBSOCKET"});
  if (api.protocolType == "WEBSOCKET" && api.routeSelectionExpression.empty())
    return fail(Error{400, "Invalid input: routeSelectionExpression is required for WEBSOCKET APIs"});
  if (api.routeSelectionExpression.empty()) api.routeSelectionExpression = "${request.method} ${request.path}";
  api.id = newId(10);
  api.createdMs = wallMs();
  JsonReader jr(doc);
  std::string target, routeKey;
  jr.str("target", target);
  jr.str("routeKey", routeKey);
  if (!jr.ok()) return fail(Error{400, jr.error()});
  if (!target.empty() && api.protocolType == "WEBSOCKET")
    return fail(Error{400, "Invalid input: quick create (target) is not supported for WEBSOCKET APIs"});
  if (!target.empty()) {
    if (auto q = quickCreate(api, target, routeKey); !q) return fail(q.error());
  } else if (!routeKey.empty()) {
    return fail(Error{400, "Invalid input: routeKey is only used with target (quick create)"});
  }
  std::string out;
  auto r = c.store.mutate([&](std::vector<Api>& apis) -> Result<bool> {
    apis.push_back(api);
    out = renderJson([&](JsonWriter& w) { writeApi(w, api, c.endpoint(api.id), false); });
    return true;
  });
  if (!r) return fail(r.error());
  return jsonResponse(201, std::move(out));
}

http::Response importApi(Call& c, const std::string& reimportId) {
  rapidjson::Document doc;
  if (auto r = parseRequestObject(c.req, doc); !r) return fail(r.error());
  if (!doc.HasMember("body") || !doc["body"].IsString()) return fail(Error{400, "Invalid input: body is required (the OpenAPI document)"});
  std::string_view text(doc["body"].GetString(), doc["body"].GetStringLength());
  auto api = importOpenApi(text, "body");
  if (!api) return fail(api.error());
  std::string out;
  auto r = c.store.mutate([&](std::vector<Api>& apis) -> Result<bool> {
    std::string id;
    if (!reimportId.empty()) {
      Api* old = findApi(apis, reimportId);
      if (!old) return apiNotFound(reimportId);
      // Reimport replaces routes, integrations and CORS; id, stages, deployments and tags stay.
      Api fresh = std::move(*api);
      fresh.id = old->id;
      fresh.createdMs = old->createdMs;
      fresh.stages = old->stages;
      fresh.deployments = old->deployments;
      fresh.tags = old->tags;
      if (auto p = prepareImportedApi(fresh, false); !p) return p.error();
      *old = std::move(fresh);
      id = reimportId;
    } else {
      auto added = addImportedApi(apis, std::move(*api), false);
      if (!added) return added.error();
      id = *added;
    }
    out = renderJson([&](JsonWriter& w) { writeApi(w, *findApi(apis, id), c.endpoint(id), false); });
    return true;
  });
  if (!r) return fail(r.error());
  return jsonResponse(201, std::move(out));
}

// Integrations, routes, stages, deployments of one API.
http::Response subResource(Call& c, const std::string& apiId, std::string_view kind, const std::string& subId) {
  const std::string& m = c.req.method;
  rapidjson::Document doc;
  if (m == "POST" || m == "PATCH")
    if (auto r = parseRequestObject(c.req, doc); !r) return fail(r.error());
  std::string out;
  int status = 200;
  auto r = c.store.mutate([&](std::vector<Api>& apis) -> Result<bool> {
    Api* api = findApi(apis, apiId);
    if (!api) return apiNotFound(apiId);
    if (kind == "integrations") {
      if (m == "POST" && subId.empty()) {
        Integration in;
        in.id = newId(7);
        if (auto e = readIntegration(doc, in, false); !e) return e;
        if (auto e = validateIntegration(in, api->protocolType); !e) return e;
        api->integrations.push_back(in);
        out = renderJson([&](JsonWriter& w) { writeIntegration(w, in, false); });
        status = 201;
        return true;
      }
      if (m == "GET" && subId.empty()) {
        auto page = renderItems(c.req, api->integrations, [](JsonWriter& w, const Integration& i) { writeIntegration(w, i, false); });
        if (!page) return page.error();
        out = std::move(*page);
        return true;
      }
      Integration* in = api->findIntegration(subId);
      if (!in) return Error{404, "Invalid Integration identifier specified " + subId};
      if (m == "GET") {
        out = renderJson([&](JsonWriter& w) { writeIntegration(w, *in, false); });
        return true;
      }
      if (m == "PATCH") {
        if (auto e = readIntegration(doc, *in, false); !e) return e;
        if (auto e = validateIntegration(*in, api->protocolType); !e) return e;
        out = renderJson([&](JsonWriter& w) { writeIntegration(w, *in, false); });
        return true;
      }
      if (m == "DELETE") {
        for (const auto& rt : api->routes)
          if (rt.target == "integrations/" + subId)
            return Error{409, "Cannot delete integration " + subId + ": route " + rt.routeKey + " targets it"};
        api->integrations.erase(api->integrations.begin() + (in - api->integrations.data()));
        status = 204;
        return true;
      }
    } else if (kind == "routes") {
      if (m == "POST" && subId.empty()) {
        Route rt;
        rt.id = newId(7);
        if (auto e = readRoute(doc, rt); !e) return e;
        if (rt.routeKey.empty()) return Error{400, "Invalid input: routeKey is required"};
        if (auto e = checkRouteAuth(rt); !e) return e;
        api->routes.push_back(rt);
        if (auto e = validateRoutes(*api); !e) return e;
        out = renderJson([&](JsonWriter& w) { writeRoute(w, rt); });
        status = 201;
        return true;
      }
      if (m == "GET" && subId.empty()) {
        auto page = renderItems(c.req, api->routes, [](JsonWriter& w, const Route& r) { writeRoute(w, r); });
        if (!page) return page.error();
        out = std::move(*page);
        return true;
      }
      Route* rt = api->findRoute(subId);
      if (!rt) return Error{404, "Invalid Route identifier specified " + subId};
      if (m == "GET") {
        out = renderJson([&](JsonWriter& w) { writeRoute(w, *rt); });
        return true;
      }
      if (m == "PATCH") {
        if (auto e = readRoute(doc, *rt); !e) return e;
        if (auto e = checkRouteAuth(*rt); !e) return e;
        if (auto e = validateRoutes(*api); !e) return e;
        out = renderJson([&](JsonWriter& w) { writeRoute(w, *rt); });
        return true;
      }
      if (m == "DELETE") {
        api->routes.erase(api->routes.begin() + (rt - api->routes.data()));
        status = 204;
        return true;
      }
    } else if (kind == "stages") {
      if (m == "POST" && subId.empty()) {
        Stage s;
        if (auto e = readStage(doc, s); !e) return e;
        if (auto e = checkStageName(s.name); !e) return e;
        if (api->findStage(s.name)) return Error{409, "Stage already exists"};
        if (!s.deploymentId.empty() && !api->findDeployment(s.deploymentId))
          return Error{404, "Invalid Deployment identifier specified " + s.deploymentId};
        s.createdMs = s.updatedMs = wallMs();
        api->stages.push_back(s);
        out = renderJson([&](JsonWriter& w) { writeStage(w, s); });
        status = 201;
        return true;
      }
      if (m == "GET" && subId.empty()) {
        auto page = renderItems(c.req, api->stages, [](JsonWriter& w, const Stage& s) { writeStage(w, s); });
        if (!page) return page.error();
        out = std::move(*page);
        return true;
      }
      Stage* s = api->findStage(subId);
      if (!s) return Error{404, "Invalid stage identifier specified " + subId};
      if (m == "GET") {
        out = renderJson([&](JsonWriter& w) { writeStage(w, *s); });
        return true;
      }
      if (m == "PATCH") {
        std::string name = s->name;
        if (auto e = readStage(doc, *s); !e) return e;
        s->name = name;  // the name is the identifier
        if (!s->deploymentId.empty() && !api->findDeployment(s->deploymentId))
          return Error{404, "Invalid Deployment identifier specified " + s->deploymentId};
        s->updatedMs = wallMs();
        out = renderJson([&](JsonWriter& w) { writeStage(w, *s); });
        return true;
      }
      if (m == "DELETE") {
        api->stages.erase(api->stages.begin() + (s - api->stages.data()));
        status = 204;
        return true;
      }
    } else if (kind == "authorizers") {
      if (m == "POST" && subId.empty()) {
        Authorizer az;
        if (auto e = readAuthorizer(doc, az); !e) return e;
        az.id = newId(6);
        api->authorizers.push_back(az);
        out = renderJson([&](JsonWriter& w) { writeAuthorizer(w, az); });
        status = 201;
        return true;
      }
      if (m == "GET" && subId.empty()) {
        auto page = renderItems(c.req, api->authorizers, [](JsonWriter& w, const Authorizer& a) { writeAuthorizer(w, a); });
        if (!page) return page.error();
        out = std::move(*page);
        return true;
      }
      Authorizer* az = api->findAuthorizer(subId);
      if (!az) return Error{404, "Invalid authorizer identifier specified " + subId};
      if (m == "GET") {
        out = renderJson([&](JsonWriter& w) { writeAuthorizer(w, *az); });
        return true;
      }
      if (m == "PATCH") {
        if (auto e = readAuthorizer(doc, *az); !e) return e;
        az->id = subId;
        out = renderJson([&](JsonWriter& w) { writeAuthorizer(w, *az); });
        return true;
      }
      if (m == "DELETE") {
        for (const auto& rt : api->routes)
          if (rt.authorizerId == subId) return Error{409, "Cannot delete authorizer " + subId + ": route " + rt.routeKey + " uses it"};
        api->authorizers.erase(api->authorizers.begin() + (az - api->authorizers.data()));
        status = 204;
        return true;
      }
    } else if (kind == "deployments") {
      if (m == "POST" && subId.empty()) {
        JsonReader jr(doc);
        std::string stageName, description;
        jr.str("stageName", stageName);
        jr.str("description", description);
        if (!jr.ok()) return Error{400, jr.error()};
        Stage* st = nullptr;
        if (!stageName.empty()) {
          st = api->findStage(stageName);
          if (!st) return Error{404, "Invalid stage identifier specified " + stageName};
          if (st->autoDeploy) return Error{400, "Stage " + stageName + " has autoDeploy enabled: deployments are made automatically"};
        }
        Deployment d = freeze(*api, description, false);
        if (st) {
          st->deploymentId = d.id;
          st->updatedMs = wallMs();
        }
        api->deployments.push_back(d);
        out = renderJson([&](JsonWriter& w) { writeDeployment(w, d, false); });
        status = 201;
        return true;
      }
      if (m == "GET" && subId.empty()) {
        auto page = renderItems(c.req, api->deployments, [](JsonWriter& w, const Deployment& d) { writeDeployment(w, d, false); });
        if (!page) return page.error();
        out = std::move(*page);
        return true;
      }
      const Deployment* d = api->findDeployment(subId);
      if (!d) return Error{404, "Invalid Deployment identifier specified " + subId};
      if (m == "GET") {
        out = renderJson([&](JsonWriter& w) { writeDeployment(w, *d, false); });
        return true;
      }
      if (m == "DELETE") {
        for (const auto& s : api->stages)
          if (s.deploymentId == subId) return Error{400, "Deployment " + subId + " is in use by stage " + s.name};
        api->deployments.erase(api->deployments.begin() + (d - api->deployments.data()));
        status = 204;
        return true;
      }
    } else {
      return Error{404, "Unknown resource " + std::string(kind)};
    }
    return Error{405, "Method " + m + " is not allowed on " + std::string(kind)};
  });
  if (!r) {
    if (r.error().code == 405) return awsError(405, "MethodNotAllowedException", r.error().message);
    return fail(r.error());
  }
  if (status == 204) {
    http::Response resp;
    resp.status = 204;
    return resp;
  }
  return jsonResponse(status, std::move(out));
}

}  // namespace

bool isV2ManagementPath(std::string_view path) { return path == "/v2/apis" || path.rfind("/v2/", 0) == 0; }

Result<bool> prepareImportedApi(Api& api, bool withDefaultStage) {
  if (api.id.empty()) {
    api.id = newId(10);
    api.createdMs = wallMs();
  }
  // Integrations referenced as integrations/#<index> by the importer get real ids.
  std::vector<std::string> ids;
  for (auto& in : api.integrations) {
    in.id = newId(7);
    ids.push_back(in.id);
  }
  std::vector<std::string> authorizerIds;
  for (auto& a : api.authorizers) {
    if (a.id.empty()) a.id = newId(6);
    authorizerIds.push_back(a.id);
  }
  // "#<index>" is how the importer refers to an authorizer or integration before it has an id.
  auto byIndex = [](const std::vector<std::string>& list, std::string_view ref) -> const std::string* {
    auto i = parseInteger<size_t>(ref);
    return i && *i < list.size() ? &list[*i] : nullptr;
  };
  for (auto& r : api.routes) {
    if (r.authorizerId.rfind("#", 0) == 0) {
      const std::string* id = byIndex(authorizerIds, std::string_view(r.authorizerId).substr(1));
      if (!id) return Error{400, "route " + r.routeKey + ": unknown authorizer " + r.authorizerId};
      r.authorizerId = *id;
    }
    r.id = newId(7);
    if (r.target.rfind("integrations/#", 0) == 0) {
      const std::string* id = byIndex(ids, std::string_view(r.target).substr(14));
      if (!id) return Error{400, "route " + r.routeKey + ": unknown integration " + r.target};
      r.target = "integrations/" + *id;
    }
  }
  if (auto v = validateRoutes(api); !v) return v.error();
  if (withDefaultStage && !api.findStage("$default")) {
    Stage s;
    s.name = "$default";
    s.autoDeploy = true;
    s.createdMs = s.updatedMs = wallMs();
    api.stages.push_back(std::move(s));
  }
  return true;
}

Result<std::string> addImportedApi(std::vector<Api>& apis, Api api, bool withDefaultStage) {
  if (auto p = prepareImportedApi(api, withDefaultStage); !p) return p.error();
  std::string id = api.id;
  apis.push_back(std::move(api));
  return id;
}

http::Response handleV2(ModelStore& store, const http::Request& req, const V2ApiOptions& opts) {
  Call c{store, req, opts, splitSegments(req.path)};
  const auto& s = c.seg;
  const std::string& m = req.method;
  if (s.size() < 2 || s[0] != "v2" || s[1] != "apis") return awsError(404, "NotFoundException", "Unknown management path " + req.path);
  if (s.size() == 2) {
    if (m == "POST") return createApi(c);
    if (m == "PUT") return importApi(c, "");
    if (m == "GET") {
      Result<std::string> out = std::string();
      store.read([&](const std::vector<Api>& apis) {
        out = renderItems(req, apis, [&](JsonWriter& w, const Api& a) { writeApi(w, a, c.endpoint(a.id), false); });
      });
      if (!out) return fail(out.error());
      return jsonResponse(200, std::move(*out));
    }
    return awsError(405, "MethodNotAllowedException", "Method " + m + " is not allowed on /v2/apis");
  }
  std::string apiId(s[2]);
  if (s.size() == 3) {
    if (m == "GET") {
      std::string out;
      bool found = false;
      store.read([&](const std::vector<Api>& apis) {
        for (const auto& a : apis)
          if (a.id == apiId) {
            found = true;
            out = renderJson([&](JsonWriter& w) { writeApi(w, a, c.endpoint(a.id), false); });
          }
      });
      if (!found) return fail(apiNotFound(apiId));
      return jsonResponse(200, std::move(out));
    }
    if (m == "PUT") return importApi(c, apiId);
    if (m == "DELETE") {
      auto r = store.mutate([&](std::vector<Api>& apis) -> Result<bool> {
        auto it = std::find_if(apis.begin(), apis.end(), [&](const Api& a) { return a.id == apiId; });
        if (it == apis.end()) return apiNotFound(apiId);
        apis.erase(it);
        return true;
      });
      if (!r) return fail(r.error());
      http::Response resp;
      resp.status = 204;
      return resp;
    }
    if (m == "PATCH") {
      rapidjson::Document doc;
      if (auto r = parseRequestObject(req, doc); !r) return fail(r.error());
      std::string out;
      auto r = store.mutate([&](std::vector<Api>& apis) -> Result<bool> {
        Api* a = findApi(apis, apiId);
        if (!a) return apiNotFound(apiId);
        std::string proto = a->protocolType;
        if (auto e = readApi(doc, *a, false); !e) return e;
        a->protocolType = proto;
        out = renderJson([&](JsonWriter& w) { writeApi(w, *a, c.endpoint(a->id), false); });
        return true;
      });
      if (!r) return fail(r.error());
      return jsonResponse(200, std::move(out));
    }
    return awsError(405, "MethodNotAllowedException", "Method " + m + " is not allowed on /v2/apis/" + apiId);
  }
  if (s.size() > 5) return awsError(404, "NotFoundException", "Unknown management path " + req.path);
  std::string subId = s.size() == 5 ? percentDecode(s[4]) : "";
  if (s[3] == "cors" && m == "DELETE") {
    auto r = store.mutate([&](std::vector<Api>& apis) -> Result<bool> {
      Api* a = findApi(apis, apiId);
      if (!a) return apiNotFound(apiId);
      a->corsConfiguration.reset();
      return true;
    });
    if (!r) return fail(r.error());
    http::Response resp;
    resp.status = 204;
    return resp;
  }
  return subResource(c, apiId, s[3], subId);
}

}  // namespace cdnlab::gateway
