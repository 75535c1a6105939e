// HTTP proxy request building and parameter mapping (see http_proxy_mapping.h).
#include "gateway/integrations/http_proxy_mapping.h"

#include <algorithm>
#include <cctype>

#include "common/percent_encode.h"
#include "gateway/routing/query_string.h"
#include "gateway/routing/route_table.h"

namespace cdnlab::gateway {
namespace {

bool isHopByHop(std::string_view n) {
  for (const char* h : {"connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade",
                        "host", "content-length", "expect"})
    if (http::equalsIgnoreCase(n, h)) return true;
  return false;
}

std::string queryValue(std::string_view query, std::string_view name) {
  const QueryParameters params = parseQueryParameters(query, PlusSign::kLiteral);
  const std::vector<std::string>* values = queryValues(params, name);
  return values ? values->front() : "";
}

// One reference without the leading '$' ("request.header.x"): its value.
std::string resolveRef(std::string_view ref, const ProxyInputs& in) {
  auto starts = [&](std::string_view p) { return ref.rfind(p, 0) == 0; };
  if (starts("request.header.")) {
    auto v = in.request->headers.getAll(ref.substr(15));
    return v;
  }
  if (starts("request.querystring.")) return queryValue(in.request->query, ref.substr(20));
  if (ref == "request.path") return in.stagePath;
  if (starts("request.path.")) {
    for (const auto& [n, v] : in.pathParameters)
      if (n == ref.substr(13)) return v;
    return "";
  }
  if (starts("stageVariables.")) {
    if (!in.stageVariables) return "";
    auto it = in.stageVariables->find(std::string(ref.substr(15)));
    return it == in.stageVariables->end() ? "" : it->second;
  }
  if (starts("context.") && in.context) return in.context(ref.substr(8));
  return "";
}

// Substitutes "${ref}" and "$ref" (ref: letters, digits, '.', '_', '-') in a mapping value.
std::string evaluate(std::string_view v, const ProxyInputs& in) {
  std::string out;
  size_t i = 0;
  while (i < v.size()) {
    if (v[i] != '$') {
      out.push_back(v[i++]);
      continue;
    }
    if (i + 1 < v.size() && v[i + 1] == '{') {
      size_t close = v.find('}', i);
      if (close == std::string_view::npos) {
        out += v.substr(i);
        break;
      }
      out += resolveRef(v.substr(i + 2, close - i - 2), in);
      i = close + 1;
      continue;
    }
    size_t j = i + 1;
    while (j < v.size() && (std::isalnum(static_cast<unsigned char>(v[j])) || v[j] == '.' || v[j] == '_' || v[j] == '-')) ++j;
    if (j == i + 1) {
      out.push_back('$');
      ++i;
      continue;
    }
    out += resolveRef(v.substr(i + 1, j - i - 1), in);
    i = j;
  }
  return out;
}

}  // namespace

std::string substituteStageVariables(std::string_view text, const StringMap* vars) {
  static constexpr std::string_view kOpen = "${stageVariables.";
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    size_t p = text.find(kOpen, i);
    if (p == std::string_view::npos) {
      out += text.substr(i);
      break;
    }
    size_t close = text.find('}', p);
    if (close == std::string_view::npos) {
      out += text.substr(i);
      break;
    }
    out += text.substr(i, p - i);
    std::string name(text.substr(p + kOpen.size(), close - p - kOpen.size()));
    if (vars)
      if (auto it = vars->find(name); it != vars->end()) out += it->second;
    i = close + 1;
  }
  return out;
}

