// Lambda proxy events and responses (see proxy_event.h). Member order follows AWS's documented
// examples so a byte comparison of two events is meaningful.
#include "gateway/integrations/proxy_event.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <ctime>
#include <map>

#include <rapidjson/document.h>

#include "common/http/message.h"
#include "common/parse_integer.h"
#include "gateway/integrations/multi_value.h"
#include "gateway/json.h"
#include "gateway/routing/query_string.h"
#include "gateway/routing/route_table.h"
#include "gateway/utc_time.h"

namespace cdnlab::gateway {
namespace {

std::string lower(std::string_view s) {
  std::string o(s);
  for (auto& c : o) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return o;
}

// Header names lower-cased, in first-arrival order, with every value.
MultiValues groupHeaders(const http::Headers& h, bool skipCookie) {
  MultiValues out;
  for (const auto& f : h) {
    std::string n = lower(f.name);
    if (skipCookie && n == "cookie") continue;
    auto it = std::find_if(out.begin(), out.end(), [&](const auto& p) { return p.first == n; });
    if (it == out.end()) out.push_back({n, {f.value}});
    else it->second.push_back(f.value);
  }
  return out;
}

std::string join(const std::vector<std::string>& v, char sep) {
  std::string o;
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) o.push_back(sep);
    o += v[i];
  }
  return o;
}

void writeBody(JsonWriter& w, const ProxyRequest& r, bool nullWhenEmpty) {
  std::string_view ct;
  if (auto v = r.headers->get("content-type")) ct = *v;
  bool text = isTextContentType(ct);
  if (r.body.empty()) {
    if (nullWhenEmpty) {
      jkey(w, "body");
      w.Null();
    }
  } else {
    jkv(w, "body", text ? r.body : base64Encode(r.body));
  }
  jkey(w, "isBase64Encoded");
  w.Bool(!r.body.empty() && !text);
}

}  // namespace

ProxyRequest clientProxyRequest(const http::Request& req) {
  ProxyRequest p;
  p.method = req.method;
  p.rawQuery = req.query;
  p.protocol = req.httpMinor == 0 ? "HTTP/1.0" : "HTTP/1.1";
  p.headers = &req.headers;
  p.body = req.body;
  p.sourceIp = req.peer.substr(0, req.peer.rfind(':'));
  p.userAgent = std::string(req.headers.get("user-agent").value_or(""));
  return p;
}

std::string clfTime(int64_t epochMs) { return formatUtc(epochMs, "%d/%b/%Y:%H:%M:%S +0000"); }

bool isTextContentType(std::string_view ct) {
  if (ct.empty()) return true;
  std::string l = lower(ct.substr(0, ct.find(';')));
  while (!l.empty() && l.back() == ' ') l.pop_back();
  return l.rfind("text/", 0) == 0 || l == "application/json" || l == "application/xml" || l == "application/javascript" ||
         l == "application/x-www-form-urlencoded" || (l.size() > 5 && l.compare(l.size() - 5, 5, "+json") == 0) ||
         (l.size() > 4 && l.compare(l.size() - 4, 4, "+xml") == 0);
}

