// Lambda URI resolution and endpoint parsing (see lambda_target.h).
#include "gateway/integrations/lambda_target.h"

#include <cctype>
#include <charconv>
#include <vector>

namespace cdnlab::gateway {
namespace {

bool validName(std::string_view n) {
  if (n.empty() || n.size() > 140) return false;
  for (char c : n)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return false;
  return true;
}

}  // namespace

Result<LambdaTarget> resolveLambdaUri(std::string_view uri) {
  static constexpr std::string_view kApigw = ":lambda:path/2015-03-31/functions/";
  if (uri.rfind("arn:aws:apigateway:", 0) == 0) {
    auto p = uri.find(kApigw);
    auto end = uri.rfind("/invocations");
    if (p == std::string_view::npos || end == std::string_view::npos || end < p + kApigw.size())
      return Error{400, "integration URI " + std::string(uri) + " is not a Lambda invocation URI"};
    uri = uri.substr(p + kApigw.size(), end - p - kApigw.size());
  }
  LambdaTarget t;
  if (uri.rfind("arn:", 0) == 0) {
    // arn:aws:lambda:region:account:function:name[:qualifier]
    std::vector<std::string_view> parts;
    size_t i = 0;
    while (true) {
      size_t c = uri.find(':', i);
      parts.push_back(uri.substr(i, c == std::string_view::npos ? std::string_view::npos : c - i));
      if (c == std::string_view::npos) break;
      i = c + 1;
    }
    if (parts.size() < 7 || parts.size() > 8 || parts[2] != "lambda" || parts[5] != "function")
      return Error{400, "integration URI " + std::string(uri) + " is not a Lambda function ARN (arn:aws:lambda:<region>:<account>:function:<name>)"};
    t.function = std::string(parts[6]);
    if (parts.size() == 8) t.qualifier = std::string(parts[7]);
  } else {
    t.function = std::string(uri);
  }
  if (!validName(t.function)) return Error{400, "invalid Lambda function name '" + t.function + "'"};
  if (!t.qualifier.empty() && !validName(t.qualifier) && t.qualifier != "$LATEST")
    return Error{400, "invalid Lambda qualifier '" + t.qualifier + "'"};
  return t;
}

std::string invokePath(const LambdaTarget& t) {
  std::string p = "/2015-03-31/functions/" + t.function + "/invocations";
  if (!t.qualifier.empty()) p += "?Qualifier=" + (t.qualifier == "$LATEST" ? std::string("%24LATEST") : t.qualifier);
  return p;
}

Result<Endpoint> parseHttpEndpoint(std::string_view url) {
  Endpoint e;
  if (url.rfind("http://", 0) != 0) return Error{400, "endpoint " + std::string(url) + " must start with http://"};
  url.remove_prefix(7);
  size_t slash = url.find('/');
  std::string_view hostPort = url.substr(0, slash);
  if (slash != std::string_view::npos) {
    e.basePath = std::string(url.substr(slash));
    while (!e.basePath.empty() && e.basePath.back() == '/') e.basePath.pop_back();
  }
  size_t colon = hostPort.rfind(':');
  if (!hostPort.empty() && hostPort.front() == '[') {
    size_t close = hostPort.find(']');
    if (close == std::string_view::npos) return Error{400, "endpoint: unterminated [ipv6]"};
    e.host = std::string(hostPort.substr(1, close - 1));
    colon = hostPort.size() > close + 1 && hostPort[close + 1] == ':' ? close + 1 : std::string_view::npos;
  } else {
    e.host = std::string(hostPort.substr(0, colon));
  }
  if (colon != std::string_view::npos) {
    std::string_view ps = hostPort.substr(colon + 1);
    int port = 0;
    auto [ptr, ec] = std::from_chars(ps.data(), ps.data() + ps.size(), port);
    if (ec != std::errc() || ptr != ps.data() + ps.size() || port <= 0 || port > 65535)
      return Error{400, "endpoint: bad port '" + std::string(ps) + "'"};
    e.port = port;
  }
  if (e.host.empty()) return Error{400, "endpoint: host is missing"};
  return e;
}

}  // namespace cdnlab::gateway
