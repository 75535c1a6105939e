// Recv and Hash, the first steps of the edge request path: classify the client's request
// (cacheable, pass, or refused) and compute its cache key.
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
}  // namespace

// Recv (viewer-request): only GET and HEAD use the cache; anything else is passed through.
Next stepRecv(PopCore& core, Transaction& tx) {
  if (loopsThroughUs(core, tx.request)) {
    tx.synth = {508, "request loop: this PoP (" + core.config().id + ") is already in CDN-Loop"};
    tx.outcome = Outcome::Synth;
    return goTo(Step::Synth);
  }
  tx.requestCc = cache::parseCacheControl(&tx.request.headers);
  if (tx.request.method != "GET" && tx.request.method != "HEAD") return goTo(Step::Pass);
  return goTo(Step::Hash);
}

// Hash: the key is XXH3 over the normalised URL, the method class and configured headers.
Next stepHash(PopCore& core, Transaction& tx) {
  tx.key = cache::makeCacheKey(requestView(core, tx), core.keyConfig());
  return goTo(Step::Lookup);
}

}  // namespace cdnlab::edge::pop
