// Parses and validates an edge function's result (result.h). The rules follow CloudFront's
// "Restrictions on edge functions": disallowed and read-only headers per trigger, read-only
// request fields (clientIp, method), viewer-response may not change the status, size quotas on
// generated responses. Every error names the field, e.g. response.headers["x-a"][0].value.
#include "lambda/edge/result.h"

#include <openssl/evp.h>
#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <algorithm>
#include <cctype>

#include "common/json_depth.h"
#include "common/parse_integer.h"

namespace cdnlab::lambda::edge {
namespace {

using rapidjson::Value;

Error invalid(const std::string& why) {
  return Error{502, "The Lambda function result failed validation: " + why};
}

bool startsWithIgnoreCase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && http::equalsIgnoreCase(s.substr(0, prefix.size()), prefix);
}

bool validFieldValue(std::string_view v) {
  return std::none_of(v.begin(), v.end(), [](char c) { return c == '\r' || c == '\n' || c == '\0'; });
}

std::string_view view(const Value& v) { return {v.GetString(), v.GetStringLength()}; }

// headers: {"lowercase":[{"key":"Name","value":"v"}]} -> Headers, checked. The field paths of
// error messages are built only on the error path: this runs for every request that meets an
// edge function.
Result<bool> parseHeaders(const Value& obj, std::string_view where, const ResultLimits& limits, http::Headers& out) {
  if (!obj.IsObject()) return invalid(std::string(where) + " must be an object");
  size_t bytes = 0;
  out.reserve(obj.MemberCount());
  for (auto m = obj.MemberBegin(); m != obj.MemberEnd(); ++m) {
    std::string_view name = view(m->name);
    auto at = [&] { return std::string(where) + "[\"" + std::string(name.substr(0, 64)) + "\"]"; };
    if (!http::isToken(name)) {
      return invalid(at() + ": not a valid header name");
    }
    if (std::any_of(name.begin(), name.end(), [](char c) { return c >= 'A' && c <= 'Z'; })) {
      return invalid(at() + ": header map keys must be lowercase");
    }
    if (!m->value.IsArray()) return invalid(at() + " must be an array of {key, value}");
    for (rapidjson::SizeType i = 0; i < m->value.Size(); ++i) {
      const Value& f = m->value[i];
      auto fat = [&] { return at() + "[" + std::to_string(i) + "]"; };
      if (!f.IsObject()) return invalid(fat() + " must be an object {key, value}");
      auto value = f.FindMember("value");
      if (value == f.MemberEnd() || !value->value.IsString()) return invalid(fat() + ".value must be a string");
      std::string_view key = name;  // CloudFront uses the map key when `key` is left out
      auto k = f.FindMember("key");
      if (k != f.MemberEnd()) {
        if (!k->value.IsString()) return invalid(fat() + ".key must be a string");
        key = view(k->value);
        if (!http::equalsIgnoreCase(key, name)) return invalid(fat() + ".key \"" + std::string(key.substr(0, 64)) + "\" does not match the header name");
      }
      if (!validFieldValue(view(value->value))) return invalid(fat() + ".value contains CR, LF or NUL");
      bytes += key.size() + value->value.GetStringLength();
      if (out.size() >= limits.maxHeaderFields) return invalid(std::string(where) + ": more than " + std::to_string(limits.maxHeaderFields) + " header fields");
      if (bytes > limits.maxHeaderBytes) return invalid(std::string(where) + ": headers larger than " + std::to_string(limits.maxHeaderBytes) + " bytes");
      out.add(key, view(value->value));
    }
  }
  return true;
}

// Whether `name` has the same values, in the same order, in both (no copies: per request).
bool sameValues(const http::Headers& a, const http::Headers& b, std::string_view name) {
  auto ia = a.begin(), ib = b.begin();
  for (;;) {
    while (ia != a.end() && !http::equalsIgnoreCase(ia->name, name)) ++ia;
    while (ib != b.end() && !http::equalsIgnoreCase(ib->name, name)) ++ib;
    if (ia == a.end() || ib == b.end()) return ia == a.end() && ib == b.end();
    if (ia->value != ib->value) return false;
    ++ia;
    ++ib;
  }
}

Result<bool> checkHeaderRules(Trigger trigger, const http::Headers& before, const http::Headers& after,
                              std::string_view where) {
  for (const auto& f : after) {
    if (isDisallowedHeader(f.name) && !sameValues(before, after, f.name)) {
      return invalid(std::string(where) + ": the function tried to add, delete, or change a disallowed header: " + f.name);
    }
  }
  auto check = [&](const http::Headers& side) -> Result<bool> {
    for (const auto& f : side) {
      if (isReadOnlyHeader(trigger, f.name) && !sameValues(before, after, f.name)) {
        return invalid(std::string(where) + ": the function tried to add, delete, or change a read-only header: " + f.name);
      }
    }
    return true;
  };
  auto a = check(after);
  if (!a.ok()) return a;
  return check(before);  // a read-only header the function removed
}

bool validUri(std::string_view uri) {
  if (uri.empty() || uri[0] != '/') return false;
  return std::none_of(uri.begin(), uri.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u <= 0x20 || u == 0x7f || c == '?' || c == '#';
  });
}

