// The PoP's RFC 9111 behaviour end to end through the request path (fake upstream): the origin's
// Date is kept, heuristic freshness works, unsafe methods invalidate (4.4), targeted cache
// control (RFC 9213), byte ranges from stored responses (RFC 9110 14), removal counters.
#include "edge/pop/admin.h"
#include "tests/edge/pop/pop_fixture.h"

namespace cdnlab::edge::pop {
namespace {

std::string dateAt(const FakeClock& clock, int64_t offsetS) { return http::httpDate(clock.wallSeconds() + offsetS); }

TEST_F(FsmTest, OriginDateIsKeptAndAgeComesFromIt) {
  std::string originDate = dateAt(clock_, -20);  // generated 20 s ago (e.g. at a shield)
  auto miss = fill("/d", {{"Cache-Control", "max-age=60"}, {"Date", originDate}});
  EXPECT_EQ(miss->header("Date"), originDate);
  clock_.advanceSeconds(5);
  auto hit = request("GET", "/d");
  EXPECT_EQ(hit->outcome, Outcome::Hit);
  EXPECT_EQ(hit->header("Date"), originDate) << "Date must not change on every hit";
  EXPECT_EQ(hit->header("Age"), "25");
  clock_.advanceSeconds(36);  // age 61 > 60: stale although only 41 s in this PoP
  auto stale = request("GET", "/d");
  EXPECT_FALSE(stale->done);
  EXPECT_EQ(io_.pending.size(), 1u);
}

TEST_F(FsmTest, ExpiresIsMeasuredAgainstTheOriginDate) {
  // Date and Expires 100 s apart, both in the past by our clock: lifetime 100, apparent age 50.
  fill("/e", {{"Date", dateAt(clock_, -50)}, {"Expires", dateAt(clock_, 50)}});
  clock_.advanceSeconds(40);
  EXPECT_EQ(request("GET", "/e")->outcome, Outcome::Hit);
  clock_.advanceSeconds(20);
  EXPECT_FALSE(request("GET", "/e")->done);
}

TEST_F(FsmTest, HeuristicFreshnessWorksInThePop) {
  config_.heuristic = true;
  rebuild();
  fill("/h", {{"Date", dateAt(clock_, 0)}, {"Last-Modified", dateAt(clock_, -10000)}});
  clock_.advanceSeconds(500);  // heuristic lifetime: 10 % of 10000 s
  auto hit = request("GET", "/h");
  ASSERT_TRUE(hit->done);
  EXPECT_EQ(hit->outcome, Outcome::Hit);
}

TEST_F(FsmTest, UnsafeMethodInvalidatesTargetAndSameOriginLocations) {
  for (auto path : {"/a", "/b", "/c", "/d"}) fill(path, {{"Cache-Control", "max-age=60"}});
  auto post = request("POST", "/a", {}, "x");
  io_.answer(201, {{"Location", "/b"}, {"Content-Location", "http://127.0.0.1:8080/c"}});
  ASSERT_TRUE(post->done);
  request("PUT", "/elsewhere");
  io_.answer(200, {{"Location", "http://other.example/d"}});
  EXPECT_EQ(metrics_.invalidated.load(), 3u);
  for (auto path : {"/a", "/b", "/c"}) {
    auto r = request("GET", path);
    EXPECT_FALSE(r->done) << path << " must have been invalidated";
    io_.answer(200, {{"Cache-Control", "max-age=60"}});
  }
  EXPECT_EQ(request("GET", "/d")->outcome, Outcome::Hit) << "another origin's Location is not ours";
  // An error answer invalidates nothing; a safe method neither.
  request("DELETE", "/d");
  io_.answer(500, {});
  request("OPTIONS", "/d");
  io_.answer(200, {});
  EXPECT_EQ(request("GET", "/d")->outcome, Outcome::Hit);
}

// RFC 9111 4.4: every method not known to be safe invalidates, not just POST/PUT/DELETE: a PATCH
// or a WebDAV method the PoP has no special case for does too; a redirect (3xx) is a non-error.
TEST_F(FsmTest, MethodsNotKnownSafeInvalidateToo) {
  for (auto path : {"/p", "/q", "/r"}) fill(path, {{"Cache-Control", "max-age=60"}});
  request("PATCH", "/p", {}, "x");
  io_.answer(204, {});
  request("MKCOL", "/q");
  io_.answer(301, {{"Location", "/r"}});
  EXPECT_EQ(metrics_.invalidated.load(), 3u);
  for (auto path : {"/p", "/q", "/r"}) {
    auto r = request("GET", path);
    EXPECT_FALSE(r->done) << path << " must have been invalidated";
    io_.answer(200, {{"Cache-Control", "max-age=60"}});
  }
}

TEST_F(FsmTest, CdnCacheControlTakesPrecedenceAndCanBeStripped) {
  config_.stripTargetedCacheControl = true;
  rebuild();
  auto miss = fill("/t", {{"Cache-Control", "no-store"}, {"CDN-Cache-Control", "max-age=60"}});
  EXPECT_EQ(miss->header("CDN-Cache-Control"), "");
  EXPECT_EQ(miss->header("Cache-Control"), "no-store") << "browsers still get the origin's Cache-Control";
  auto hit = request("GET", "/t");
  EXPECT_EQ(hit->outcome, Outcome::Hit);
  EXPECT_EQ(hit->header("CDN-Cache-Control"), "");
  // The PoP's own field beats CDN-Cache-Control.
  fill("/p", {{"CDN-Cache-Control", "max-age=60"}, {"Cdnlab-Cache-Control", "no-store"}});
  EXPECT_FALSE(request("GET", "/p")->done);
}

TEST_F(FsmTest, RangesAreServedFromTheStoredResponse) {
  fill("/r", {{"Cache-Control", "max-age=60"}, {"Content-Type", "text/plain"}, {"ETag", "\"v1\""}}, "0123456789");
  auto one = request("GET", "/r", {{"Range", "bytes=2-4"}});
  ASSERT_TRUE(one->done);
  EXPECT_EQ(one->response.status, 206);
  EXPECT_EQ(one->response.body.view(), "234");
  EXPECT_EQ(one->header("Content-Range"), "bytes 2-4/10");
  EXPECT_EQ(one->header("Content-Type"), "text/plain");
  auto suffix = request("GET", "/r", {{"Range", "bytes=-3"}});
  EXPECT_EQ(suffix->response.body.view(), "789");
  auto multi = request("GET", "/r", {{"Range", "bytes=0-0,8-"}});
  EXPECT_EQ(multi->response.status, 206);
  std::string type = multi->header("Content-Type");
  EXPECT_EQ(type.rfind("multipart/byteranges; boundary=", 0), 0u) << type;
  std::string body(multi->response.body.view());
  EXPECT_NE(body.find("Content-Range: bytes 0-0/10\r\n\r\n0"), std::string::npos) << body;
  EXPECT_NE(body.find("Content-Range: bytes 8-9/10\r\n\r\n89"), std::string::npos) << body;
  EXPECT_NE(body.find("Content-Type: text/plain"), std::string::npos);
  auto none = request("GET", "/r", {{"Range", "bytes=10-"}});
  EXPECT_EQ(none->response.status, 416);
  EXPECT_EQ(none->header("Content-Range"), "bytes */10");
  auto ifRangeOld = request("GET", "/r", {{"Range", "bytes=0-1"}, {"If-Range", "\"v0\""}});
  EXPECT_EQ(ifRangeOld->response.status, 200);
  EXPECT_EQ(ifRangeOld->response.body.view(), "0123456789");
  auto ifRangeSame = request("GET", "/r", {{"Range", "bytes=0-1"}, {"If-Range", "\"v1\""}});
  EXPECT_EQ(ifRangeSame->response.status, 206);
  auto head = request("HEAD", "/r", {{"Range", "bytes=0-1"}});
  EXPECT_EQ(head->response.status, 200);
  EXPECT_TRUE(io_.pending.empty()) << "every range came from the stored object";
}

TEST_F(FsmTest, RangeMissFetchesTheWholeObjectAndStoresIt) {
  auto r = request("GET", "/big", {{"Range", "bytes=5-"}});
  ASSERT_EQ(io_.pending.size(), 1u);
  // The fill asks for the first range-fill-cap bytes: the whole object when it fits.
  EXPECT_EQ(io_.pending.front().request.headers.get("Range").value_or(""),
            "bytes=0-" + std::to_string(config_.maxObjectBytes() - 1));
  io_.answer(200, {{"Cache-Control", "max-age=60"}}, "0123456789");
  ASSERT_TRUE(r->done);
  EXPECT_EQ(r->response.status, 206);
  EXPECT_EQ(r->response.body.view(), "56789");
  auto full = request("GET", "/big");
  EXPECT_EQ(full->outcome, Outcome::Hit);
  EXPECT_EQ(full->response.status, 200);
  EXPECT_EQ(full->response.body.view(), "0123456789") << "the 206 was not stored as the object";
  // Not stored (no-store): the range is still cut from the full upstream response.
  auto pass = request("GET", "/nostore", {{"Range", "bytes=0-2"}});
  io_.answer(200, {{"Cache-Control", "no-store"}}, "abcdef");
  EXPECT_EQ(pass->response.status, 206);
  EXPECT_EQ(pass->response.body.view(), "abc");
}

TEST_F(FsmTest, RangeMissWithinTheCapStoresACompleteRangeAsTheObject) {
  config_.rangeFillMaxBytes = 16;
  rebuild();
  auto r = request("GET", "/small", {{"Range", "bytes=2-4"}});
  ASSERT_EQ(io_.pending.size(), 1u);
  EXPECT_EQ(io_.pending.front().request.headers.get("Range").value_or(""), "bytes=0-15");
  // An origin that serves ranges answers the probe with every byte of a 10-byte object.
  io_.answer(206, {{"Cache-Control", "max-age=60"}, {"Content-Range", "bytes 0-9/10"}}, "0123456789");
  ASSERT_TRUE(r->done);
  EXPECT_EQ(r->response.status, 206);
  EXPECT_EQ(r->response.body.view(), "234");
  auto full = request("GET", "/small");
  EXPECT_EQ(full->outcome, Outcome::Hit);
  EXPECT_EQ(full->response.status, 200);
  EXPECT_FALSE(full->response.headers.has("Content-Range"));
  EXPECT_EQ(full->response.body.view(), "0123456789");
}

TEST_F(FsmTest, RangeMissAboveTheCapForwardsTheClientsRangeAndStoresNothing) {
  config_.rangeFillMaxBytes = 16;
  rebuild();
  auto r = request("GET", "/large", {{"Range", "bytes=20-24"}});
  io_.answer(206, {{"Cache-Control", "max-age=60"}, {"Content-Range", "bytes 0-15/100"}}, "0123456789abcdef");
  ASSERT_EQ(io_.pending.size(), 1u) << "a second request, with the client's own Range";
  EXPECT_EQ(io_.pending.front().request.headers.get("Range").value_or(""), "bytes=20-24");
  io_.answer(206, {{"Cache-Control", "max-age=60"}, {"Content-Range", "bytes 20-24/100"}}, "KLMNO");
  ASSERT_TRUE(r->done);
  EXPECT_EQ(r->outcome, Outcome::Miss);
  EXPECT_EQ(r->response.status, 206);
  EXPECT_EQ(r->response.headers.get("Content-Range").value_or(""), "bytes 20-24/100");
  EXPECT_EQ(r->response.body.view(), "KLMNO");
  auto again = request("GET", "/large");
  EXPECT_EQ(io_.pending.size(), 1u) << "nothing was stored: a plain GET misses";
  EXPECT_EQ(metrics_.rangePassthroughs.load(), 1u);
}

TEST_F(FsmTest, RemovalsAreCountedByCause) {
  fill("/x", {{"Cache-Control", "max-age=60"}});
  fill("/y", {{"Cache-Control", "max-age=1"}});
  http::Request purge;
  purge.method = "POST";
  purge.path = "/purge";
  purge.query = "url=/x";
  EXPECT_EQ(handleAdmin(*core_, "", purge).status, 200);
  clock_.advanceSeconds(10);
  store_->sweepExpired(core_->nowMs(), 100);
  http::Request scrape;
  scrape.method = "GET";
  scrape.path = "/metrics";
  std::string page(handleAdmin(*core_, "", scrape).body.view());
  EXPECT_NE(page.find("cdnlab_cache_removals_total{cause=\"purge\"} 1\n"), std::string::npos) << page;
  EXPECT_NE(page.find("cdnlab_cache_removals_total{cause=\"expired\"} 1\n"), std::string::npos);
  EXPECT_NE(page.find("cdnlab_cache_removals_total{cause=\"size\"} 0\n"), std::string::npos);
  EXPECT_NE(page.find("cdnlab_cache_removals_total{cause=\"replaced\"} 0\n"), std::string::npos);
}

// The other two causes, counted when they happen: a newer response for the same key replaces
// the stored one ("replaced"), and a full cache makes room ("size").
TEST_F(FsmTest, ReplacementsAndSizeEvictionsAreCounted) {
  config_.capacityBytes = 64 * 1024;  // 16 shards of 4 KiB: two 3 KiB objects never share one
  rebuild();
  fill("/r", {{"Cache-Control", "max-age=1"}, {"ETag", "\"v1\""}});
  clock_.advanceSeconds(10);
  auto refetch = request("GET", "/r");  // stale: revalidated, and the origin has a new version
  io_.answer(200, {{"Cache-Control", "max-age=60"}, {"ETag", "\"v2\""}}, "fresher");
  ASSERT_TRUE(refetch->done);
  for (int i = 0; i < 40; ++i) fill("/big" + std::to_string(i), {{"Cache-Control", "max-age=60"}}, std::string(3000, 'b'));
  http::Request scrape;
  scrape.method = "GET";
  scrape.path = "/metrics";
  std::string page(handleAdmin(*core_, "", scrape).body.view());
  auto count = [&](const std::string& cause) {
    std::string field = "cdnlab_cache_removals_total{cause=\"" + cause + "\"} ";
    auto at = page.find(field);
    return at == std::string::npos ? -1 : std::stol(page.substr(at + field.size()));
  };
  EXPECT_EQ(count("replaced"), 1) << page;
  EXPECT_GE(count("size"), 40 - 16) << "at most one 3 KiB object per 4 KiB shard";
  EXPECT_EQ(count("purge"), 0);
  EXPECT_EQ(count("expired"), 0);
}

TEST_F(FsmTest, PurgeByTagUsesTheConfiguredField) {
  config_.surrogateKeyField = "Cache-Tag";
  rebuild();
  fill("/p1", {{"Cache-Control", "max-age=60"}, {"Cache-Tag", "product-1, all"}});
  fill("/p2", {{"Cache-Control", "max-age=60"}, {"Cache-Tag", "product-2,all"}});
  http::Request purge;
  purge.method = "POST";
  purge.path = "/purge";
  purge.query = "tag=product-1";
  std::string body(handleAdmin(*core_, "", purge).body.view());
  EXPECT_NE(body.find("\"objects\":1"), std::string::npos) << body;
  EXPECT_EQ(request("GET", "/p2")->outcome, Outcome::Hit);
  purge.query = "tag=all";
  body = std::string(handleAdmin(*core_, "", purge).body.view());
  EXPECT_NE(body.find("\"objects\":1"), std::string::npos) << body;
}

}  // namespace
}  // namespace cdnlab::edge::pop
