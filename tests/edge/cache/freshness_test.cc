// RFC 9111 table: storage rules (3), freshness lifetime (4.2.1/4.2.2), Age (4.2.3), serving
// decisions incl. request directives and RFC 5861 windows, config TTL overrides.
#include "edge/cache/freshness.h"

#include <gtest/gtest.h>

#include "tests/edge/cache/test_util.h"

namespace cdnlab::edge::cache {
namespace {

using namespace cdnlab::edge::cache::testing;

TEST(CacheControlParse, DirectivesQuotedValuesUnknownAndCase) {
  CacheControl cc = parseCacheControl(
      "Max-Age=60, s-maxage=\"120\", no-cache=\"Set-Cookie, X\", private, foo=\"a,b\", "
      "must-revalidate, stale-while-revalidate=30, stale-if-error=600, public, immutable");
  EXPECT_EQ(cc.maxAge, 60);
  EXPECT_EQ(cc.sMaxAge, 120);
  EXPECT_TRUE(cc.noCache);  // qualified no-cache read as unqualified (conservative)
  EXPECT_TRUE(cc.isPrivate);
  EXPECT_TRUE(cc.mustRevalidate);
  EXPECT_TRUE(cc.isPublic);
  EXPECT_TRUE(cc.immutable);
  EXPECT_EQ(cc.staleWhileRevalidate, 30);
  EXPECT_EQ(cc.staleIfError, 600);
  EXPECT_FALSE(cc.noStore);  // "foo" with a quoted comma did not leak a directive
}

TEST(CacheControlParse, InvalidAndDuplicateFreshnessMeansStale) {
  EXPECT_EQ(parseCacheControl("max-age=abc").maxAge, 0);
  EXPECT_EQ(parseCacheControl("max-age=-5").maxAge, 0);
  EXPECT_EQ(parseCacheControl("max-age").maxAge, 0);
  EXPECT_EQ(parseCacheControl("max-age=60, max-age=120").maxAge, 0);
  EXPECT_EQ(parseCacheControl("max-age=60, max-age=60").maxAge, 60);
  EXPECT_EQ(parseCacheControl("max-age=99999999999").maxAge, int64_t(1) << 31);  // 1.2.2
  EXPECT_FALSE(parseCacheControl("stale-while-revalidate=x").staleWhileRevalidate.has_value());
  EXPECT_EQ(parseCacheControl("max-stale").maxStale, INT64_MAX);
  EXPECT_EQ(parseCacheControl("max-stale=10, min-fresh=5, only-if-cached").maxStale, 10);
  EXPECT_TRUE(parseCacheControl(",,  , no-store ,").noStore);
  EXPECT_FALSE(parseCacheControl("").noStore);
}

TEST(CacheControlParse, JoinsSeveralFieldLines) {
  Headers h = H({{"Cache-Control", "public"}, {"cache-control", "max-age=5"}});
  CacheControl cc = parseCacheControl(&h);
  EXPECT_TRUE(cc.isPublic);
  EXPECT_EQ(cc.maxAge, 5);
}

struct StoreCase {
  const char* name;
  const char* method;
  Headers request;
  int status;
  Headers response;
  FreshnessConfig config;
  StoreVerdict verdict;
  int64_t lifetime;  // checked when verdict == Store
};
// Test names already say which case ran; print the case by its name, not as raw bytes.
void PrintTo(const StoreCase& c, std::ostream* os) { *os << c.name; }


FreshnessConfig cfg(std::function<void(FreshnessConfig&)> f) {
  FreshnessConfig c;
  f(c);
  return c;
}

class StorageTable : public ::testing::TestWithParam<StoreCase> {};

TEST_P(StorageTable, VerdictAndLifetime) {
  const StoreCase& c = GetParam();
  Headers resp = c.response;
  if (!hasHeader(resp, "date")) resp.fields().push_back(Header{"Date", dateAt(0)});
  RequestView r;
  r.method = c.method;
  r.host = "example.com";
  r.target = "/x";
  r.headers = &c.request;
  ResponseView rv{c.status, &resp};
  EXPECT_EQ(verdictName(isStorable(r, rv, c.config)), verdictName(c.verdict));
  if (c.verdict == StoreVerdict::Store) {
    auto life = freshnessLifetime(rv, c.config, kT0Ms);
    ASSERT_TRUE(life);
    EXPECT_EQ(life->seconds, c.lifetime);
  }
}

const auto kCases = ::testing::Values(
    StoreCase{"max_age", "GET", {}, 200, H({{"Cache-Control", "max-age=60"}}), {}, StoreVerdict::Store, 60},
    StoreCase{"s_maxage_beats_max_age", "GET", {}, 200, H({{"Cache-Control", "max-age=60, s-maxage=300"}}), {}, StoreVerdict::Store, 300},
    StoreCase{"max_age_beats_expires", "GET", {}, 200, H({{"Cache-Control", "max-age=60"}, {"Expires", dateAt(1000)}}), {}, StoreVerdict::Store, 60},
    StoreCase{"expires_minus_date", "GET", {}, 200, H({{"Expires", dateAt(120)}}), {}, StoreVerdict::Store, 120},
    StoreCase{"expires_in_past", "GET", {}, 200, H({{"Expires", dateAt(-10)}}), {}, StoreVerdict::Store, 0},
    StoreCase{"invalid_expires_is_stale", "GET", {}, 200, H({{"Expires", "0"}}), {}, StoreVerdict::Store, 0},
    StoreCase{"expires_uses_date_not_now", "GET", {}, 200, H({{"Date", dateAt(-50)}, {"Expires", dateAt(50)}}), {}, StoreVerdict::Store, 100},
    StoreCase{"no_store_response", "GET", {}, 200, H({{"Cache-Control", "no-store, max-age=60"}}), {}, StoreVerdict::NoStore, 0},
    StoreCase{"no_store_request", "GET", H({{"Cache-Control", "no-store"}}), 200, H({{"Cache-Control", "max-age=60"}}), {}, StoreVerdict::NoStore, 0},
    StoreCase{"must_understand_overrides_no_store", "GET", {}, 200, H({{"Cache-Control", "no-store, must-understand, max-age=60"}}), {}, StoreVerdict::Store, 60},
    StoreCase{"private_not_in_shared_cache", "GET", {}, 200, H({{"Cache-Control", "private, max-age=60"}}), {}, StoreVerdict::Private, 0},
    StoreCase{"post_not_cached", "POST", {}, 200, H({{"Cache-Control", "max-age=60"}}), {}, StoreVerdict::MethodNotCacheable, 0},
    StoreCase{"head_not_stored", "HEAD", {}, 200, H({{"Cache-Control", "max-age=60"}}), {}, StoreVerdict::MethodNotCacheable, 0},
    StoreCase{"partial_content_not_stored", "GET", {}, 206, H({{"Cache-Control", "max-age=60"}}), {}, StoreVerdict::StatusNotUnderstood, 0},
    StoreCase{"explicit_freshness_any_status", "GET", {}, 503, H({{"Cache-Control", "max-age=5"}}), {}, StoreVerdict::Store, 5},
    StoreCase{"authorization_refused", "GET", H({{"Authorization", "Bearer x"}}), 200, H({{"Cache-Control", "max-age=60"}}), {}, StoreVerdict::Authorization, 0},
    StoreCase{"authorization_public", "GET", H({{"Authorization", "Bearer x"}}), 200, H({{"Cache-Control", "public, max-age=60"}}), {}, StoreVerdict::Store, 60},
    StoreCase{"authorization_s_maxage", "GET", H({{"Authorization", "Bearer x"}}), 200, H({{"Cache-Control", "s-maxage=30"}}), {}, StoreVerdict::Store, 30},
    StoreCase{"authorization_must_revalidate", "GET", H({{"Authorization", "Bearer x"}}), 200, H({{"Cache-Control", "must-revalidate, max-age=30"}}), {}, StoreVerdict::Store, 30},
    StoreCase{"authorization_allowed_by_config", "GET", H({{"Authorization", "Bearer x"}}), 200, H({{"Cache-Control", "max-age=60"}}), cfg([](auto& c) { c.allowAuthorization = true; }), StoreVerdict::Store, 60},
    StoreCase{"set_cookie_refused", "GET", {}, 200, H({{"Cache-Control", "max-age=60"}, {"Set-Cookie", "a=b"}}), {}, StoreVerdict::SetCookie, 0},
    StoreCase{"set_cookie_allowed", "GET", {}, 200, H({{"Cache-Control", "max-age=60"}, {"Set-Cookie", "a=b"}}), cfg([](auto& c) { c.allowSetCookie = true; }), StoreVerdict::Store, 60},
    StoreCase{"vary_star", "GET", {}, 200, H({{"Cache-Control", "max-age=60"}, {"Vary", "Accept-Encoding, *"}}), {}, StoreVerdict::VaryStar, 0},
    StoreCase{"no_freshness_no_heuristic", "GET", {}, 200, H({{"Last-Modified", dateAt(-100000)}}), {}, StoreVerdict::NoFreshness, 0},
    StoreCase{"heuristic_10_percent", "GET", {}, 200, H({{"Last-Modified", dateAt(-1000)}}), cfg([](auto& c) { c.heuristic = true; }), StoreVerdict::Store, 100},
    StoreCase{"heuristic_capped", "GET", {}, 200, H({{"Last-Modified", dateAt(-100000000)}}), cfg([](auto& c) { c.heuristic = true; }), StoreVerdict::Store, 86400},
    StoreCase{"heuristic_not_for_302", "GET", {}, 302, H({{"Last-Modified", dateAt(-1000)}}), cfg([](auto& c) { c.heuristic = true; }), StoreVerdict::NoFreshness, 0},
    StoreCase{"heuristic_404_ok", "GET", {}, 404, H({{"Last-Modified", dateAt(-1000)}}), cfg([](auto& c) { c.heuristic = true; }), StoreVerdict::Store, 100},
    StoreCase{"heuristic_public_any_status", "GET", {}, 302, H({{"Cache-Control", "public"}, {"Last-Modified", dateAt(-1000)}}), cfg([](auto& c) { c.heuristic = true; }), StoreVerdict::Store, 100},
    StoreCase{"default_ttl", "GET", {}, 200, {}, cfg([](auto& c) { c.defaultTtlS = 86400; }), StoreVerdict::Store, 86400},
    StoreCase{"default_ttl_not_for_500", "GET", {}, 500, {}, cfg([](auto& c) { c.defaultTtlS = 86400; }), StoreVerdict::NoFreshness, 0},
    StoreCase{"min_ttl_raises", "GET", {}, 200, H({{"Cache-Control", "max-age=5"}}), cfg([](auto& c) { c.minTtlS = 60; }), StoreVerdict::Store, 60},
    StoreCase{"max_ttl_caps", "GET", {}, 200, H({{"Cache-Control", "max-age=5000"}}), cfg([](auto& c) { c.maxTtlS = 600; }), StoreVerdict::Store, 600},
    StoreCase{"default_then_clamped", "GET", {}, 200, {}, cfg([](auto& c) { c.defaultTtlS = 5; c.minTtlS = 10; }), StoreVerdict::Store, 10},
    StoreCase{"no_cache_with_validator_stored_stale", "GET", {}, 200, H({{"Cache-Control", "no-cache"}, {"ETag", "\"v1\""}}), {}, StoreVerdict::Store, 0},
    StoreCase{"no_cache_without_validator", "GET", {}, 200, H({{"Cache-Control", "no-cache"}}), {}, StoreVerdict::NoFreshness, 0});

INSTANTIATE_TEST_SUITE_P(Rfc9111, StorageTable, kCases,
                         [](const auto& info) { return std::string(info.param.name); });

TEST(AgeArithmetic, ResidentTimeOnly) {
  auto e = entryFor("/a", H({{"Cache-Control", "max-age=100"}}));
  ASSERT_TRUE(e);
  EXPECT_EQ(currentAgeS(*e, kT0Ms), 0);
  EXPECT_EQ(currentAgeS(*e, kT0Ms + 42'500), 42);
}

TEST(AgeArithmetic, ReceivedAgeAndResponseDelay) {
  // Request sent at T0, response received 2 s later with Age: 30 and a Date of T0+2.
  Headers h = H({{"Cache-Control", "max-age=100"}, {"Age", "30"}, {"Date", dateAt(2)}});
  RequestView r;
  r.host = "example.com";
  r.target = "/a";
  auto e = makeEntry(makeCacheKey(r, {}), r, 200, h, Buffer(std::string("x")), kT0Ms, kT0Ms + 2000, {});
  ASSERT_TRUE(e.ok());
  // corrected_age_value = 30 + 2 (response delay); resident 10 s.
  EXPECT_EQ(currentAgeS(*e.value(), kT0Ms + 12'000), 42);
}

TEST(AgeArithmetic, ClockSkewOriginBehind) {
  // The origin's Date is 50 s behind the receipt time: apparent_age = 50 dominates.
  Headers h = H({{"Cache-Control", "max-age=100"}, {"Date", dateAt(-50)}, {"Age", "3"}});
  auto e = entryFor("/a", h);
  ASSERT_TRUE(e);
  EXPECT_EQ(currentAgeS(*e, kT0Ms), 50);
  EXPECT_EQ(decide(*e, {}, kT0Ms + 49'000).freshness, Freshness::Fresh);
  EXPECT_EQ(decide(*e, {}, kT0Ms + 51'000).freshness, Freshness::MustRevalidate);
}

TEST(AgeArithmetic, ClockSkewOriginAheadIsClampedToZero) {
  auto e = entryFor("/a", H({{"Cache-Control", "max-age=100"}, {"Date", dateAt(3600)}}));
  ASSERT_TRUE(e);
  EXPECT_EQ(currentAgeS(*e, kT0Ms), 0);  // apparent_age = max(0, negative)
}

TEST(AgeArithmetic, InvalidAgeIgnored) {
  auto e = entryFor("/a", H({{"Cache-Control", "max-age=100"}, {"Age", "abc"}}));
  ASSERT_TRUE(e);
  EXPECT_EQ(e->ageValueS, 0);
}

TEST(Decide, FreshUntilLifetimeThenMustRevalidate) {
  auto e = entryFor("/a", H({{"Cache-Control", "max-age=60"}}));
  EXPECT_EQ(decide(*e, {}, kT0Ms + 59'999).freshness, Freshness::Fresh);
  EXPECT_EQ(decide(*e, {}, kT0Ms + 60'000).freshness, Freshness::MustRevalidate);
  EXPECT_EQ(decide(*e, {}, kT0Ms + 60'000).ageS, 60);
}

TEST(Decide, NoCacheAlwaysRevalidates) {
  auto e = entryFor("/a", H({{"Cache-Control", "no-cache, max-age=600"}}));
  EXPECT_EQ(decide(*e, {}, kT0Ms).freshness, Freshness::MustRevalidate);
  EXPECT_FALSE(decide(*e, {}, kT0Ms).usableOnError);
}

TEST(Decide, RequestNoCacheRevalidates) {
  auto e = entryFor("/a", H({{"Cache-Control", "max-age=600"}}));
  EXPECT_EQ(decide(*e, parseCacheControl("no-cache"), kT0Ms).freshness, Freshness::MustRevalidate);
}

TEST(Decide, RequestMaxAgeAndMinFresh) {
  auto e = entryFor("/a", H({{"Cache-Control", "max-age=600"}}));
  EXPECT_EQ(decide(*e, parseCacheControl("max-age=10"), kT0Ms + 5'000).freshness, Freshness::Fresh);
  EXPECT_EQ(decide(*e, parseCacheControl("max-age=10"), kT0Ms + 11'000).freshness, Freshness::MustRevalidate);
  EXPECT_EQ(decide(*e, parseCacheControl("min-fresh=100"), kT0Ms + 499'000).freshness, Freshness::Fresh);
  EXPECT_EQ(decide(*e, parseCacheControl("min-fresh=100"), kT0Ms + 501'000).freshness, Freshness::MustRevalidate);
}

TEST(Decide, RequestMaxStale) {
  auto e = entryFor("/a", H({{"Cache-Control", "max-age=60"}}));
  EXPECT_EQ(decide(*e, parseCacheControl("max-stale=30"), kT0Ms + 80'000).freshness, Freshness::Fresh);
  EXPECT_EQ(decide(*e, parseCacheControl("max-stale=30"), kT0Ms + 91'000).freshness, Freshness::MustRevalidate);
  EXPECT_EQ(decide(*e, parseCacheControl("max-stale"), kT0Ms + 9'000'000).freshness, Freshness::Fresh);
}

TEST(Decide, MustRevalidateAndSMaxAgeRefuseMaxStale) {
  auto mr = entryFor("/a", H({{"Cache-Control", "max-age=60, must-revalidate"}}));
  EXPECT_EQ(decide(*mr, parseCacheControl("max-stale"), kT0Ms + 61'000).freshness, Freshness::MustRevalidate);
  auto pr = entryFor("/a", H({{"Cache-Control", "max-age=60, proxy-revalidate"}}));
  EXPECT_EQ(decide(*pr, parseCacheControl("max-stale"), kT0Ms + 61'000).freshness, Freshness::MustRevalidate);
  auto sm = entryFor("/a", H({{"Cache-Control", "s-maxage=60"}}));
  EXPECT_EQ(decide(*sm, parseCacheControl("max-stale"), kT0Ms + 61'000).freshness, Freshness::MustRevalidate);
}

TEST(Decide, StaleWhileRevalidateWindow) {
  auto e = entryFor("/a", H({{"Cache-Control", "max-age=60, stale-while-revalidate=30"}}));
  EXPECT_EQ(decide(*e, {}, kT0Ms + 30'000).freshness, Freshness::Fresh);
  EXPECT_EQ(decide(*e, {}, kT0Ms + 60'000).freshness, Freshness::StaleWhileRevalidate);
  EXPECT_EQ(decide(*e, {}, kT0Ms + 89'000).freshness, Freshness::StaleWhileRevalidate);
  EXPECT_EQ(decide(*e, {}, kT0Ms + 90'000).freshness, Freshness::MustRevalidate);
  EXPECT_TRUE(decide(*e, {}, kT0Ms + 90'000).expired);
  // s-maxage keeps the origin's explicit SWR permission (see Entry::maxStaleForbidden).
  auto s = entryFor("/a", H({{"Cache-Control", "s-maxage=60, stale-while-revalidate=30"}}));
  EXPECT_EQ(decide(*s, {}, kT0Ms + 70'000).freshness, Freshness::StaleWhileRevalidate);
  // must-revalidate forbids every stale use (RFC 9111 4.2.4).
  auto m = entryFor("/a", H({{"Cache-Control", "max-age=60, stale-while-revalidate=30, must-revalidate"}}));
  EXPECT_EQ(decide(*m, {}, kT0Ms + 70'000).freshness, Freshness::MustRevalidate);
}

TEST(Decide, StaleIfErrorWindow) {
  auto e = entryFor("/a", H({{"Cache-Control", "max-age=60, stale-if-error=100"}}));
  EXPECT_TRUE(decide(*e, {}, kT0Ms + 10'000).usableOnError);
  auto d = decide(*e, {}, kT0Ms + 150'000);
  EXPECT_EQ(d.freshness, Freshness::MustRevalidate);
  EXPECT_TRUE(d.usableOnError);
  EXPECT_FALSE(d.expired);
  EXPECT_FALSE(decide(*e, {}, kT0Ms + 161'000).usableOnError);
  EXPECT_TRUE(decide(*e, {}, kT0Ms + 161'000).expired);
  // A request's stale-if-error widens the window (RFC 5861 4).
  EXPECT_TRUE(decide(*e, parseCacheControl("stale-if-error=1000"), kT0Ms + 500'000).usableOnError);
  auto m = entryFor("/a", H({{"Cache-Control", "max-age=60, stale-if-error=100, must-revalidate"}}));
  EXPECT_FALSE(decide(*m, {}, kT0Ms + 70'000).usableOnError);
}

TEST(MakeEntry, FieldsFromHeaders) {
  Headers req = H({{"Accept-Encoding", "gzip,  br"}});
  auto e = entryFor("/a",
                    H({{"Cache-Control", "max-age=60, stale-if-error=9"}, {"ETag", "\"v1\""},
                       {"Last-Modified", dateAt(-10)}, {"Vary", "accept-encoding, Accept-Language"},
                       {"Surrogate-Key", "product-1  all"}}),
                    0, "body", &req);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->etag, "\"v1\"");
  EXPECT_EQ(e->lastModified, dateAt(-10));
  EXPECT_EQ(e->varyNames, (std::vector<std::string>{"accept-encoding", "accept-language"}));
  ASSERT_EQ(e->varyValues.size(), 2u);
  EXPECT_EQ(e->varyValues[0], "gzip,br");
  EXPECT_FALSE(e->varyValues[1].has_value());
  EXPECT_EQ(e->surrogateKeys, (std::vector<std::string>{"product-1", "all"}));
  EXPECT_EQ(e->staleIfErrorS, 9);
  EXPECT_EQ(e->body.view(), "body");
  Headers same = H({{"accept-encoding", "gzip, br"}});
  Headers other = H({{"Accept-Encoding", "br"}});
  EXPECT_TRUE(variantMatches(*e, &same));
  EXPECT_FALSE(variantMatches(*e, &other));
  EXPECT_FALSE(variantMatches(*e, nullptr));
}

TEST(MakeEntry, RefusesNotStorable) {
  RequestView r;
  r.host = "example.com";
  r.target = "/a";
  Headers h = H({{"Cache-Control", "private"}});
  auto e = makeEntry(makeCacheKey(r, {}), r, 200, h, Buffer(), kT0Ms, kT0Ms, {});
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().message, "private");
}

TEST(HttpDate, ThreeFormsAndInvalid) {
  EXPECT_EQ(parseHttpDate("Sun, 06 Nov 1994 08:49:37 GMT"), 784111777);
  EXPECT_EQ(parseHttpDate("Sunday, 06-Nov-94 08:49:37 GMT"), 784111777);
  EXPECT_EQ(parseHttpDate("Sun Nov  6 08:49:37 1994"), 784111777);
  EXPECT_FALSE(parseHttpDate("0"));
  EXPECT_FALSE(parseHttpDate("Sun, 06 Foo 1994 08:49:37 GMT"));
  EXPECT_FALSE(parseHttpDate("Sun, 06 Nov 1994 28:49:37 GMT"));
  EXPECT_EQ(formatHttpDate(784111777), "Sun, 06 Nov 1994 08:49:37 GMT");
}

}  // namespace
}  // namespace cdnlab::edge::cache
