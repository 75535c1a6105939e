// JwksFetcher: the key sets of JWT authorizers whose issuer has no --jwks file, fetched over HTTP
// from the issuer as API Gateway does: OpenID discovery ({issuer}/.well-known/openid-configuration,
// its "jwks_uri"), falling back to {issuer}/.well-known/jwks.json. One per worker (loop thread
// only, with the worker's HttpClient): a key set is kept for `ttlSeconds`; a token whose kid is
// not in it asks for a refresh, at most once per `minRefreshSeconds` per issuer (a flood of
// made-up kids cannot turn into a flood of fetches). Concurrent requests share one fetch.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/http/client.h"
#include "common/result.h"
#include "gateway/auth/jwt.h"

namespace cdnlab::gateway {

struct JwksFetchOptions {
  int64_t ttlSeconds = 3600;
  int64_t minRefreshSeconds = 30;
  uint64_t timeoutMs = 5000;
  size_t maxBytes = 1 << 20;  // a key set larger than this is refused
};

// The URL to discover from, or an error for issuers the lab cannot reach (only http://).
Result<std::string> discoveryUrlOf(const std::string& issuer);
std::string wellKnownJwksUrlOf(const std::string& issuer);
// "jwks_uri" of an OpenID configuration document.
Result<std::string> jwksUriOf(std::string_view discoveryJson);

using JwksCallback = std::function<void(Result<std::shared_ptr<const Jwks>>)>;

class JwksFetcher {
 public:
  JwksFetcher(http::HttpClient& client, JwksFetchOptions options) : client_(client), options_(options) {}

  // The issuer's key set: cached when fresh, else fetched. `unknownKid`: the cached set lacked the
  // token's kid, so refresh it unless the issuer was refreshed for that reason too recently (then
  // the cached set comes back). `done` runs on the loop thread (maybe before get returns).
  void get(const std::string& issuer, bool unknownKid, JwksCallback done);
  // Fetches started (tests and /metrics).
  uint64_t fetches() const { return fetches_; }

 private:
  struct Entry {
    std::shared_ptr<const Jwks> keys;
    int64_t fetchedNs = 0;
    int64_t lastKidRefreshNs = 0;
    int64_t failedNs = 0;       // last failed fetch with no key set to fall back on
    std::string failure;
    bool inFlight = false;
    std::vector<JwksCallback> waiters;
  };
  void fetch(const std::string& issuer);
  void fetchUrl(const std::string& url, std::function<void(Result<std::string>)> done);
  void finish(const std::string& issuer, Result<std::shared_ptr<const Jwks>> r);

  http::HttpClient& client_;
  JwksFetchOptions options_;
  std::unordered_map<std::string, Entry> entries_;
  uint64_t fetches_ = 0;
};

}  // namespace cdnlab::gateway
