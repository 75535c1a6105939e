// Recv and Hash, the first steps of the edge request path: classify the client's request
// (cacheable, pass, or refused) and compute its cache key.
#include "edge/pop/behavior_request.h"
#include "edge/pop/core.h"

namespace cdnlab::edge::pop {

namespace {
// RFC 8586: every PoP adds its id to CDN-Loop when forwarding; finding our own id means the
// request came back to us (a misconfigured upstream chain) and must not be forwarded again.
bool loopsThroughUs(const PopCore& core, const http::Request& request) {
  std::string seen = request.headers.getAll("CDN-Loop");
  size_t start = 0;
  while (start <= seen.size()) {
    size_t comma = seen.find(',', start);
    std::string_view hop = http::trimOws(std::string_view(seen).substr(start, comma - start));
    hop = hop.substr(0, hop.find(';'));  // drop parameters (cdn-info = pseudonym *( OWS ";" ...))
    if (http::trimOws(hop) == core.config().id) return true;
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return false;
}
Next refuse(Transaction& tx, int status, std::string why) {
  tx.synth = {status, std::move(why)};
  tx.outcome = Outcome::Synth;
  return goTo(Step::Synth);
}

}  // namespace

// Recv (viewer-request): only GET and HEAD use the cache; anything else is passed through.
Next stepRecv(PopCore& core, Transaction& tx) {
  if (loopsThroughUs(core, tx.request))
    return refuse(tx, 508, "request loop: this PoP (" + core.config().id + ") is already in CDN-Loop");
  if (auto why = normalizeRequestTarget(tx)) return refuse(tx, 400, *why);
  // TRACE echoes the request, cookies and credentials included, back through every hop: CDNs
  // refuse it unless told otherwise (RFC 9110 9.3.8 lets any recipient do so).
  if (tx.request.method == "TRACE" && !core.config().allowTrace) {
    refuse(tx, 405, "TRACE is disabled on this PoP (--allow-trace enables it)");
    tx.synthHeaders.add("Allow", "GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE");
    return goTo(Step::Synth);
  }
  tx.requestCc = cache::parseCacheControl(&tx.request.headers);
  if (tx.request.method != "GET" && tx.request.method != "HEAD") return goTo(Step::Pass);
  // CloudFront's CachingDisabled: a behavior whose TTLs are all 0 caches nothing.
  if (tx.behavior && tx.behavior->cachePolicy.cachingDisabled()) return goTo(Step::Pass);
  return goTo(Step::Hash);
}

// Hash: the key is XXH3 over the normalised URL, the method class and configured headers (or
// what the request's cache behavior selects).
Next stepHash(PopCore& core, Transaction& tx) {
  if (tx.behavior) {
    // The behavior's cache policy picks what joins the key; Fetch forwards the same values (and
    // those of the origin request policy), never the ones left out.
    tx.key = behaviorCacheKey(*tx.behavior, core.keyHost(), tx.request.method, tx.request.path, tx.request.query,
                              tx.request.headers);
    return goTo(Step::Lookup);
  }
  tx.key = cache::makeCacheKey(requestView(core, tx), core.keyConfig());
  // A query left out of the key is left out of the upstream request too: every client that
  // shares the entry must be answered as the origin answers the one request it saw.
  if (core.keyConfig().ignoreQuery && !tx.request.query.empty()) {
    tx.request.target = tx.request.path;
    tx.request.query.clear();
  }
  return goTo(Step::Lookup);
}

}  // namespace cdnlab::edge::pop
