// RFC 9111 field edge cases: Age lists and suffixes (5.1), dates in any letter case (RFC 9110
// 5.6.7), must-understand with unknown status codes (5.2.2.3), targeted cache-control fields
// (RFC 9213), the stored Date, heuristic freshness from the origin's Date, surrogate-key fields.
#include "edge/cache/freshness.h"

#include <gtest/gtest.h>

#include "tests/edge/cache/test_util.h"

namespace cdnlab::edge::cache {
namespace {

using namespace cdnlab::edge::cache::testing;

TEST(AgeField, ListsSuffixesAndJunk) {
  EXPECT_EQ(parseAgeField(H({{"Age", "5, 10"}})), 5);            // first member of a list
  EXPECT_EQ(parseAgeField(H({{"Age", " 7 "}})), 7);
  EXPECT_EQ(parseAgeField(H({{"Age", "8"}, {"Age", "9"}})), 8);  // several lines: the first
  EXPECT_FALSE(parseAgeField(H({{"Age", "5s"}})));                // a suffix makes it invalid
  EXPECT_FALSE(parseAgeField(H({{"Age", "-1"}})));
  EXPECT_FALSE(parseAgeField(H({{"Age", "1.5"}})));
  EXPECT_FALSE(parseAgeField(H({{"Age", ""}})));
  EXPECT_FALSE(parseAgeField(H({{"X", "1"}})));
  EXPECT_EQ(parseAgeField(H({{"Age", "99999999999999999999"}})), int64_t(1) << 31);  // saturates
}

TEST(AgeField, ListAgeCountsInCurrentAge) {
  auto e = entryFor("/a", H({{"Cache-Control", "max-age=100"}, {"Age", "30, 40"}}));
  ASSERT_TRUE(e);
  EXPECT_EQ(e->ageValueS, 30);
  EXPECT_EQ(currentAgeS(*e, kT0Ms), 30);
}

TEST(HttpDateCase, AnyLetterCase) {
  EXPECT_EQ(parseHttpDate("SUN, 06 NOV 1994 08:49:37 GMT"), 784111777);
  EXPECT_EQ(parseHttpDate("sun, 06 nov 1994 08:49:37 gmt"), 784111777);
  EXPECT_EQ(parseHttpDate("SUNDAY, 06-NOV-94 08:49:37 Gmt"), 784111777);
  EXPECT_EQ(parseHttpDate("sun nov  6 08:49:37 1994"), 784111777);
  EXPECT_FALSE(parseHttpDate("Sun, 06 Nov 1994 08:49:37 UTC"));
  auto e = entryFor("/a", H({{"Expires", "MON, 01 JAN 2024 00:01:00 GMT"}}));  // T0 + 60 s
  ASSERT_TRUE(e);
  EXPECT_EQ(e->freshnessLifetimeS, 60);
}

StoreVerdict verdict(int status, Headers resp, const FreshnessConfig& config = {}) {
  if (!hasHeader(resp, "date")) resp.fields().push_back(Header{"Date", dateAt(0)});
  RequestView r;
  r.host = "example.com";
  r.target = "/x";
  return isStorable(r, ResponseView{status, &resp}, config, kT0Ms);
}

TEST(MustUnderstand, UnknownStatusIsNotStored) {
  EXPECT_EQ(verdict(599, H({{"Cache-Control", "must-understand, no-store, max-age=60"}})),
            StoreVerdict::StatusNotUnderstood);
  EXPECT_EQ(verdict(299, H({{"Cache-Control", "must-understand, max-age=60"}})), StoreVerdict::StatusNotUnderstood);
  EXPECT_EQ(verdict(599, H({{"Cache-Control", "no-store, max-age=60"}})), StoreVerdict::NoStore);
  // Without must-understand an unknown status with explicit freshness may be stored (RFC 9111 3).
  EXPECT_EQ(verdict(299, H({{"Cache-Control", "max-age=60"}})), StoreVerdict::Store);
  // A known status under must-understand ignores no-store.
  EXPECT_EQ(verdict(200, H({{"Cache-Control", "must-understand, no-store, max-age=60"}})), StoreVerdict::Store);
  EXPECT_EQ(verdict(404, H({{"Cache-Control", "must-understand, no-store, max-age=60"}})), StoreVerdict::Store);
  EXPECT_TRUE(understoodStatus(308));
  EXPECT_FALSE(understoodStatus(218));
  EXPECT_FALSE(understoodStatus(599));
}

FreshnessConfig targeted() {
  FreshnessConfig c;
  c.targetedFields = {"Cdnlab-Cache-Control", "CDN-Cache-Control"};
  return c;
}

TEST(TargetedCacheControl, TakesPrecedenceInListOrder) {
  auto c = targeted();
  auto life = [&](Headers h) {
    h.fields().push_back(Header{"Date", dateAt(0)});
    auto l = freshnessLifetime(ResponseView{200, &h}, c, kT0Ms);
    return l ? l->seconds : -1;
  };
  EXPECT_EQ(life(H({{"Cache-Control", "max-age=10"}, {"CDN-Cache-Control", "max-age=600"}})), 600);
  EXPECT_EQ(life(H({{"CDN-Cache-Control", "max-age=600"}, {"Cdnlab-Cache-Control", "max-age=60"}})), 60);
  // An invalid targeted value is ignored: the next field, then Cache-Control, apply.
  EXPECT_EQ(life(H({{"Cache-Control", "max-age=10"}, {"CDN-Cache-Control", "max-age=600,"}})), 10);
  EXPECT_EQ(life(H({{"Cache-Control", "max-age=10"}, {"CDN-Cache-Control", "Max-Age=600"}})), 10);
  // Expires is ignored when a targeted field is used (RFC 9213 2.2).
  EXPECT_EQ(life(H({{"Expires", dateAt(300)}, {"CDN-Cache-Control", "public"}})), -1);
  EXPECT_EQ(life(H({{"Expires", dateAt(300)}})), 300);
  // Without the configuration the field means nothing.
  Headers h = H({{"Date", dateAt(0)}, {"Cache-Control", "max-age=10"}, {"CDN-Cache-Control", "max-age=600"}});
  EXPECT_EQ(freshnessLifetime(ResponseView{200, &h}, FreshnessConfig{}, kT0Ms)->seconds, 10);
}

TEST(TargetedCacheControl, StorageDirectivesToo) {
  auto c = targeted();
  EXPECT_EQ(verdict(200, H({{"Cache-Control", "no-store"}, {"CDN-Cache-Control", "max-age=60"}}), c), StoreVerdict::Store);
  EXPECT_EQ(verdict(200, H({{"Cache-Control", "max-age=60"}, {"CDN-Cache-Control", "no-store"}}), c), StoreVerdict::NoStore);
  EXPECT_EQ(verdict(200, H({{"Cache-Control", "max-age=60"}, {"Cdnlab-Cache-Control", "private"}}), c), StoreVerdict::Private);
  Headers h = H({{"Cache-Control", "max-age=60"}, {"CDN-Cache-Control", "max-age=5, stale-while-revalidate=30"},
                 {"Date", dateAt(0)}});
  RequestView r;
  r.host = "example.com";
  r.target = "/x";
  auto e = makeEntry(makeCacheKey(r, {}), r, 200, h, Buffer(), kT0Ms, kT0Ms, c);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e.value()->freshnessLifetimeS, 5);
  EXPECT_EQ(e.value()->staleWhileRevalidateS, 30);
}

TEST(StoredDate, OriginDateIsKeptOrAssigned) {
  auto kept = entryFor("/a", H({{"Cache-Control", "max-age=60"}, {"Date", dateAt(-20)}}));
  ASSERT_TRUE(kept);
  EXPECT_EQ(findHeader(kept->headers, "date"), dateAt(-20));
  EXPECT_EQ(currentAgeS(*kept, kT0Ms), 20);  // apparent age from the origin's Date (4.2.3)
  RequestView r;
  r.host = "example.com";
  r.target = "/b";
  auto made = makeEntry(makeCacheKey(r, {}), r, 200, H({{"Cache-Control", "max-age=60"}, {"Date", "garbage"}}),
                        Buffer(), kT0Ms, kT0Ms + 1000, {});
  ASSERT_TRUE(made.ok());
  EXPECT_EQ(findHeader(made.value()->headers, "date"), dateAt(1));
}

TEST(Heuristic, UsesTheOriginDateEvenWhenOld) {
  FreshnessConfig c;
  c.heuristic = true;
  // Last modified 1000 s before the origin's Date, which is itself 30 s old on receipt:
  // lifetime 10 % of 1000 = 100 s, age 30 s -> fresh for another 70 s.
  auto e = entryFor("/h", H({{"Date", dateAt(-30)}, {"Last-Modified", dateAt(-1030)}}), 0, "x", nullptr, 200, c);
  ASSERT_TRUE(e);
  EXPECT_TRUE(e->heuristic);
  EXPECT_EQ(e->freshnessLifetimeS, 100);
  EXPECT_EQ(decide(*e, {}, kT0Ms + 69'000).freshness, Freshness::Fresh);
  EXPECT_EQ(decide(*e, {}, kT0Ms + 71'000).freshness, Freshness::MustRevalidate);
  // Without a Date the receipt time stands in (not the epoch).
  RequestView r;
  r.host = "example.com";
  r.target = "/h2";
  auto noDate = makeEntry(makeCacheKey(r, {}), r, 200, H({{"Last-Modified", dateAt(-500)}}), Buffer(), kT0Ms, kT0Ms, c);
  ASSERT_TRUE(noDate.ok());
  EXPECT_EQ(noDate.value()->freshnessLifetimeS, 50);
}

TEST(SurrogateKeys, ConfigurableField) {
  FreshnessConfig c;
  c.surrogateKeyField = "Cache-Tag";
  auto e = entryFor("/t", H({{"Cache-Control", "max-age=60"}, {"Cache-Tag", "product-1,all, news"},
                             {"Surrogate-Key", "ignored"}}),
                    0, "x", nullptr, 200, c);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->surrogateKeys, (std::vector<std::string>{"product-1", "all", "news"}));
}

}  // namespace
}  // namespace cdnlab::edge::cache
