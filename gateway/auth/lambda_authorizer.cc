// Lambda authorizer events, answers and policy checks (see lambda_authorizer.h).
#include "gateway/auth/lambda_authorizer.h"

#include <rapidjson/document.h>

#include "common/json_depth.h"
#include "gateway/json.h"
#include "gateway/routing/query_string.h"

namespace cdnlab::gateway {
namespace {

bool startsWith(std::string_view s, std::string_view p) { return s.size() >= p.size() && s.substr(0, p.size()) == p; }

// Every value of query parameter `name` (decoded), joined with ','.
std::optional<std::string> queryValue(std::string_view q, std::string_view name) {
  const QueryParameters params = parseQueryParameters(q, PlusSign::kLiteral);
  const std::vector<std::string>* values = queryValues(params, name);
  if (!values) return std::nullopt;
  std::string joined = values->front();
  for (size_t i = 1; i < values->size(); ++i) joined += "," + (*values)[i];
  return joined;
}

void writeValue(JsonWriter& w, const rapidjson::Value& v) { v.Accept(w); }

// Copies the members of `event` except those in `skip` into the writer.
void copyMembers(JsonWriter& w, const rapidjson::Value& event, std::initializer_list<std::string_view> skip) {
  for (auto it = event.MemberBegin(); it != event.MemberEnd(); ++it) {
    std::string_view name(it->name.GetString(), it->name.GetStringLength());
    bool skipped = false;
    for (auto s : skip) skipped |= s == name;
    if (skipped) continue;
    jkey(w, name);
    writeValue(w, it->value);
  }
}

// A policy member that is a string or a list of strings.
bool stringOrList(const rapidjson::Value& v, std::vector<std::string>& out) {
  if (v.IsString()) {
    out.emplace_back(v.GetString(), v.GetStringLength());
    return true;
  }
  if (!v.IsArray()) return false;
  for (const auto& e : v.GetArray()) {
    if (!e.IsString()) return false;
    out.emplace_back(e.GetString(), e.GetStringLength());
  }
  return true;
}

const rapidjson::Value* member(const rapidjson::Value& o, const char* name) {
  auto it = o.FindMember(name);
  return it == o.MemberEnd() ? nullptr : &it->value;
}

std::string contextOf(const rapidjson::Value& o, Result<bool>& bad) {
  const rapidjson::Value* c = member(o, "context");
  if (!c || c->IsNull()) return "{}";
  if (!c->IsObject()) {
    bad = Error{500, "authorizer answer: context must be an object"};
    return "";
  }
  rapidjson::StringBuffer b;
  JsonWriter w(b);
  c->Accept(w);
  return std::string(b.GetString(), b.GetSize());
}

Result<AuthorizerVerdict> readPolicy(const rapidjson::Value& o) {
  AuthorizerVerdict v;
  const rapidjson::Value* pid = member(o, "principalId");
  if (pid && !pid->IsNull()) {
    if (!pid->IsString()) return Error{500, "authorizer answer: principalId must be a string"};
    v.principalId.assign(pid->GetString(), pid->GetStringLength());
  }
  const rapidjson::Value* doc = member(o, "policyDocument");
  if (!doc || !doc->IsObject()) return Error{500, "authorizer answer: no policyDocument object (and no isAuthorized)"};
  const rapidjson::Value* st = member(*doc, "Statement");
  if (!st) return Error{500, "authorizer answer: policyDocument has no Statement"};
  auto readStatement = [&](const rapidjson::Value& s) -> Result<bool> {
    if (!s.IsObject()) return Error{500, "authorizer answer: a policy Statement must be an object"};
    PolicyStatement ps;
    const rapidjson::Value* eff = member(s, "Effect");
    if (!eff || !eff->IsString()) return Error{500, "authorizer answer: a policy Statement needs Effect"};
    std::string_view e(eff->GetString(), eff->GetStringLength());
    if (e != "Allow" && e != "Deny") return Error{500, "authorizer answer: Effect must be Allow or Deny, got " + std::string(e)};
    ps.allow = e == "Allow";
    const rapidjson::Value* act = member(s, "Action");
    const rapidjson::Value* res = member(s, "Resource");
    if (!act || !stringOrList(*act, ps.actions)) return Error{500, "authorizer answer: a policy Statement needs Action (string or list)"};
    if (!res || !stringOrList(*res, ps.resources))
      return Error{500, "authorizer answer: a policy Statement needs Resource (string or list)"};
    v.statements.push_back(std::move(ps));
    return true;
  };
  if (st->IsArray()) {
    for (const auto& s : st->GetArray())
      if (auto r = readStatement(s); !r) return r.error();
  } else if (auto r = readStatement(*st); !r) {
    return r.error();
  }
  Result<bool> bad = true;
  v.contextJson = contextOf(o, bad);
  if (!bad) return bad.error();
  return v;
}

bool actionMatches(const std::vector<std::string>& actions) {
  for (const auto& a : actions)
    if (arnPatternMatches(a, "execute-api:Invoke")) return true;
  return false;
}

}  // namespace

std::optional<std::vector<std::string>> resolveIdentitySources(const std::vector<std::string>& sources,
                                                               const IdentityInputs& in) {
  std::vector<std::string> out;
  out.reserve(sources.size());
  for (const auto& s : sources) {
    std::string v;
    if (startsWith(s, "$request.header.")) {
      std::string_view name = std::string_view(s).substr(16);
      bool found = false;
      for (const auto& f : *in.headers)
        if (http::equalsIgnoreCase(f.name, name)) {
          if (found) v.push_back(',');
          v += f.value;
          found = true;
        }
    } else if (startsWith(s, "$request.querystring.")) {
      if (auto q = queryValue(in.rawQuery, std::string_view(s).substr(21))) v = std::move(*q);
    } else if (startsWith(s, "$stageVariables.")) {
      if (in.stageVariables)
        if (auto it = in.stageVariables->find(s.substr(16)); it != in.stageVariables->end()) v = it->second;
    } else if (startsWith(s, "$context.")) {
      if (in.context) v = in.context(std::string_view(s).substr(9));
    }
    if (v.empty()) return std::nullopt;
    out.push_back(std::move(v));
  }
  return out;
}

std::string routeArnOf(std::string_view region, std::string_view account, std::string_view apiId, std::string_view stage,
                       std::string_view method, std::string_view path) {
  std::string arn = "arn:aws:execute-api:";
  arn.append(region).append(":").append(account).append(":").append(apiId).append("/").append(stage).append("/");
  arn.append(method);
  arn.append(path.empty() ? std::string_view("/") : path);
  return arn;
}

std::string buildAuthorizerEventV2(const ProxyRequest& p, std::string_view routeArn, const std::vector<std::string>& identity) {
  ProxyRequest noBody = p;
  noBody.body.clear();
  noBody.authorizerJson.clear();
  rapidjson::Document event;
  event.Parse(buildEventV2(noBody).c_str());
  rapidjson::StringBuffer b;
  JsonWriter w(b);
  w.StartObject();
  jkv(w, "version", "2.0");
  jkv(w, "type", "REQUEST");
  jkv(w, "routeArn", routeArn);
  jlist(w, "identitySource", identity);
  copyMembers(w, event, {"version", "body", "isBase64Encoded"});
  w.EndObject();
  return std::string(b.GetString(), b.GetSize());
}

std::string buildAuthorizerEventV1(const ProxyRequest& p, std::string_view methodArn, const std::vector<std::string>& identity) {
  ProxyRequest noBody = p;
  noBody.body.clear();
  noBody.authorizerJson = "{}";
  rapidjson::Document event;
  event.Parse(buildEventV1(noBody).c_str());
  std::string joined;
  for (size_t i = 0; i < identity.size(); ++i) joined += (i ? "," : "") + identity[i];
  rapidjson::StringBuffer b;
  JsonWriter w(b);
  w.StartObject();
  jkv(w, "version", "1.0");
  jkv(w, "type", "REQUEST");
  jkv(w, "methodArn", methodArn);
  jkv(w, "identitySource", joined);
  jkv(w, "authorizationToken", joined);
  for (const char* k : {"resource", "path", "httpMethod", "headers", "queryStringParameters", "pathParameters", "stageVariables"}) {
    jkey(w, k);
    if (const rapidjson::Value* v = member(event, k)) writeValue(w, *v);
    else w.Null();
  }
  if (rapidjson::Value* rc = const_cast<rapidjson::Value*>(member(event, "requestContext")); rc && rc->IsObject()) {
    rc->RemoveMember("authorizer");  // the authorizer runs before there is one
    jkey(w, "requestContext");
    writeValue(w, *rc);
  }
  w.EndObject();
  return std::string(b.GetString(), b.GetSize());
}

Result<AuthorizerVerdict> readAuthorizerResponse(std::string_view body, bool simpleResponses) {
  // The function's answer is untrusted and its context is re-serialised (the Writer recurses per
  // level; the REST authorizer parses the answer again recursively).
  if (jsonNestsDeeperThan(body, kMaxRecursiveJsonDepth))
    return Error{500, "authorizer answer nests arrays and objects more than " + std::to_string(kMaxRecursiveJsonDepth) +
                          " levels deep"};
  rapidjson::Document doc;
  if (auto r = parseJson(body, doc); !r) return Error{500, "authorizer answer is not JSON: " + r.error().message};
  if (!doc.IsObject()) return Error{500, "authorizer answer must be a JSON object"};
  if (simpleResponses && !member(doc, "policyDocument")) {
    const rapidjson::Value* ok = member(doc, "isAuthorized");
    if (!ok || !ok->IsBool()) return Error{500, "authorizer answer: isAuthorized must be a boolean (enableSimpleResponses)"};
    AuthorizerVerdict v;
    v.simple = true;
    v.isAuthorized = ok->GetBool();
    Result<bool> bad = true;
    v.contextJson = contextOf(doc, bad);
    if (!bad) return bad.error();
    return v;
  }
  return readPolicy(doc);
}

bool verdictAllows(const AuthorizerVerdict& v, std::string_view routeArn) {
  if (v.simple) return v.isAuthorized;
  bool allowed = false;
  for (const auto& s : v.statements) {
    if (!actionMatches(s.actions)) continue;
    bool hit = false;
    for (const auto& r : s.resources) hit |= arnPatternMatches(r, routeArn);
    if (!hit) continue;
    if (!s.allow) return false;  // an explicit Deny wins
    allowed = true;
  }
  return allowed;
}

bool arnPatternMatches(std::string_view pattern, std::string_view arn) {
  // Iterative glob with one backtrack point: linear in practice, no recursion on hostile input.
  size_t p = 0, a = 0, starP = std::string_view::npos, starA = 0;
  while (a < arn.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == arn[a])) {
      ++p;
      ++a;
    } else if (p < pattern.size() && pattern[p] == '*') {
      starP = p++;
      starA = a;
    } else if (starP != std::string_view::npos) {
      p = starP + 1;
      a = ++starA;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

std::string integrationAuthorizerJson(const AuthorizerVerdict& v, const std::string& payloadFormatVersion,
                                      int64_t authorizerLatencyMs) {
  rapidjson::StringBuffer b;
  JsonWriter w(b);
  if (payloadFormatVersion == "1.0") {
    rapidjson::Document ctx;
    ctx.Parse(v.contextJson.c_str());
    w.StartObject();
    if (ctx.IsObject()) copyMembers(w, ctx, {"principalId", "integrationLatency"});
    if (!v.simple) jkv(w, "principalId", v.principalId);
    jkey(w, "integrationLatency");
    w.Int64(authorizerLatencyMs);
    w.EndObject();
    return std::string(b.GetString(), b.GetSize());
  }
  w.StartObject();
  jkey(w, "lambda");
  w.RawValue(v.contextJson.data(), v.contextJson.size(), rapidjson::kObjectType);
  if (!v.simple) jkv(w, "principalId", v.principalId);
  w.EndObject();
  return std::string(b.GetString(), b.GetSize());
}

}  // namespace cdnlab::gateway