Result<UpstreamRequest> buildUpstreamRequest(const Integration& integ, const ProxyInputs& in) {
  UpstreamRequest up;
  std::string uri = substituteStageVariables(integ.uri, in.stageVariables);
  // {name} / {name+} placeholders take path parameters (greedy values keep their slashes).
  std::string url;
  for (size_t i = 0; i < uri.size();) {
    if (uri[i] == '{') {
      size_t close = uri.find('}', i);
      if (close == std::string::npos) return Error{500, "integration URI has an unterminated {"};
      std::string name = uri.substr(i + 1, close - i - 1);
      bool greedy = !name.empty() && name.back() == '+';
      if (greedy) name.pop_back();
      for (const auto& [n, v] : in.pathParameters)
        if (n == name) {
          if (greedy || v.find('/') != std::string::npos) {
            size_t s = 0;
            while (s <= v.size()) {
              size_t slash = v.find('/', s);
              url += percentEncode(std::string_view(v).substr(s, slash == std::string::npos ? std::string::npos : slash - s));
              if (slash == std::string::npos) break;
              url.push_back('/');
              s = slash + 1;
            }
          } else {
            url += percentEncode(v);
          }
        }
      i = close + 1;
    } else {
      url.push_back(uri[i++]);
    }
  }
  // Split the URL so the path and the query can be mapped.
  size_t schemeEnd = url.find("://");
  size_t pathStart = schemeEnd == std::string::npos ? std::string::npos : url.find('/', schemeEnd + 3);
  std::string origin = pathStart == std::string::npos ? url : url.substr(0, pathStart);
  std::string rest = pathStart == std::string::npos ? "/" : url.substr(pathStart);
  std::string path = rest.substr(0, rest.find('?'));
  std::string query = rest.find('?') == std::string::npos ? "" : rest.substr(rest.find('?') + 1);
  // Forward the client's query string.
  if (!in.request->query.empty()) query += (query.empty() ? "" : "&") + in.request->query;
  up.method = integ.method.empty() || integ.method == "ANY" ? in.request->method : integ.method;
  for (const auto& f : in.request->headers)
    if (!isHopByHop(f.name)) up.headers.add(f.name, f.value);
  // Parameter mapping.
  QueryParameters q;  // rebuilt query for querystring mappings
  bool queryMapped = false;
  for (const auto& [key, value] : integ.requestParameters) {
    size_t colon = key.find(':');
    std::string action = key.substr(0, colon), target = key.substr(colon + 1);
    std::string v = evaluate(value, in);
    if (target == "path") {
      if (action != "overwrite") return Error{500, "parameter mapping " + key + ": the path can only be overwritten"};
      path = v.empty() || v[0] != '/' ? "/" + v : v;
    } else if (target.rfind("header.", 0) == 0) {
      std::string name = target.substr(7);
      if (action == "remove") up.headers.remove(name);
      else if (action == "overwrite") up.headers.set(name, v);
      else up.headers.add(name, v);
    } else if (target.rfind("querystring.", 0) == 0) {
      std::string name = target.substr(12);
      if (!queryMapped) {
        queryMapped = true;
        q = parseQueryParameters(query, PlusSign::kLiteral);
      }
      auto it = std::find_if(q.begin(), q.end(), [&](const auto& p) { return p.first == name; });
      if (action == "remove") {
        if (it != q.end()) q.erase(it);
      } else if (action == "overwrite" || it == q.end()) {
        if (it == q.end()) q.push_back({name, {v}});
        else it->second = {v};
      } else {
        it->second.push_back(v);
      }
    } else {
      return Error{500, "parameter mapping " + key + ": unknown target (path, header.<name>, querystring.<name>)"};
    }
  }
  if (queryMapped) {
    query.clear();
    for (const auto& [n, vals] : q)
      for (const auto& v : vals) query += (query.empty() ? "" : "&") + percentEncode(n) + "=" + percentEncode(v);
  }
  up.url = origin + path + (query.empty() ? "" : "?" + query);
  return up;
}

http::Response passThroughResponse(http::ClientResponse&& upstream) {
  http::Response resp;
  resp.status = upstream.status;
  for (const auto& h : upstream.headers)
    if (!http::equalsIgnoreCase(h.name, "connection") && !http::equalsIgnoreCase(h.name, "keep-alive") &&
        !http::equalsIgnoreCase(h.name, "transfer-encoding") && !http::equalsIgnoreCase(h.name, "content-length"))
      resp.headers.add(h.name, h.value);
  resp.body = std::move(upstream.body);
  return resp;
}

bool isUpstreamTimeout(const Error& clientError) {
  auto code = static_cast<http::ClientError>(clientError.code);
  return code == http::ClientError::ResponseTimeout || code == http::ClientError::ConnectTimeout;
}

}  // namespace cdnlab::gateway
