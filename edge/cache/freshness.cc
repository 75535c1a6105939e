// RFC 9111 storage (3), freshness (4.2) and Age (4.2.3) rules for a shared cache, plus the
// RFC 5861 stale-while-revalidate / stale-if-error windows. See freshness.h.
#include "edge/cache/freshness.h"

#include <algorithm>
#include <climits>

namespace cdnlab::edge::cache {

namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; }
bool isOws(char c) { return c == ' ' || c == '\t'; }

// delta-seconds (RFC 9111 1.2.2): digits only; values past 2^31 are taken as 2^31.
std::optional<int64_t> parseDelta(std::string_view v) {
  if (v.empty()) return std::nullopt;
  int64_t n = 0;
  for (char c : v) {
    if (c < '0' || c > '9') return std::nullopt;
    n = std::min<int64_t>(n * 10 + (c - '0'), int64_t(1) << 31);
  }
  return n;
}

// Sets a delta directive. An invalid value or a conflicting duplicate is read as 0 ("stale")
// for freshness directives (4.2.1: such a response should be considered stale).
void setFreshnessDelta(std::optional<int64_t>& slot, std::optional<int64_t> v) {
  int64_t val = v.value_or(0);
  if (slot && *slot != val) val = 0;
  slot = val;
}

}  // namespace

CacheControl parseCacheControl(std::string_view value) {
  CacheControl cc;
  size_t i = 0;
  while (i < value.size()) {
    while (i < value.size() && (isOws(value[i]) || value[i] == ',')) ++i;
    size_t nameStart = i;
    while (i < value.size() && value[i] != '=' && value[i] != ',' && !isOws(value[i])) ++i;
    std::string name;
    for (size_t k = nameStart; k < i; ++k) name += lower(value[k]);
    while (i < value.size() && isOws(value[i])) ++i;
    std::optional<std::string> arg;
    if (i < value.size() && value[i] == '=') {
      ++i;
      while (i < value.size() && isOws(value[i])) ++i;
      std::string a;
      if (i < value.size() && value[i] == '"') {  // quoted-string with quoted-pairs (RFC 9110 5.6.4)
        ++i;
        while (i < value.size() && value[i] != '"') {
          if (value[i] == '\\' && i + 1 < value.size()) ++i;
          a += value[i++];
        }
        if (i < value.size()) ++i;  // closing quote
      } else {
        while (i < value.size() && value[i] != ',' && !isOws(value[i])) a += value[i++];
      }
      arg = std::move(a);
    }
    // Skip anything up to the next comma (malformed trailing junk belongs to this directive).
    while (i < value.size() && value[i] != ',') ++i;
    if (name.empty()) continue;

    auto delta = arg ? parseDelta(*arg) : std::nullopt;
    if (name == "max-age") setFreshnessDelta(cc.maxAge, delta);
    else if (name == "s-maxage") setFreshnessDelta(cc.sMaxAge, delta);
    else if (name == "no-store") cc.noStore = true;
    else if (name == "no-cache") cc.noCache = true;  // qualified form: treated as unqualified
    else if (name == "private") cc.isPrivate = true;  // qualified form: treated as unqualified
    else if (name == "public") cc.isPublic = true;
    else if (name == "must-revalidate") cc.mustRevalidate = true;
    else if (name == "proxy-revalidate") cc.proxyRevalidate = true;
    else if (name == "must-understand") cc.mustUnderstand = true;
    else if (name == "no-transform") cc.noTransform = true;
    else if (name == "immutable") cc.immutable = true;
    else if (name == "only-if-cached") cc.onlyIfCached = true;
    // Windows that allow stale use: an invalid value grants nothing (the conservative reading).
    else if (name == "stale-while-revalidate") { if (!cc.staleWhileRevalidate && delta) cc.staleWhileRevalidate = delta; }
    else if (name == "stale-if-error") { if (!cc.staleIfError && delta) cc.staleIfError = delta; }
    else if (name == "min-fresh") { if (!cc.minFresh && delta) cc.minFresh = delta; }
    // max-stale without a value accepts any staleness (5.2.1.2); an invalid value likewise.
    else if (name == "max-stale") { if (!cc.maxStale) cc.maxStale = delta.value_or(INT64_MAX); }
    // Unknown directives are ignored (5.2.3).
  }
  return cc;
}