bool validQuery(std::string_view q) {
  return std::none_of(q.begin(), q.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u <= 0x20 || u == 0x7f || c == '#';
  });
}

Result<bool> decodeBase64(std::string_view in, std::string& out) {
  if (in.size() % 4 != 0) return invalid("response.body is not valid base64 (length)");
  out.resize(in.size() / 4 * 3);
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()), reinterpret_cast<const unsigned char*>(in.data()),
                          static_cast<int>(in.size()));
  if (n < 0) return invalid("response.body is not valid base64");
  size_t pad = 0;
  if (!in.empty() && in.back() == '=') ++pad;
  if (in.size() > 1 && in[in.size() - 2] == '=') ++pad;
  out.resize(static_cast<size_t>(n) - pad);
  return true;
}

Result<bool> parseRequest(Trigger trigger, const Value& obj, const EdgeRequest& in, const ResultLimits& limits,
                          EdgeRequest& out) {
  // Members left out keep their values (headers are copied only when the result has none).
  out.clientIp = in.clientIp;
  out.method = in.method;
  out.uri = in.uri;
  out.querystring = in.querystring;
  out.origin = in.origin;
  if (!obj.HasMember("headers")) out.headers = in.headers;
  if (auto m = obj.FindMember("uri"); m != obj.MemberEnd()) {
    if (!m->value.IsString()) return invalid("request.uri must be a string");
    if (m->value.GetStringLength() > limits.maxUriBytes) return invalid("request.uri is longer than " + std::to_string(limits.maxUriBytes) + " bytes");
    if (!validUri(view(m->value))) return invalid("request.uri must start with '/' and contain no spaces, controls, '?' or '#'");
    out.uri = std::string(view(m->value));
  }
  if (auto m = obj.FindMember("querystring"); m != obj.MemberEnd()) {
    if (!m->value.IsString()) return invalid("request.querystring must be a string");
    if (m->value.GetStringLength() > limits.maxQueryBytes) return invalid("request.querystring is longer than " + std::to_string(limits.maxQueryBytes) + " bytes");
    if (!validQuery(view(m->value))) return invalid("request.querystring contains spaces, controls or '#'");
    out.querystring = std::string(view(m->value));
  }
  if (auto m = obj.FindMember("method"); m != obj.MemberEnd()) {
    if (!m->value.IsString() || view(m->value) != in.method) return invalid("request.method is read-only");
  }
  if (auto m = obj.FindMember("clientIp"); m != obj.MemberEnd()) {
    if (!m->value.IsString() || view(m->value) != in.clientIp) return invalid("request.clientIp is read-only");
  }
  if (auto m = obj.FindMember("origin"); m != obj.MemberEnd() && trigger == Trigger::OriginRequest) {
    // Dynamic origin selection is not modelled: the PoP's upstream is fixed by its config.
    const Value& o = m->value;
    // MemberEnd() of a non-object is a RapidJSON assertion (abort): test the type first.
    if (!o.IsObject()) return invalid("request.origin must be {\"custom\": {...}} (S3 origins are not supported)");
    auto c = o.FindMember("custom");
    if (c == o.MemberEnd() || !c->value.IsObject()) return invalid("request.origin must be {\"custom\": {...}} (S3 origins are not supported)");
    auto dn = c->value.FindMember("domainName");
    if (in.origin && dn != c->value.MemberEnd() && (!dn->value.IsString() || view(dn->value) != in.origin->domainName)) {
      return invalid("request.origin.custom.domainName: changing the origin is not supported by this PoP");
    }
  }
  if (auto m = obj.FindMember("headers"); m != obj.MemberEnd()) {
    http::Headers headers;
    auto r = parseHeaders(m->value, "request.headers", limits, headers);
    if (!r.ok()) return r;
    auto rules = checkHeaderRules(trigger, in.headers, headers, "request.headers");
    if (!rules.ok()) return rules;
    out.headers = std::move(headers);
  }
  return true;
}