std::string buildEventV2(const ProxyRequest& r) {
  rapidjson::StringBuffer b;
  JsonWriter w(b);
  w.StartObject();
  jkv(w, "version", "2.0");
  jkv(w, "routeKey", r.routeKey);
  jkv(w, "rawPath", r.rawPath);
  jkv(w, "rawQueryString", r.rawQuery);
  // Cookies: every Cookie header, split at ';' into its pairs.
  std::vector<std::string> cookies;
  for (const auto& f : *r.headers) {
    if (!http::equalsIgnoreCase(f.name, "cookie")) continue;
    std::string_view v = f.value;
    size_t i = 0;
    while (i < v.size()) {
      size_t semi = v.find(';', i);
      std::string_view c = http::trimOws(v.substr(i, semi == std::string_view::npos ? std::string_view::npos : semi - i));
      if (!c.empty()) cookies.emplace_back(c);
      if (semi == std::string_view::npos) break;
      i = semi + 1;
    }
  }
  if (!cookies.empty()) jlist(w, "cookies", cookies);
  jkey(w, "headers");
  w.StartObject();
  for (const auto& [n, vals] : groupHeaders(*r.headers, true)) jkv(w, n, join(vals, ','));
  w.EndObject();
  auto q = parseQueryParameters(r.rawQuery, PlusSign::kLiteral);
  if (!q.empty()) {
    jkey(w, "queryStringParameters");
    w.StartObject();
    for (const auto& [n, vals] : q) jkv(w, n, join(vals, ','));
    w.EndObject();
  }
  jkey(w, "requestContext");
  w.StartObject();
  jkv(w, "accountId", r.accountId);
  jkv(w, "apiId", r.apiId);
  if (!r.authorizerJson.empty()) {
    jkey(w, "authorizer");
    w.RawValue(r.authorizerJson.data(), r.authorizerJson.size(), rapidjson::kObjectType);
  }
  jkv(w, "domainName", r.domainName);
  jkv(w, "domainPrefix", r.domainPrefix);
  jkey(w, "http");
  w.StartObject();
  jkv(w, "method", r.method);
  jkv(w, "path", r.rawPath);
  jkv(w, "protocol", r.protocol);
  jkv(w, "sourceIp", r.sourceIp);
  jkv(w, "userAgent", r.userAgent);
  w.EndObject();
  jkv(w, "requestId", r.requestId);
  jkv(w, "routeKey", r.routeKey);
  jkv(w, "stage", r.stage);
  jkv(w, "time", clfTime(r.timeEpochMs));
  jkey(w, "timeEpoch");
  w.Int64(r.timeEpochMs);
  w.EndObject();
  if (!r.body.empty()) {
    std::string_view ct;
    if (auto v = r.headers->get("content-type")) ct = *v;
    jkv(w, "body", isTextContentType(ct) ? r.body : base64Encode(r.body));
  }
  if (!r.pathParameters.empty()) {
    jkey(w, "pathParameters");
    w.StartObject();
    for (const auto& [n, v] : r.pathParameters) jkv(w, n, v);
    w.EndObject();
  }
  jkey(w, "isBase64Encoded");
  {
    std::string_view ct;
    if (auto v = r.headers->get("content-type")) ct = *v;
    w.Bool(!r.body.empty() && !isTextContentType(ct));
  }
  if (r.stageVariables && !r.stageVariables->empty()) jmap(w, "stageVariables", *r.stageVariables);
  w.EndObject();
  return std::string(b.GetString(), b.GetSize());
}

std::string buildEventV1(const ProxyRequest& r) {
  rapidjson::StringBuffer b;
  JsonWriter w(b);
  w.StartObject();
  jkv(w, "version", "1.0");
  jkv(w, "resource", r.resourcePath);
  jkv(w, "path", r.rawPath);
  jkv(w, "httpMethod", r.method);
  writeLastAndAllValues(w, "headers", "multiValueHeaders", groupHeaders(*r.headers, false));
  auto q = parseQueryParameters(r.rawQuery, PlusSign::kLiteral);
  jkey(w, "queryStringParameters");
  if (q.empty()) {
    w.Null();
  } else {
    w.StartObject();
    for (const auto& [n, vals] : q) jkv(w, n, vals.front());  // AWS's 1.0 example: the first value
    w.EndObject();
  }
  jkey(w, "multiValueQueryStringParameters");
  if (q.empty()) {
    w.Null();
  } else {
    w.StartObject();
    for (const auto& [n, vals] : q) jlist(w, n, vals);
    w.EndObject();
  }
  jkey(w, "requestContext");
  w.StartObject();
  jkv(w, "accountId", r.accountId);
  jkv(w, "apiId", r.apiId);
  jkey(w, "authorizer");
  if (!r.authorizerJson.empty()) {
    w.RawValue(r.authorizerJson.data(), r.authorizerJson.size(), rapidjson::kObjectType);
  } else {
    w.StartObject();
    jkey(w, "claims");
    w.Null();
    jkey(w, "scopes");
    w.Null();
    w.EndObject();
  }
  jkv(w, "domainName", r.domainName);
  jkv(w, "domainPrefix", r.domainPrefix);
  jkv(w, "extendedRequestId", r.extendedRequestId);
  jkv(w, "httpMethod", r.method);
  jkey(w, "identity");
  w.StartObject();
  for (const char* k : {"accessKey", "accountId", "caller", "cognitoAuthenticationProvider", "cognitoAuthenticationType",
                        "cognitoIdentityId", "cognitoIdentityPoolId", "principalOrgId"}) {
    jkey(w, k);
    w.Null();
  }
  jkv(w, "sourceIp", r.sourceIp);
  jkey(w, "user");
  w.Null();
  jkv(w, "userAgent", r.userAgent);
  jkey(w, "userArn");
  w.Null();
  w.EndObject();
  jkv(w, "path", r.rawPath);
  jkv(w, "protocol", r.protocol);
  jkv(w, "requestId", r.requestId);
  jkv(w, "requestTime", clfTime(r.timeEpochMs));
  jkey(w, "requestTimeEpoch");
  w.Int64(r.timeEpochMs);
  jkey(w, "resourceId");
  if (r.routeId.empty() || r.routeKey == "$default") w.Null();
  else jstr(w, r.routeId);
  jkv(w, "resourcePath", r.resourcePath);
  jkv(w, "stage", r.stage);
  w.EndObject();
  jkey(w, "pathParameters");
  if (r.pathParameters.empty()) {
    w.Null();
  } else {
    w.StartObject();
    for (const auto& [n, v] : r.pathParameters) jkv(w, n, v);
    w.EndObject();
  }
  jkey(w, "stageVariables");
  if (!r.stageVariables || r.stageVariables->empty()) w.Null();
  else {
    w.StartObject();
    for (const auto& [n, v] : *r.stageVariables) jkv(w, n, v);
    w.EndObject();
  }
  writeBody(w, r, true);
  w.EndObject();
  return std::string(b.GetString(), b.GetSize());
}