CacheControl parseCacheControl(const Headers* headers) {
  if (!headers) return {};
  return parseCacheControl(joinedHeader(*headers, "cache-control"));
}

namespace {

// RFC 8941 sf-dictionary, checked for shape only (RFC 9213 2.1: a targeted field is a Dictionary;
// one that does not parse is ignored). Keys: lcalpha / "*" then lcalpha / DIGIT / "_-.*"; values:
// an integer, a token or a quoted string; parameters after ';' are allowed.
bool isStructuredDictionary(std::string_view v) {
  auto isKeyStart = [](char c) { return (c >= 'a' && c <= 'z') || c == '*'; };
  auto isKeyChar = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.' || c == '*';
  };
  size_t i = 0;
  auto skipSp = [&] { while (i < v.size() && isOws(v[i])) ++i; };
  skipSp();
  if (i == v.size()) return false;
  while (i < v.size()) {
    if (!isKeyStart(v[i])) return false;
    while (i < v.size() && isKeyChar(v[i])) ++i;
    while (i < v.size() && (v[i] == '=' || v[i] == ';')) {
      ++i;
      if (i < v.size() && v[i] == '"') {
        ++i;
        while (i < v.size() && v[i] != '"') i += (v[i] == '\\') ? 2 : 1;
        if (i >= v.size()) return false;
        ++i;
      } else {
        size_t s = i;
        while (i < v.size() && v[i] != ',' && v[i] != ';' && !isOws(v[i]) && v[i] != '=') {
          if (static_cast<unsigned char>(v[i]) <= 0x20 || v[i] == '"') return false;
          ++i;
        }
        if (i == s) return false;
      }
    }
    skipSp();
    if (i == v.size()) break;
    if (v[i] != ',') return false;
    ++i;
    skipSp();
    if (i == v.size()) return false;  // trailing comma
  }
  return true;
}

}  // namespace

namespace {
// CloudFront's cache policies: with a minimum TTL above 0 the object is cached for at least that
// long even when the origin says no-cache, no-store or private.
CacheControl withMinTtlOverride(CacheControl cc, const FreshnessConfig& config) {
  if (config.minTtlOverridesNoStore && config.minTtlS && *config.minTtlS > 0) {
    cc.noCache = false;
    cc.noStore = false;
    cc.isPrivate = false;
  }
  return cc;
}
}  // namespace

CacheControl responseCacheControl(const Headers& headers, const FreshnessConfig& config, bool* targeted) {
  if (targeted) *targeted = false;
  for (const std::string& name : config.targetedFields) {
    if (!hasHeader(headers, name)) continue;
    std::string value = joinedHeader(headers, name);
    if (!isStructuredDictionary(value)) continue;  // invalid: try the next one, then Cache-Control
    if (targeted) *targeted = true;
    return withMinTtlOverride(parseCacheControl(value), config);
  }
  return withMinTtlOverride(parseCacheControl(&headers), config);
}

std::optional<int64_t> parseAgeField(const Headers& headers) {
  auto first = findHeader(headers, "age");
  if (!first) return std::nullopt;
  std::string_view v = *first;
  v = v.substr(0, v.find(','));
  while (!v.empty() && isOws(v.front())) v.remove_prefix(1);
  while (!v.empty() && isOws(v.back())) v.remove_suffix(1);
  return parseDelta(v);
}

std::string_view verdictName(StoreVerdict v) {
  switch (v) {
    case StoreVerdict::Store: return "store";
    case StoreVerdict::MethodNotCacheable: return "method-not-cacheable";
    case StoreVerdict::StatusNotUnderstood: return "status-not-understood";
    case StoreVerdict::NoStore: return "no-store";
    case StoreVerdict::Private: return "private";
    case StoreVerdict::Authorization: return "authorization";
    case StoreVerdict::SetCookie: return "set-cookie";
    case StoreVerdict::VaryStar: return "vary-star";
    case StoreVerdict::NoFreshness: return "no-freshness";
  }
  return "?";
}

