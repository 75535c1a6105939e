// REST API model JSON (see rest_json.h).
#include "gateway/rest/rest_json.h"

#include "gateway/json_members.h"

namespace cdnlab::gateway {
namespace {

Error bad(const std::string& msg) { return Error{400, "Invalid input: " + msg}; }

Result<bool> readResources(const rapidjson::Value& arr, std::vector<RestResource>& out) {
  if (!arr.IsArray()) return bad("resources must be a list");
  for (const auto& o : arr.GetArray()) {
    if (!o.IsObject()) return bad("a resource must be an object");
    RestResource res;
    JsonReader r(o);
    r.str("id", res.id);
    r.str("parentId", res.parentId);
    r.str("pathPart", res.pathPart);
    r.str("path", res.path);
    if (auto c = r.result(); !c) return c;
    if (const rapidjson::Value* ms = r.object("resourceMethods"))
      if (auto rm = readObjectMap(*ms, &RestMethod::httpMethod, res.methods, readMethod); !rm) return rm;
    if (auto c = r.result(); !c) return c;
    out.push_back(std::move(res));
  }
  return true;
}

// An integration response's members, in the order the API answers them (json_members.h).
template <typename Io, typename R>
void integrationResponseMembers(Io& io, R& r) {
  io.str("statusCode", r.statusCode);
  io.optStr("selectionPattern", r.selectionPattern);
  io.optMap("responseTemplates", r.responseTemplates);
  io.optMap("responseParameters", r.responseParameters);
  io.optStr("contentHandling", r.contentHandling);
}

}  // namespace

void writeIntegrationResponse(JsonWriter& w, const RestIntegrationResponse& r) {
  writeMembers(w, r, [](auto& io, auto& x) { integrationResponseMembers(io, x); });
}

void writeIntegration(JsonWriter& w, const RestIntegration& i) {
  w.StartObject();
  jkv(w, "type", i.type);
  jstrIf(w, "httpMethod", i.httpMethod);
  jstrIf(w, "uri", i.uri);
  jstrIf(w, "credentials", i.credentials);
  jmapIf(w, "requestParameters", i.requestParameters);
  jmapIf(w, "requestTemplates", i.requestTemplates);
  jkv(w, "passthroughBehavior", i.passthroughBehavior);
  jint(w, "timeoutInMillis", i.timeoutInMillis);
  jstrIf(w, "cacheNamespace", i.cacheNamespace);
  jlist(w, "cacheKeyParameters", i.cacheKeyParameters);
  if (!i.integrationResponses.empty())
    writeObjectMap(w, "integrationResponses", i.integrationResponses, writeIntegrationResponse);
  w.EndObject();
}

void writeMethodResponse(JsonWriter& w, const RestMethodResponse& r) {
  w.StartObject();
  jkv(w, "statusCode", r.statusCode);
  if (!r.responseParameters.empty()) jboolMap(w, "responseParameters", r.responseParameters);
  jmapIf(w, "responseModels", r.responseModels);
  w.EndObject();
}

void writeMethod(JsonWriter& w, const RestMethod& m) {
  w.StartObject();
  jkv(w, "httpMethod", m.httpMethod);
  jkv(w, "authorizationType", m.authorizationType);
  jstrIf(w, "authorizerId", m.authorizerId);
  jlistIf(w, "authorizationScopes", m.authorizationScopes);
  jstrIf(w, "requestValidatorId", m.requestValidatorId);
  jmapIf(w, "requestModels", m.requestModels);
  jbool(w, "apiKeyRequired", m.apiKeyRequired);
  jstrIf(w, "operationName", m.operationName);
  if (!m.requestParameters.empty()) jboolMap(w, "requestParameters", m.requestParameters);
  if (!m.methodResponses.empty()) writeObjectMap(w, "methodResponses", m.methodResponses, writeMethodResponse);
  if (m.integration) {
    jkey(w, "methodIntegration");
    writeIntegration(w, *m.integration);
  }
  w.EndObject();
}

void writeResource(JsonWriter& w, const RestResource& r, bool embedMethods) {
  w.StartObject();
  jkv(w, "id", r.id);
  jstrIf(w, "parentId", r.parentId);
  jstrIf(w, "pathPart", r.pathPart);
  jkv(w, "path", r.path);
  if (!r.methods.empty()) {
    writeObjectMap(w, "resourceMethods", r.methods, [embedMethods](JsonWriter& w, const RestMethod& m) {
      if (embedMethods) {
        writeMethod(w, m);
      } else {
        w.StartObject();
        w.EndObject();
      }
    });
  }
  w.EndObject();
}

void writeRestApi(JsonWriter& w, const RestApi& a) {
  w.StartObject();
  jkv(w, "id", a.id);
  jkv(w, "name", a.name);
  jstrIf(w, "description", a.description);
  jstrIf(w, "version", a.version);
  jint(w, "createdDate", a.createdDate);
  jkv(w, "apiKeySource", a.apiKeySource);
  jlistIf(w, "binaryMediaTypes", a.binaryMediaTypes);
  jkey(w, "endpointConfiguration");
  w.StartObject();
  jlist(w, "types", {"EDGE"});
  w.EndObject();
  jkv(w, "rootResourceId", a.rootResourceId);
  jbool(w, "disableExecuteApiEndpoint", false);
  w.EndObject();
}

void writeDeployment(JsonWriter& w, const RestDeployment& d) {
  w.StartObject();
  jkv(w, "id", d.id);
  jstrIf(w, "description", d.description);
  jint(w, "createdDate", d.createdDate);
  w.EndObject();
}

void writeStage(JsonWriter& w, const RestStage& s) {
  w.StartObject();
  jkv(w, "stageName", s.stageName);
  jkv(w, "deploymentId", s.deploymentId);
  jstrIf(w, "description", s.description);
  jbool(w, "cacheClusterEnabled", s.cacheClusterEnabled);
  if (s.cacheClusterEnabled) {
    jkv(w, "cacheClusterSize", s.cacheClusterSize);
    jkv(w, "cacheClusterStatus", "AVAILABLE");
  } else {
    jkv(w, "cacheClusterStatus", "NOT_AVAILABLE");
  }
  writeObjectMap(w, "methodSettings", s.methodSettings, [](JsonWriter& w, const RestMethodSetting& ms) {
    w.StartObject();
    jbool(w, "cachingEnabled", ms.cachingEnabled);
    jint(w, "cacheTtlInSeconds", ms.cacheTtlInSeconds);
    jbool(w, "requireAuthorizationForCacheControl", ms.requireAuthorizationForCacheControl);
    jbool(w, "metricsEnabled", false);
    jbool(w, "dataTraceEnabled", false);
    if (ms.throttlingRateLimit) {
      jkey(w, "throttlingRateLimit");
      w.Double(*ms.throttlingRateLimit);
    }
    if (ms.throttlingBurstLimit) jint(w, "throttlingBurstLimit", *ms.throttlingBurstLimit);
    w.EndObject();
  });
  jmapIf(w, "variables", s.variables);
  jint(w, "createdDate", s.createdDate);
  jint(w, "lastUpdatedDate", s.lastUpdatedDate);
  w.EndObject();
}

void writeApiKey(JsonWriter& w, const ApiKey& k, bool includeValue) {
  w.StartObject();
  jkv(w, "id", k.id);
  jkv(w, "name", k.name);
  if (includeValue) jkv(w, "value", k.value);
  jstrIf(w, "description", k.description);
  jbool(w, "enabled", k.enabled);
  jint(w, "createdDate", k.createdDate);
  jint(w, "lastUpdatedDate", k.lastUpdatedDate);
  jlist(w, "stageKeys", {});
  w.EndObject();
}

void writeUsagePlan(JsonWriter& w, const UsagePlan& p) {
  w.StartObject();
  jkv(w, "id", p.id);
  jkv(w, "name", p.name);
  jstrIf(w, "description", p.description);
  jkey(w, "apiStages");
  w.StartArray();
  for (const auto& s : p.apiStages) {
    w.StartObject();
    jkv(w, "apiId", s.apiId);
    jkv(w, "stage", s.stage);
    w.EndObject();
  }
  w.EndArray();
  if (p.rateLimit || p.burstLimit) {
    jkey(w, "throttle");
    w.StartObject();
    if (p.burstLimit) jint(w, "burstLimit", *p.burstLimit);
    if (p.rateLimit) {
      jkey(w, "rateLimit");
      w.Double(*p.rateLimit);
    }
    w.EndObject();
  }
  if (p.quotaLimit) {
    jkey(w, "quota");
    w.StartObject();
    jint(w, "limit", *p.quotaLimit);
    jint(w, "offset", p.quotaOffset);
    jkv(w, "period", p.quotaPeriod);
    w.EndObject();
  }
  w.EndObject();
}

Result<bool> readBoolMap(const rapidjson::Value& o, const char* name, std::map<std::string, bool>& out) {
  if (!o.HasMember(name) || o[name].IsNull()) return true;
  const auto& m = o[name];
  if (!m.IsObject()) return bad(std::string("'") + name + "' must be a map of booleans");
  for (auto it = m.MemberBegin(); it != m.MemberEnd(); ++it) {
    if (!it->value.IsBool()) return bad(std::string("'") + name + "' must be a map of booleans");
    out[it->name.GetString()] = it->value.GetBool();
  }
  return true;
}

Result<bool> readIntegrationResponse(const rapidjson::Value& o, RestIntegrationResponse& out) {
  return readMembers(o, "an integration response", out, [](auto& io, auto& x) { integrationResponseMembers(io, x); });
}

Result<bool> readIntegration(const rapidjson::Value& o, RestIntegration& out) {
  if (!o.IsObject()) return bad("an integration must be an object");
  JsonReader r(o);
  r.str("type", out.type);
  r.str("httpMethod", out.httpMethod);
  if (r.has("integrationHttpMethod")) r.str("integrationHttpMethod", out.httpMethod);
  r.str("uri", out.uri);
  r.str("credentials", out.credentials);
  r.strMap("requestParameters", out.requestParameters);
  r.strMap("requestTemplates", out.requestTemplates);
  r.str("passthroughBehavior", out.passthroughBehavior);
  int64_t t = out.timeoutInMillis;
  r.integer("timeoutInMillis", t);
  r.str("cacheNamespace", out.cacheNamespace);
  r.strList("cacheKeyParameters", out.cacheKeyParameters);
  if (auto c = r.result(); !c) return c;
  if (t < 50 || t > 29000) return bad("timeoutInMillis must be between 50 and 29000");
  out.timeoutInMillis = static_cast<int>(t);
  if (const rapidjson::Value* rs = r.object("integrationResponses"))
    if (auto x = readObjectMap(*rs, &RestIntegrationResponse::statusCode, out.integrationResponses,
                               readIntegrationResponse);
        !x)
      return x;
  return r.result();
}

Result<bool> readMethodResponse(const rapidjson::Value& o, RestMethodResponse& out) {
  if (!o.IsObject()) return bad("a method response must be an object");
  JsonReader r(o);
  r.str("statusCode", out.statusCode);
  r.strMap("responseModels", out.responseModels);
  if (auto c = r.result(); !c) return c;
  return readBoolMap(o, "responseParameters", out.responseParameters);
}

Result<bool> readMethod(const rapidjson::Value& o, RestMethod& out) {
  if (!o.IsObject()) return bad("a method must be an object");
  JsonReader r(o);
  r.str("httpMethod", out.httpMethod);
  r.str("authorizationType", out.authorizationType);
  r.str("authorizerId", out.authorizerId);
  r.strList("authorizationScopes", out.authorizationScopes);
  r.str("requestValidatorId", out.requestValidatorId);
  r.strMap("requestModels", out.requestModels);
  r.boolean("apiKeyRequired", out.apiKeyRequired);
  r.str("operationName", out.operationName);
  if (auto c = r.result(); !c) return c;
  if (auto b = readBoolMap(o, "requestParameters", out.requestParameters); !b) return b;
  if (const rapidjson::Value* rs = r.object("methodResponses"))
    if (auto x = readObjectMap(*rs, &RestMethodResponse::statusCode, out.methodResponses, readMethodResponse); !x)
      return x;
  if (const rapidjson::Value* in = r.object("methodIntegration")) {
    RestIntegration i;
    if (auto x = readIntegration(*in, i); !x) return x;
    out.integration = std::move(i);
  }
  return r.result();
}

Result<bool> readUsagePlan(const rapidjson::Value& o, UsagePlan& p) {
  if (!o.IsObject()) return Error{400, "Invalid input: a usage plan must be an object"};
  JsonReader r(o);
  r.str("name", p.name);
  r.str("description", p.description);
  if (!r.ok()) return Error{400, r.error()};
  if (p.name.empty()) return Error{400, "Invalid input: name is required"};
  if (o.HasMember("apiStages")) {
    if (!o["apiStages"].IsArray()) return Error{400, "Invalid input: apiStages must be a list"};
    for (const auto& s : o["apiStages"].GetArray()) {
      UsagePlanStage ups;
      JsonReader sr(s);
      sr.str("apiId", ups.apiId);
      sr.str("stage", ups.stage);
      if (!sr.ok()) return Error{400, sr.error()};
      p.apiStages.push_back(ups);
    }
  }
  if (o.HasMember("throttle") && o["throttle"].IsObject()) {
    JsonReader tr(o["throttle"]);
    double rate = 0;
    int64_t burst = 0;
    if (tr.has("rateLimit") && tr.number("rateLimit", rate)) p.rateLimit = rate;
    if (tr.has("burstLimit") && tr.integer("burstLimit", burst)) p.burstLimit = burst;
    if (!tr.ok()) return Error{400, tr.error()};
    if ((p.rateLimit && *p.rateLimit < 0) || (p.burstLimit && *p.burstLimit < 0))
      return Error{400, "Invalid input: throttle limits must not be negative"};
  }
  if (o.HasMember("quota") && o["quota"].IsObject()) {
    JsonReader qr(o["quota"]);
    int64_t limit = 0;
    if (qr.has("limit") && qr.integer("limit", limit)) p.quotaLimit = limit;
    qr.integer("offset", p.quotaOffset);
    qr.str("period", p.quotaPeriod);
    if (!qr.ok()) return Error{400, qr.error()};
    if (p.quotaPeriod != "DAY" && p.quotaPeriod != "WEEK" && p.quotaPeriod != "MONTH")
      return Error{400, "Invalid quota period '" + p.quotaPeriod + "' (DAY, WEEK, MONTH)"};
    if (!p.quotaLimit || *p.quotaLimit < 0) return Error{400, "Invalid input: quota.limit is required and not negative"};
    int64_t maxOffset = p.quotaPeriod == "DAY" ? 0 : p.quotaPeriod == "WEEK" ? 6 : 27;
    if (p.quotaOffset < 0 || p.quotaOffset > maxOffset)
      return Error{400, "Invalid quota offset for period " + p.quotaPeriod + ": 0.." + std::to_string(maxOffset)};
  }
  return true;
}

namespace {

void writeEmbeddedResource(JsonWriter& w, const RestResource& r) { writeResource(w, r, true); }

}  // namespace

std::string writeRestState(const RestState& s) {
  return renderJson([&](JsonWriter& w) {
    w.StartObject();
    writeList(w, "restApis", s.apis, [](JsonWriter& w, const RestApi& a) {
      w.StartObject();
      jkey(w, "api");
      writeRestApi(w, a);
      writeList(w, "resources", a.resources, writeEmbeddedResource);
      jkey(w, "definitions");
      writeDefinitions(w, a.definitions);
      writeList(w, "deployments", a.deployments, [](JsonWriter& w, const RestDeployment& d) {
        w.StartObject();
        jkey(w, "deployment");
        writeDeployment(w, d);
        writeList(w, "resources", d.resources, writeEmbeddedResource);
        jkey(w, "definitions");
        writeDefinitions(w, d.definitions);
        w.EndObject();
      });
      writeList(w, "stages", a.stages, [](JsonWriter& w, const RestStage& st) { writeStage(w, st); });
      w.EndObject();
    });
    writeList(w, "apiKeys", s.apiKeys, [](JsonWriter& w, const ApiKey& k) { writeApiKey(w, k, true); });
    writeList(w, "usagePlans", s.usagePlans, [](JsonWriter& w, const UsagePlan& p) {
      w.StartObject();
      jkey(w, "plan");
      writeUsagePlan(w, p);
      jlist(w, "keyIds", p.keyIds);
      w.EndObject();
    });
    w.EndObject();
  });
}

namespace {

Result<bool> readStage(const rapidjson::Value& o, RestStage& st) {
  JsonReader r(o);
  r.str("stageName", st.stageName);
  r.str("deploymentId", st.deploymentId);
  r.str("description", st.description);
  r.boolean("cacheClusterEnabled", st.cacheClusterEnabled);
  r.str("cacheClusterSize", st.cacheClusterSize);
  r.strMap("variables", st.variables);
  r.integer("createdDate", st.createdDate);
  r.integer("lastUpdatedDate", st.lastUpdatedDate);
  if (const rapidjson::Value* ms = r.object("methodSettings")) {
    for (auto it = ms->MemberBegin(); it != ms->MemberEnd(); ++it) {
      RestMethodSetting m;
      JsonReader mr(it->value);
      mr.boolean("cachingEnabled", m.cachingEnabled);
      mr.integer("cacheTtlInSeconds", m.cacheTtlInSeconds);
      mr.boolean("requireAuthorizationForCacheControl", m.requireAuthorizationForCacheControl);
      double rate = 0;
      int64_t burst = 0;
      if (mr.has("throttlingRateLimit") && mr.number("throttlingRateLimit", rate)) m.throttlingRateLimit = rate;
      if (mr.has("throttlingBurstLimit") && mr.integer("throttlingBurstLimit", burst)) m.throttlingBurstLimit = burst;
      if (auto c = mr.result(); !c) return c;
      st.methodSettings[it->name.GetString()] = m;
    }
  }
  return r.result();
}

}  // namespace

Result<RestState> readRestState(std::string_view text) {
  rapidjson::Document doc;
  if (auto p = parseJson(text, doc); !p) return p.error();
  if (!doc.IsObject()) return bad("expected an object");
  RestState s;
  if (doc.HasMember("restApis") && doc["restApis"].IsArray()) {
    for (const auto& o : doc["restApis"].GetArray()) {
      if (!o.IsObject() || !o.HasMember("api") || !o["api"].IsObject()) return bad("restApis[] needs 'api'");
      RestApi a;
      JsonReader r(o["api"]);
      r.str("id", a.id);
      r.str("name", a.name);
      r.str("description", a.description);
      r.str("version", a.version);
      r.integer("createdDate", a.createdDate);
      r.str("apiKeySource", a.apiKeySource);
      r.strList("binaryMediaTypes", a.binaryMediaTypes);
      r.str("rootResourceId", a.rootResourceId);
      if (auto c = r.result(); !c) return c.error();
      if (o.HasMember("resources"))
        if (auto x = readResources(o["resources"], a.resources); !x) return x.error();
      if (o.HasMember("definitions"))
        if (auto x = readDefinitions(o["definitions"], a.definitions); !x) return x.error();
      if (o.HasMember("deployments") && o["deployments"].IsArray()) {
        for (const auto& d : o["deployments"].GetArray()) {
          RestDeployment dep;
          if (!d.IsObject() || !d.HasMember("deployment")) return bad("deployments[] needs 'deployment'");
          JsonReader dr(d["deployment"]);
          dr.str("id", dep.id);
          dr.str("description", dep.description);
          dr.integer("createdDate", dep.createdDate);
          if (auto c = dr.result(); !c) return c.error();
          if (d.HasMember("resources"))
            if (auto x = readResources(d["resources"], dep.resources); !x) return x.error();
          if (d.HasMember("definitions"))
            if (auto x = readDefinitions(d["definitions"], dep.definitions); !x) return x.error();
          a.deployments.push_back(std::move(dep));
        }
      }
      if (o.HasMember("stages") && o["stages"].IsArray()) {
        for (const auto& so : o["stages"].GetArray()) {
          RestStage st;
          if (auto x = readStage(so, st); !x) return x.error();
          a.stages.push_back(std::move(st));
        }
      }
      s.apis.push_back(std::move(a));
    }
  }
  if (doc.HasMember("apiKeys") && doc["apiKeys"].IsArray()) {
    for (const auto& o : doc["apiKeys"].GetArray()) {
      ApiKey k;
      JsonReader r(o);
      r.str("id", k.id);
      r.str("name", k.name);
      r.str("value", k.value);
      r.str("description", k.description);
      r.boolean("enabled", k.enabled);
      r.integer("createdDate", k.createdDate);
      r.integer("lastUpdatedDate", k.lastUpdatedDate);
      if (auto c = r.result(); !c) return c.error();
      s.apiKeys.push_back(std::move(k));
    }
  }
  if (doc.HasMember("usagePlans") && doc["usagePlans"].IsArray()) {
    for (const auto& o : doc["usagePlans"].GetArray()) {
      if (!o.IsObject() || !o.HasMember("plan") || !o["plan"].IsObject()) return bad("usagePlans[] needs 'plan'");
      UsagePlan p;
      if (auto r = readUsagePlan(o["plan"], p); !r) return r.error();
      JsonReader ir(o["plan"]);
      ir.str("id", p.id);
      if (auto c = ir.result(); !c) return c.error();
      JsonReader kr(o);
      kr.strList("keyIds", p.keyIds);
      if (auto c = kr.result(); !c) return c.error();
      s.usagePlans.push_back(std::move(p));
    }
  }
  return s;
}

}  // namespace cdnlab::gateway
