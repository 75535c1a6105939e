// JWKS discovery and caching per worker (see jwks_fetcher.h).
#include "gateway/server/jwks_fetcher.h"

#include <rapidjson/document.h>

#include "common/clock.h"
#include "gateway/integrations/lambda_target.h"
#include "gateway/json.h"

namespace cdnlab::gateway {
namespace {

std::string trimSlash(std::string s) {
  while (!s.empty() && s.back() == '/') s.pop_back();
  return s;
}

int64_t nowNs() { return SystemClock::instance().nowNs(); }

// How long an issuer whose key set could not be fetched answers with that failure.
constexpr int64_t kFailureBackoffNs = 2'000'000'000;

}  // namespace

Result<std::string> discoveryUrlOf(const std::string& issuer) {
  if (issuer.rfind("http://", 0) != 0)
    return Error{401, "no JWKS for issuer " + issuer + " (--jwks ISSUER=FILE; only http:// issuers are discovered)"};
  return trimSlash(issuer) + "/.well-known/openid-configuration";
}

std::string wellKnownJwksUrlOf(const std::string& issuer) { return trimSlash(issuer) + "/.well-known/jwks.json"; }

Result<std::string> jwksUriOf(std::string_view discoveryJson) {
  rapidjson::Document d;
  if (auto r = parseJson(discoveryJson, d); !r) return Error{401, "OpenID configuration: " + r.error().message};
  if (!d.IsObject() || !d.HasMember("jwks_uri") || !d["jwks_uri"].IsString())
    return Error{401, "OpenID configuration has no jwks_uri"};
  return std::string(d["jwks_uri"].GetString(), d["jwks_uri"].GetStringLength());
}

void JwksFetcher::get(const std::string& issuer, bool unknownKid, JwksCallback done) {
  Entry& e = entries_[issuer];
  int64_t now = nowNs();
  bool fresh = e.keys && now - e.fetchedNs < options_.ttlSeconds * 1000000000LL;
  if (fresh && unknownKid) {
    if (now - e.lastKidRefreshNs < options_.minRefreshSeconds * 1000000000LL) return done(e.keys);
    e.lastKidRefreshNs = now;
    fresh = false;
  }
  if (fresh) return done(e.keys);
  // An issuer that just failed is not asked again for every request.
  if (!e.keys && e.failedNs && now - e.failedNs < kFailureBackoffNs)
    return done(Error{401, e.failure});
  e.waiters.push_back(std::move(done));
  if (!e.inFlight) fetch(issuer);
}

void JwksFetcher::fetch(const std::string& issuer) {
  entries_[issuer].inFlight = true;
  ++fetches_;
  auto discovery = discoveryUrlOf(issuer);
  if (!discovery) return finish(issuer, discovery.error());
  fetchUrl(*discovery, [this, issuer](Result<std::string> doc) {
    std::string url = wellKnownJwksUrlOf(issuer);
    if (doc) {
      auto uri = jwksUriOf(*doc);
      if (!uri) return finish(issuer, uri.error());
      url = *uri;
    }
    fetchUrl(url, [this, issuer, url](Result<std::string> body) {
      if (!body) return finish(issuer, Error{401, "JWKS " + url + ": " + body.error().message});
      auto set = Jwks::parse(*body);
      if (!set) return finish(issuer, Error{401, "JWKS " + url + ": " + set.error().message});
      finish(issuer, *set);
    });
  });
}

void JwksFetcher::fetchUrl(const std::string& url, std::function<void(Result<std::string>)> done) {
  auto ep = parseHttpEndpoint(url);
  if (!ep) return done(Error{401, url + ": " + ep.error().message});
  size_t hostEnd = url.find('/', url.find("://") + 3);
  http::ClientRequest cr;
  cr.host = ep->host;
  cr.port = ep->port;
  cr.method = "GET";
  cr.target = hostEnd == std::string::npos ? "/" : url.substr(hostEnd);
  cr.headers.add("Accept", "application/json");
  cr.responseTimeoutMs = options_.timeoutMs;
  size_t maxBytes = options_.maxBytes;
  client_.request(std::move(cr), [done = std::move(done), maxBytes](Result<http::ClientResponse> r) {
    if (!r) return done(Error{401, r.error().message});
    if (r->status != 200) return done(Error{401, "answered " + std::to_string(r->status)});
    if (r->body.size() > maxBytes) return done(Error{401, "larger than " + std::to_string(maxBytes) + " bytes"});
    done(std::string(r->body.data(), r->body.size()));
  });
}

void JwksFetcher::finish(const std::string& issuer, Result<std::shared_ptr<const Jwks>> r) {
  Entry& e = entries_[issuer];
  e.inFlight = false;
  if (r) {
    e.keys = *r;
    e.fetchedNs = nowNs();
    e.failedNs = 0;
  } else if (!e.keys) {
    e.failedNs = nowNs();
    e.failure = r.error().message;
  }
  std::vector<JwksCallback> waiters;
  waiters.swap(e.waiters);
  // A failed refresh still serves the key set we had (the issuer may be down for a moment).
  for (auto& w : waiters) {
    if (r) w(*r);
    else if (e.keys) w(e.keys);
    else w(r.error());
  }
}

}  // namespace cdnlab::gateway