namespace {

// RFC 9110 15.1: status codes that are heuristically cacheable.
bool heuristicallyCacheable(int status) {
  switch (status) {
    case 200: case 203: case 204: case 206: case 300: case 301: case 308:
    case 404: case 405: case 410: case 414: case 501:
      return true;
    default:
      return false;
  }
}

// Final statuses this cache can store: a 206 is never stored as the object (ranges are served
// from full responses) and a 304 only ever refreshes an entry (4.3.4). Others in 200..599 may
// be stored when their freshness is explicit (RFC 9111 3), unless must-understand asks for a
// status this cache knows.
bool storableStatus(int status) { return status >= 200 && status <= 599 && status != 206 && status != 304; }

bool varyStar(const Headers& h) {
  std::string v = joinedHeader(h, "vary");
  size_t i = 0;
  while (i <= v.size()) {
    size_t c = v.find(',', i);
    if (c == std::string::npos) c = v.size();
    std::string_view p(v.data() + i, c - i);
    while (!p.empty() && isOws(p.front())) p.remove_prefix(1);
    while (!p.empty() && isOws(p.back())) p.remove_suffix(1);
    if (p == "*") return true;
    i = c + 1;
  }
  return false;
}

int64_t dateOr(const Headers& h, int64_t fallbackS) {
  auto d = findHeader(h, "date");
  if (!d) return fallbackS;
  auto t = parseHttpDate(*d);
  return t ? *t : fallbackS;
}

int64_t clampTtl(int64_t s, const FreshnessConfig& c) {
  if (c.minTtlS) s = std::max(s, *c.minTtlS);
  if (c.maxTtlS) s = std::min(s, *c.maxTtlS);
  return std::max<int64_t>(s, 0);
}

bool hasValidatorHeader(const Headers& h) { return hasHeader(h, "etag") || hasHeader(h, "last-modified"); }

}  // namespace

bool understoodStatus(int s) {
  if ((s >= 200 && s <= 206) || (s >= 300 && s <= 305) || s == 307 || s == 308) return true;
  if ((s >= 400 && s <= 417) || s == 421 || s == 422 || s == 426 || s == 428 || s == 429 || s == 431 || s == 451)
    return true;
  return (s >= 500 && s <= 505) || s == 511;
}

std::optional<Lifetime> freshnessLifetime(const ResponseView& response,
                                          const FreshnessConfig& config, int64_t responseTimeMs) {
  static const Headers kEmpty;
  const Headers& h = response.headers ? *response.headers : kEmpty;
  bool targeted = false;
  CacheControl cc = responseCacheControl(h, config, &targeted);
  // 4.2.1: the first match in this order.
  if (cc.sMaxAge) return Lifetime{clampTtl(*cc.sMaxAge, config), false};
  if (cc.maxAge) return Lifetime{clampTtl(*cc.maxAge, config), false};
  auto ex = targeted ? std::nullopt : findHeader(h, "expires");  // RFC 9213 2.2 ignores Expires
  if (ex) {
    // 5.3: an invalid Expires (e.g. "0") means "already expired".
    auto t = parseHttpDate(*ex);
    int64_t date = dateOr(h, responseTimeMs / 1000);
    int64_t life = t ? std::max<int64_t>(*t - date, 0) : 0;
    return Lifetime{clampTtl(life, config), false};
  }
  bool mayUseHeuristic = heuristicallyCacheable(response.status) || cc.isPublic;
  if (config.heuristic && mayUseHeuristic) {
    // 4.2.2: a fraction of the time since Last-Modified; never more than the configured cap.
    if (auto lm = findHeader(h, "last-modified")) {
      auto t = parseHttpDate(*lm);
      int64_t date = dateOr(h, responseTimeMs / 1000);
      if (t && *t <= date) {
        auto life = int64_t(double(date - *t) * config.heuristicFraction);
        return Lifetime{clampTtl(std::min(life, config.heuristicMaxS), config), true};
      }
    }
  }
  if (config.defaultTtlS && mayUseHeuristic) return Lifetime{clampTtl(*config.defaultTtlS, config), false};
  // "no-cache" with a validator and a heuristically cacheable status: worth storing with a zero
  // lifetime, every use is a cheap conditional request (3: the status makes it storable).
  if (cc.noCache && heuristicallyCacheable(response.status) && hasValidatorHeader(h))
    return Lifetime{0, false};
  return std::nullopt;
}

