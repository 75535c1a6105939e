// Validation of the PoP's settings (see config.h).
#include "edge/pop/config.h"

#include <charconv>

namespace cdnlab::edge::pop {

namespace {
Error invalid(std::string msg) { return Error{2, std::move(msg)}; }
}  // namespace

Result<bool> PopConfig::validate() {
  if (id.empty()) return invalid("id: must not be empty");
  if (capacityBytes == 0) return invalid("capacity: must be > 0");
  if (!(maxObjectFraction > 0.0 && maxObjectFraction <= 1.0))
    return invalid("max-object-fraction: must be in (0, 1]");
  if (workers > 256) return invalid("workers: at most 256");
  if (upstreamRtt.count() < 0 || upstreamRtt > std::chrono::seconds(10))
    return Error{2, "upstream RTT must be between 0 and 10s"};
  if (collapseWait.count() < 0 || upstreamTimeout.count() <= 0 || upstreamConnectTimeout.count() <= 0)
    return invalid("timeouts: must be > 0");
  if (sweepInterval.count() <= 0) return invalid("sweep-interval: must be > 0");
  if (minTtl && maxTtl && *minTtl > *maxTtl) return invalid("min-ttl: must be <= max-ttl");
  if (edgeFunctionThreads == 0 || edgeFunctionThreads > 64) return invalid("edge-function-threads: must be 1..64");
  for (const auto& f : edgeFunctions) {
    if (f.function.kind == EdgeFunctionRef::Kind::Lambda && lambdaEndpoint.empty())
      return invalid("edge-function " + f.function.spec + ": a lambda: function needs --lambda-endpoint");
  }
  for (const auto& b : behaviors)
    for (const auto& f : b.functions)
      if (f.function.kind == EdgeFunctionRef::Kind::Lambda && lambdaEndpoint.empty())
        return invalid("behavior " + b.name + ": edge function " + f.function.spec + ": a lambda: function needs --lambda-endpoint");
  if (!behaviors.empty() && behaviors.back().pathPattern != "*")
    return invalid("behaviors: the last one must be the default (path pattern \"*\")");
  if (!lambdaEndpoint.empty() && lambdaEndpoint.substr(0, 7) != "http://")
    return invalid("lambda-endpoint: must start with http:// (got " + lambdaEndpoint + ")");

  // Only plain http upstreams: the shield and the origin are on loopback in this lab.
  constexpr std::string_view kScheme = "http://";
  std::string_view u = upstream;
  if (u.substr(0, kScheme.size()) != kScheme) return invalid("upstream: must start with http:// (got " + upstream + ")");
  u.remove_prefix(kScheme.size());
  size_t slash = u.find('/');
  std::string_view authority = u.substr(0, slash);
  upstreamBasePath = slash == std::string_view::npos ? "" : std::string(u.substr(slash));
  while (!upstreamBasePath.empty() && upstreamBasePath.back() == '/') upstreamBasePath.pop_back();
  std::string why;
  if (authority.find(':') == std::string_view::npos) {
    upstreamHost = std::string(authority);
    upstreamPort = 80;
  } else {
    auto hp = config::parseHostPort(authority, &why);
    if (!hp) return invalid("upstream: " + why);
    upstreamHost = hp->host;
    upstreamPort = hp->port;
  }
  if (upstreamHost.empty() || upstreamPort == 0) return invalid("upstream: needs a host and a non-zero port");
  return true;
}

}  // namespace cdnlab::edge::pop