Result<bool> parseResponse(Trigger trigger, const Value& obj, const EdgeResponse* in, const ResultLimits& limits,
                           FunctionResult& out) {
  const bool generated = isRequestTrigger(trigger);
  auto st = obj.FindMember("status");
  int status = 0;
  if (st == obj.MemberEnd()) {
    if (in == nullptr) return invalid("response.status is required");
    status = in->status;
  } else if (st->value.IsInt()) {
    status = st->value.GetInt();
  } else if (st->value.IsString()) {
    std::string_view s = view(st->value);
    if (s.empty() || s.size() > 3 || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return invalid("response.status must be a number from 200 to 599");
    }
    status = parseInteger<int>(s).value_or(0);  // three digits, checked above
  } else {
    return invalid("response.status must be a number or a numeric string");
  }
  if (status < 200 || status > 599) return invalid("response.status must be a number from 200 to 599");
  if (trigger == Trigger::ViewerResponse && in != nullptr && status != in->status) {
    return invalid("response.status is read-only at viewer-response");
  }
  out.response.status = status;
  if (auto d = obj.FindMember("statusDescription"); d != obj.MemberEnd()) {
    if (!d->value.IsString() || !validFieldValue(view(d->value))) return invalid("response.statusDescription must be a string without CR/LF");
    out.response.statusDescription = std::string(view(d->value));
  } else if (in != nullptr && status == in->status) {
    out.response.statusDescription = in->statusDescription;
  }
  http::Headers before = in ? in->headers : http::Headers{};
  if (auto h = obj.FindMember("headers"); h != obj.MemberEnd()) {
    auto r = parseHeaders(h->value, "response.headers", limits, out.response.headers);
    if (!r.ok()) return r;
  } else if (in != nullptr) {
    out.response.headers = in->headers;
  }
  if (!generated) {
    auto rules = checkHeaderRules(trigger, before, out.response.headers, "response.headers");
    if (!rules.ok()) return rules;
  } else {
    for (const auto& f : out.response.headers) {
      if (isDisallowedHeader(f.name)) return invalid("response.headers: disallowed header in a generated response: " + f.name);
    }
  }
  if (auto b = obj.FindMember("body"); b != obj.MemberEnd()) {
    if (trigger == Trigger::ViewerResponse) return invalid("response.body cannot be set at viewer-response");
    if (!b->value.IsString()) return invalid("response.body must be a string");
    std::string encoding = "text";
    if (auto e = obj.FindMember("bodyEncoding"); e != obj.MemberEnd()) {
      if (!e->value.IsString() || (view(e->value) != "text" && view(e->value) != "base64")) {
        return invalid("response.bodyEncoding must be \"text\" or \"base64\"");
      }
      encoding = std::string(view(e->value));
    }
    if (encoding == "base64") {
      auto r = decodeBase64(view(b->value), out.body);
      if (!r.ok()) return r;
    } else {
      out.body = std::string(view(b->value));
    }
    out.hasBody = true;
  }
  if (generated || out.hasBody) {
    size_t size = out.body.size();
    for (const auto& f : out.response.headers) size += f.name.size() + f.value.size() + 4;
    size_t limit = trigger == Trigger::ViewerRequest ? limits.viewerGeneratedBytes : limits.originGeneratedBytes;
    if (size > limit) {
      return invalid("the generated response is " + std::to_string(size) + " bytes, over the " + std::to_string(limit) +
                     "-byte limit at " + std::string(triggerName(trigger)));
    }
  }
  return true;
}

}  // namespace

bool validResultUri(std::string_view uri) { return validUri(uri); }
bool validResultQuery(std::string_view query) { return validQuery(query); }
bool validHeaderName(std::string_view name) {
  return http::isToken(name);
}
bool validHeaderValue(std::string_view value) { return validFieldValue(value); }