StoreVerdict isStorable(const RequestView& request, const ResponseView& response,
                        const FreshnessConfig& config, int64_t responseTimeMs) {
  static const Headers kEmpty;
  const Headers& rh = response.headers ? *response.headers : kEmpty;
  // Only GET: the key maps HEAD to GET, so a HEAD response (no body) must never fill it.
  if (request.method != "GET") return StoreVerdict::MethodNotCacheable;
  if (!storableStatus(response.status)) return StoreVerdict::StatusNotUnderstood;
  CacheControl req = parseCacheControl(request.headers);
  CacheControl res = responseCacheControl(rh, config);
  // 5.2.2.3 / 3: under must-understand only a status this cache understands may be stored, and
  // then no-store is ignored.
  if (res.mustUnderstand && !understoodStatus(response.status)) return StoreVerdict::StatusNotUnderstood;
  if (req.noStore) return StoreVerdict::NoStore;  // 5.2.1.5
  if (res.noStore && !res.mustUnderstand) return StoreVerdict::NoStore;
  if (res.isPrivate) return StoreVerdict::Private;  // 5.2.2.7, shared cache
  // 3.5: a response to an authenticated request only with public, s-maxage or must-revalidate.
  if (request.headers && hasHeader(*request.headers, "authorization") && !config.allowAuthorization &&
      !(res.isPublic || res.sMaxAge || res.mustRevalidate))
    return StoreVerdict::Authorization;
  if (hasHeader(rh, "set-cookie") && !config.allowSetCookie) return StoreVerdict::SetCookie;
  if (varyStar(rh)) return StoreVerdict::VaryStar;  // 4.1: "*" never matches
  if (!freshnessLifetime(response, config, responseTimeMs)) return StoreVerdict::NoFreshness;
  return StoreVerdict::Store;
}

int64_t currentAgeS(const Entry& e, int64_t nowMs) {
  // 4.2.3, in milliseconds then floored to seconds.
  int64_t apparentAge = std::max<int64_t>(0, e.responseTimeMs - e.dateValueS * 1000);
  int64_t responseDelay = std::max<int64_t>(0, e.responseTimeMs - e.requestTimeMs);
  int64_t correctedAgeValue = e.ageValueS * 1000 + responseDelay;
  int64_t correctedInitialAge = std::max(apparentAge, correctedAgeValue);
  int64_t residentTime = std::max<int64_t>(0, nowMs - e.responseTimeMs);
  return (correctedInitialAge + residentTime) / 1000;
}

namespace {

// Splits a list on commas (and on whitespace too when byWhitespace), dropping empty items.
std::vector<std::string> splitList(std::string_view v, bool byWhitespace, bool lowerCase) {
  std::vector<std::string> out;
  std::string cur;
  for (size_t i = 0; i <= v.size(); ++i) {
    bool sep = i == v.size() || v[i] == ',' || (byWhitespace && isOws(v[i]));
    if (!sep) {
      cur += lowerCase ? lower(v[i]) : v[i];
      continue;
    }
    while (!cur.empty() && isOws(cur.back())) cur.pop_back();
    size_t lead = 0;
    while (lead < cur.size() && isOws(cur[lead])) ++lead;
    if (lead < cur.size()) out.push_back(cur.substr(lead));
    cur.clear();
  }
  return out;
}

}  // namespace