namespace {

// A header value from the function: strings as they are, numbers and booleans as their JSON text.
bool headerValue(const rapidjson::Value& v, std::string& out) {
  if (v.IsString()) {
    out.assign(v.GetString(), v.GetStringLength());
    return true;
  }
  if (v.IsBool()) {
    out = v.GetBool() ? "true" : "false";
    return true;
  }
  if (v.IsNumber()) {
    rapidjson::StringBuffer b;
    JsonWriter w(b);
    v.Accept(w);
    out.assign(b.GetString(), b.GetSize());
    return true;
  }
  return false;
}

bool validHeaderField(std::string_view name, std::string_view value) {
  // A field name is a token (RFC 9110 5.1, 5.6.2): anything else ("a/b", "x(y)") is not a
  // field a client could parse, so a function cannot send it.
  if (!http::isToken(name)) return false;
  for (char c : value)
    if (c == '\r' || c == '\n' || c == '\0') return false;
  return true;
}

}  // namespace

Result<http::Response> readProxyResponse(std::string_view body, const std::string& version) {
  // Parsed in place in a copy of the answer: strings are unescaped where they lie instead of being
  // copied into the document (a third of the parse on a Lambda route). Iterative, so deep nesting
  // cannot exhaust the stack. A NUL byte would end the in-place parse early: refused, as the
  // length-bounded parse refused it.
  std::string text(body);
  rapidjson::Document d;
  d.ParseInsitu<rapidjson::kParseIterativeFlag>(text.data());
  if (d.HasParseError() || std::memchr(body.data(), 0, body.size()))
    return Error{502, "the function's answer is not JSON"};
  http::Response resp;
  bool structured = d.IsObject() && d.HasMember("statusCode");
  if (!structured) {
    if (version == "1.0") return Error{502, "Malformed Lambda proxy response: statusCode is missing"};
    // 2.0: any JSON value without statusCode is the body of a 200 JSON answer.
    resp.status = 200;
    resp.headers.add("content-type", "application/json");
    if (d.IsString()) resp.body = Buffer::copyOf(std::string_view(d.GetString(), d.GetStringLength()));
    else resp.body = Buffer::copyOf(body);
    return resp;
  }
  const auto& sc = d["statusCode"];
  int status = 0;
  if (sc.IsInt()) status = sc.GetInt();
  else if (sc.IsString()) {
    std::string s(sc.GetString(), sc.GetStringLength());
    if (s.size() <= 3 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
      status = parseInteger<int>(s).value_or(0);
  }
  if (status < 100 || status > 599) return Error{502, "Malformed Lambda proxy response: statusCode is not an HTTP status"};
  resp.status = status;
  for (auto it = d.MemberBegin(); it != d.MemberEnd(); ++it) {
    std::string_view k(it->name.GetString(), it->name.GetStringLength());
    const auto& v = it->value;
    if (k == "statusCode") continue;
    if (k == "headers") {
      if (v.IsNull()) continue;
      if (!v.IsObject()) return Error{502, "Malformed Lambda proxy response: headers must be an object"};
      for (auto h = v.MemberBegin(); h != v.MemberEnd(); ++h) {
        std::string val;
        std::string_view name(h->name.GetString(), h->name.GetStringLength());
        if (!headerValue(h->value, val) || !validHeaderField(name, val))
          return Error{502, "Malformed Lambda proxy response: header " + std::string(name) + " is not a valid field"};
        resp.headers.set(name, val);
      }
    } else if (k == "multiValueHeaders") {
      if (v.IsNull()) continue;
      if (!v.IsObject()) return Error{502, "Malformed Lambda proxy response: multiValueHeaders must be an object"};
      for (auto h = v.MemberBegin(); h != v.MemberEnd(); ++h) {
        std::string_view name(h->name.GetString(), h->name.GetStringLength());
        if (!h->value.IsArray()) return Error{502, "Malformed Lambda proxy response: multiValueHeaders." + std::string(name) + " must be a list"};
        resp.headers.remove(name);
        for (const auto& e : h->value.GetArray()) {
          std::string val;
          if (!headerValue(e, val) || !validHeaderField(name, val))
            return Error{502, "Malformed Lambda proxy response: header " + std::string(name) + " is not a valid field"};
          resp.headers.add(name, val);
        }
      }
    } else if (k == "cookies") {
      if (v.IsNull()) continue;
      if (!v.IsArray()) return Error{502, "Malformed Lambda proxy response: cookies must be a list of strings"};
      for (const auto& e : v.GetArray()) {
        if (!e.IsString() || !validHeaderField("set-cookie", std::string_view(e.GetString(), e.GetStringLength())))
          return Error{502, "Malformed Lambda proxy response: cookies must be a list of strings"};
        resp.headers.add("set-cookie", std::string_view(e.GetString(), e.GetStringLength()));
      }
    } else if (k == "body") {
      if (v.IsNull()) continue;
      if (!v.IsString()) return Error{502, "Malformed Lambda proxy response: body must be a string"};
    } else if (k == "isBase64Encoded") {
      if (!v.IsBool() && !v.IsNull()) return Error{502, "Malformed Lambda proxy response: isBase64Encoded must be a boolean"};
    } else if (version == "1.0") {
      return Error{502, "Malformed Lambda proxy response: unexpected member " + std::string(k)};
    }
  }
  bool b64 = d.HasMember("isBase64Encoded") && d["isBase64Encoded"].IsBool() && d["isBase64Encoded"].GetBool();
  if (d.HasMember("body") && d["body"].IsString()) {
    std::string_view text(d["body"].GetString(), d["body"].GetStringLength());
    if (b64) {
      auto raw = base64Decode(text);
      if (!raw) return Error{502, "Malformed Lambda proxy response: body is not valid base64"};
      resp.body = Buffer::copyOf(*raw);
    } else {
      resp.body = Buffer::copyOf(text);
    }
  }
  if (version == "2.0" && !resp.headers.has("content-type") && resp.body.size() > 0)
    resp.headers.add("content-type", "text/plain; charset=utf-8");
  return resp;
}

std::string base64Encode(std::string_view in) {
  std::string out(4 * ((in.size() + 2) / 3), '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), reinterpret_cast<const unsigned char*>(in.data()),
                          static_cast<int>(in.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

Result<std::string> base64Decode(std::string_view in) {
  std::string s;
  for (char c : in)
    if (c != '\n' && c != '\r' && c != ' ') s.push_back(c);
  if (s.size() % 4 != 0) return Error{400, "base64 length is not a multiple of 4"};
  std::string out(3 * s.size() / 4, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()), reinterpret_cast<const unsigned char*>(s.data()),
                          static_cast<int>(s.size()));
  if (n < 0) return Error{400, "invalid base64"};
  size_t pad = 0;
  if (!s.empty() && s.back() == '=') ++pad;
  if (s.size() > 1 && s[s.size() - 2] == '=') ++pad;
  out.resize(static_cast<size_t>(n) - pad);
  return out;
}

}  // namespace cdnlab::gateway