bool isDisallowedHeader(std::string_view name) {
  static constexpr std::string_view kExact[] = {
      "Connection", "Expect", "Keep-Alive", "Proxy-Authenticate", "Proxy-Authorization", "Proxy-Connection",
      "Trailer", "Upgrade", "X-Cache", "X-Forwarded-Proto", "X-Real-IP", "X-Amzn-Auth", "X-Amzn-Cf-Billing",
      "X-Amzn-Cf-Id", "X-Amzn-Cf-Xff", "X-Amzn-Errortype", "X-Amzn-Fle-Profile", "X-Amzn-Header-Count",
      "X-Amzn-Header-Order", "X-Amzn-Lambda-Integration-Tag", "X-Amzn-RequestId"};
  static constexpr std::string_view kPrefix[] = {"X-Accel-", "X-Amz-Cf-", "X-Edge-"};
  for (auto e : kExact)
    if (http::equalsIgnoreCase(name, e)) return true;
  for (auto p : kPrefix)
    if (startsWithIgnoreCase(name, p)) return true;
  return false;
}

bool isReadOnlyHeader(Trigger trigger, std::string_view name) {
  static constexpr std::string_view kViewerRequest[] = {"Content-Length", "Host", "Transfer-Encoding", "Via"};
  static constexpr std::string_view kOriginRequest[] = {"Accept-Encoding", "Content-Length", "If-Modified-Since",
                                                        "If-None-Match",   "If-Range",       "If-Unmodified-Since",
                                                        "Transfer-Encoding", "Via"};
  static constexpr std::string_view kOriginResponse[] = {"Transfer-Encoding", "Via"};
  static constexpr std::string_view kViewerResponse[] = {"Content-Encoding", "Content-Length", "Transfer-Encoding",
                                                         "Warning", "Via"};
  auto in = [&](auto& list) {
    return std::any_of(std::begin(list), std::end(list), [&](std::string_view h) { return http::equalsIgnoreCase(h, name); });
  };
  switch (trigger) {
    case Trigger::ViewerRequest: return in(kViewerRequest);
    case Trigger::OriginRequest: return in(kOriginRequest);
    case Trigger::OriginResponse: return in(kOriginResponse);
    case Trigger::ViewerResponse: return in(kViewerResponse);
  }
  return false;
}

Result<FunctionResult> parseFunctionResult(Trigger trigger, std::string_view json, const EdgeRequest& in,
                                           const EdgeResponse* inResponse, const ResultLimits& limits) {
  // The DOM lives in a buffer on this stack (a typical result is well under 4 KiB); RapidJSON's
  // default would allocate and free a 64 KiB chunk per result.
  char valueBuffer[8192];
  char stackBuffer[1024];
  rapidjson::MemoryPoolAllocator<> valueAlloc(valueBuffer, sizeof valueBuffer);
  rapidjson::MemoryPoolAllocator<> stackAlloc(stackBuffer, sizeof stackBuffer);
  rapidjson::GenericDocument<rapidjson::UTF8<>, rapidjson::MemoryPoolAllocator<>, rapidjson::MemoryPoolAllocator<>> doc(
      &valueAlloc, sizeof stackBuffer, &stackAlloc);
  // The function's answer is untrusted: the recursive parser below would overflow the stack on a
  // few MB of '['. The check skips any result of at most kMaxRecursiveJsonDepth bytes.
  if (jsonNestsDeeperThan(json, kMaxRecursiveJsonDepth)) {
    return Error{502, "The Lambda function returned JSON nested more than " + std::to_string(kMaxRecursiveJsonDepth) +
                          " levels deep"};
  }
  doc.Parse(json.data(), json.size());
  if (doc.HasParseError()) {
    return Error{502, std::string("The Lambda function returned invalid JSON: ") +
                          rapidjson::GetParseError_En(doc.GetParseError()) + " at offset " +
                          std::to_string(doc.GetErrorOffset())};
  }
  if (!doc.IsObject()) return invalid("the result must be a request or response object, not " +
                                      std::string(doc.IsNull() ? "null" : "a non-object value"));
  FunctionResult out;
  if (isRequestTrigger(trigger) && !doc.HasMember("status")) {
    out.kind = FunctionResult::Kind::Request;
    auto r = parseRequest(trigger, doc, in, limits, out.request);
    if (!r.ok()) return r.error();
    return out;
  }
  out.kind = FunctionResult::Kind::Response;
  auto r = parseResponse(trigger, doc, isRequestTrigger(trigger) ? nullptr : inResponse, limits, out);
  if (!r.ok()) return r.error();
  return out;
}

}  // namespace cdnlab::lambda::edge