Result<std::shared_ptr<Entry>> makeEntry(const CacheKey& key, const RequestView& request, int status,
                                         Headers headers, Body body, int64_t requestTimeMs,
                                         int64_t responseTimeMs, const FreshnessConfig& config) {
  ResponseView rv{status, &headers};
  StoreVerdict v = isStorable(request, rv, config, responseTimeMs);
  if (v != StoreVerdict::Store) return Error{0, std::string(verdictName(v))};
  auto life = freshnessLifetime(rv, config, responseTimeMs);
  if (!life) return Error{0, std::string(verdictName(StoreVerdict::NoFreshness))};

  auto e = Entry::create(key);
  CacheControl cc = responseCacheControl(headers, config);
  e->status = status;
  e->requestTimeMs = requestTimeMs;
  e->responseTimeMs = responseTimeMs;
  // RFC 9110 6.6.1: a recipient with a clock assigns Date when it is missing.
  e->dateValueS = dateOr(headers, responseTimeMs / 1000);
  // The stored Date is what every response from this entry carries; a response without a valid
  // one gets the receipt time (RFC 9110 6.6.1), so hits do not each show a new Date.
  if (!findHeader(headers, "date") || !parseHttpDate(*findHeader(headers, "date")))
    setHeader(headers, "Date", formatHttpDate(e->dateValueS));
  e->ageValueS = parseAgeField(headers).value_or(0);
  e->freshnessLifetimeS = life->seconds;
  e->heuristic = life->heuristic;
  e->noCache = cc.noCache;
  e->mustRevalidate = cc.mustRevalidate || cc.proxyRevalidate;
  e->maxStaleForbidden = e->mustRevalidate || cc.sMaxAge.has_value();
  e->staleWhileRevalidateS = cc.staleWhileRevalidate.value_or(0);
  e->staleIfErrorS = cc.staleIfError.value_or(0);
  if (auto t = findHeader(headers, "etag")) e->etag = std::string(*t);
  if (auto t = findHeader(headers, "last-modified")) e->lastModified = std::string(*t);
  e->varyNames = splitList(joinedHeader(headers, "vary"), false, true);
  std::sort(e->varyNames.begin(), e->varyNames.end());
  e->varyNames.erase(std::unique(e->varyNames.begin(), e->varyNames.end()), e->varyNames.end());
  for (const auto& n : e->varyNames) e->varyValues.push_back(varyRequestValue(request.headers, n));
  e->surrogateKeys = splitList(joinedHeader(headers, config.surrogateKeyField), true, false);
  e->headers = std::move(headers);
  e->body = std::move(body);
  return e;
}

std::string_view freshnessName(Freshness f) {
  switch (f) {
    case Freshness::Fresh: return "fresh";
    case Freshness::StaleWhileRevalidate: return "stale-while-revalidate";
    case Freshness::MustRevalidate: return "must-revalidate";
  }
  return "?";
}

Decision decide(const Entry& e, const CacheControl& req, int64_t nowMs) {
  Decision d;
  d.ageS = currentAgeS(e, nowMs);
  const int64_t life = e.freshnessLifetimeS;
  const bool staleForbidden = e.noCache || e.mustRevalidate;  // 4.2.4
  const int64_t staleness = std::max<int64_t>(0, d.ageS - life);
  const bool fresh = life > d.ageS;  // 4.2: fresh while lifetime > current age

  int64_t sie = staleForbidden ? 0 : std::max(e.staleIfErrorS, req.staleIfError.value_or(0));
  d.usableOnError = !staleForbidden && (fresh || staleness <= sie);
  d.expired = d.ageS >= e.usefulLifetimeS() && !(fresh);

  // no-cache (either side) forces a revalidation, whatever the age (5.2.1.4, 5.2.2.4).
  if (e.noCache || req.noCache) {
    d.freshness = Freshness::MustRevalidate;
    return d;
  }
  // The client's own limits (5.2.1.1 max-age, 5.2.1.3 min-fresh).
  bool clientOk = (!req.maxAge || d.ageS <= *req.maxAge) && (!req.minFresh || life - d.ageS >= *req.minFresh);
  if (fresh) {
    d.freshness = clientOk ? Freshness::Fresh : Freshness::MustRevalidate;
    return d;
  }
  // Stale: a client's max-stale (5.2.1.2) unless the response forbids it.
  if (req.maxStale && !e.maxStaleForbidden && staleness <= *req.maxStale && clientOk) {
    d.freshness = Freshness::Fresh;
    return d;
  }
  if (!staleForbidden && staleness < e.staleWhileRevalidateS && clientOk) {
    d.freshness = Freshness::StaleWhileRevalidate;
    return d;
  }
  d.freshness = Freshness::MustRevalidate;
  return d;
}

}  // namespace cdnlab::edge::cache
