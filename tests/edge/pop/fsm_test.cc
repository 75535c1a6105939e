// The edge request path without sockets: a fake clock, a fake upstream that the test answers by
// hand, the real cache store and collapser. Each test walks one decision of the state machine.
#include "tests/edge/pop/pop_fixture.h"

#include <gtest/gtest.h>

namespace cdnlab::edge::pop {
namespace {

TEST_F(FsmTest, MissThenHitSharesTheBodyAndAgeGrows) {
  auto miss = fill("/obj/1", {{"Cache-Control", "max-age=60"}, {"Content-Type", "text/plain"}});
  EXPECT_EQ(miss->header("X-Cache"), "Miss");
  EXPECT_EQ(miss->header("X-Served-By"), "test1");
  EXPECT_EQ(miss->response.body.view(), "hello");

  clock_.advanceSeconds(5);
  auto hit = request("GET", "/obj/1");
  ASSERT_TRUE(hit->done);
  EXPECT_TRUE(io_.pending.empty());
  EXPECT_EQ(hit->outcome, Outcome::Hit);
  EXPECT_EQ(hit->header("X-Cache"), "Hit");
  EXPECT_EQ(hit->header("Age"), "5");
  EXPECT_EQ(hit->header("Content-Type"), "text/plain");
  EXPECT_EQ(hit->header("X-Cache-Hits"), "1");
  EXPECT_TRUE(hit->response.body.sharesWith(miss->response.body)) << "a hit must not copy the body";
  auto again = request("GET", "/obj/1");
  EXPECT_TRUE(again->response.headerBlock.sharesWith(hit->response.headerBlock))
      << "the stored header block is serialized once, not per hit";
  EXPECT_EQ(metrics_.outcomeCount(Outcome::Hit), 2u);
  EXPECT_EQ(metrics_.outcomeCount(Outcome::Miss), 1u);
  EXPECT_EQ(metrics_.upstreamRequests.load(), 1u);
}

TEST_F(FsmTest, UpstreamRequestCarriesCdnLoopAndNoClientHost) {
  auto r = request("GET", "/obj/2", {{"If-None-Match", "\"x\""}});
  ASSERT_EQ(io_.pending.size(), 1u);
  const UpstreamRequest& up = io_.pending.front().request;
  EXPECT_EQ(up.method, "GET");
  EXPECT_EQ(up.target, "/obj/2");
  EXPECT_FALSE(up.headers.has("Host"));
  EXPECT_FALSE(up.headers.has("If-None-Match")) << "a fill asks for the full representation";
  EXPECT_EQ(up.headers.get("CDN-Loop").value_or(""), "test1");
  io_.answer(200, {{"Cache-Control", "max-age=60"}});
}

TEST_F(FsmTest, RequestThatLoopsBackIsRefused) {
  auto r = request("GET", "/obj/1", {{"CDN-Loop", "edge1, test1"}});
  ASSERT_TRUE(r->done);
  EXPECT_EQ(r->response.status, 508);
  EXPECT_EQ(r->outcome, Outcome::Synth);
  EXPECT_TRUE(io_.pending.empty());
}

TEST_F(FsmTest, StaleEntryWithValidatorIsRevalidated) {
  fill("/obj/1", {{"Cache-Control", "max-age=1"}, {"ETag", "\"v1\""}}, "body-v1");
  clock_.advanceSeconds(3);
  auto r = request("GET", "/obj/1");
  ASSERT_EQ(io_.pending.size(), 1u);
  EXPECT_EQ(io_.pending.front().request.headers.get("If-None-Match").value_or(""), "\"v1\"");
  io_.answer(304, {{"Cache-Control", "max-age=60"}, {"ETag", "\"v1\""}});
  ASSERT_TRUE(r->done);
  EXPECT_EQ(r->outcome, Outcome::Revalidated);
  EXPECT_EQ(r->response.status, 200);
  EXPECT_EQ(r->response.body.view(), "body-v1");
  EXPECT_EQ(r->header("X-Cache"), "Revalidated");
  EXPECT_EQ(metrics_.revalidated304.load(), 1u);

  auto hit = request("GET", "/obj/1");
  ASSERT_TRUE(hit->done);
  EXPECT_EQ(hit->outcome, Outcome::Hit) << "the 304 refreshed the entry's freshness";
}

TEST_F(FsmTest, RevalidationAnsweredWithNewBodyReplacesTheEntry) {
  fill("/obj/1", {{"Cache-Control", "max-age=1"}, {"ETag", "\"v1\""}}, "old");
  clock_.advanceSeconds(3);
  auto r = request("GET", "/obj/1");
  io_.answer(200, {{"Cache-Control", "max-age=60"}, {"ETag", "\"v2\""}}, "new");
  ASSERT_TRUE(r->done);
  EXPECT_EQ(r->outcome, Outcome::Miss);
  EXPECT_EQ(r->response.body.view(), "new");
  auto hit = request("GET", "/obj/1");
  EXPECT_EQ(hit->response.body.view(), "new");
}

TEST_F(FsmTest, StaleWhileRevalidateServesStaleAndRefreshesOnce) {
  fill("/obj/1", {{"Cache-Control", "max-age=1, stale-while-revalidate=30"}, {"ETag", "\"v1\""}}, "v1");
  clock_.advanceSeconds(3);
  std::vector<ReplyPtr> replies;
  for (int i = 0; i < 5; ++i) replies.push_back(request("GET", "/obj/1"));
  for (auto& r : replies) {
    ASSERT_TRUE(r->done) << "served without waiting for upstream";
    EXPECT_EQ(r->outcome, Outcome::Stale);
    EXPECT_EQ(r->response.body.view(), "v1");
  }
  ASSERT_EQ(io_.pending.size(), 1u) << "one background refresh, not one per request";
  EXPECT_EQ(metrics_.backgroundRefreshes.load(), 1u);
  io_.answer(304, {{"Cache-Control", "max-age=60, stale-while-revalidate=30"}, {"ETag", "\"v1\""}});
  auto hit = request("GET", "/obj/1");
  ASSERT_TRUE(hit->done);
  EXPECT_EQ(hit->outcome, Outcome::Hit);
  EXPECT_EQ(metrics_.outcomeCount(Outcome::Stale), 5u) << "the background refresh is not a client request";
}

TEST_F(FsmTest, StaleIfErrorServesStaleWhenUpstreamFails) {
  fill("/obj/1", {{"Cache-Control", "max-age=1, stale-if-error=60"}}, "v1");
  clock_.advanceSeconds(3);
  auto r = request("GET", "/obj/1");
  ASSERT_EQ(io_.pending.size(), 1u);
  io_.fail(502, "connection refused");
  ASSERT_TRUE(r->done);
  EXPECT_EQ(r->outcome, Outcome::Stale);
  EXPECT_EQ(r->response.status, 200);
  EXPECT_EQ(r->response.body.view(), "v1");
  EXPECT_EQ(metrics_.upstreamErrors.load(), 1u);

  auto r5 = request("GET", "/obj/1");
  io_.answer(503, {}, "down");
  EXPECT_EQ(r5->outcome, Outcome::Stale) << "a 503 is an error for stale-if-error (RFC 5861 4)";
}

TEST_F(FsmTest, UpstreamFailureWithoutStaleIsAGatewayError) {
  auto refused = request("GET", "/obj/1");
  io_.fail(502, "upstream refused the connection");
  ASSERT_TRUE(refused->done);
  EXPECT_EQ(refused->response.status, 502);
  EXPECT_EQ(refused->outcome, Outcome::Error);
  EXPECT_NE(std::string(refused->response.body.view()).find("refused"), std::string::npos);

  auto timedOut = request("GET", "/obj/2");
  io_.fail(504, "upstream timed out after 10000 ms");
  EXPECT_EQ(timedOut->response.status, 504);
  EXPECT_EQ(timedOut->header("X-Cache"), "Error");
}

TEST_F(FsmTest, MustRevalidateIsNeverServedStaleOnError) {
  fill("/obj/1", {{"Cache-Control", "max-age=1, must-revalidate, stale-if-error=60"}});
  clock_.advanceSeconds(3);
  auto r = request("GET", "/obj/1");
  io_.fail(502, "refused");
  EXPECT_EQ(r->response.status, 502);
}

TEST_F(FsmTest, PostIsPassedThroughAndNotStored) {
  auto post = request("POST", "/obj/1", {{"Content-Type", "text/plain"}}, "payload");
  ASSERT_EQ(io_.pending.size(), 1u);
  EXPECT_EQ(io_.pending.front().request.method, "POST");
  EXPECT_EQ(io_.pending.front().request.body.view(), "payload");
  io_.answer(200, {{"Cache-Control", "max-age=60"}}, "created");
  ASSERT_TRUE(post->done);
  EXPECT_EQ(post->outcome, Outcome::Pass);
  EXPECT_EQ(post->header("X-Cache"), "Pass");
  EXPECT_EQ(post->response.body.view(), "created");

  auto get = request("GET", "/obj/1");
  EXPECT_EQ(io_.pending.size(), 1u) << "the POST's answer was not stored";
  io_.answer(200, {{"Cache-Control", "max-age=60"}});
}

TEST_F(FsmTest, ClientConditionalIsAnswered304FromTheEntry) {
  fill("/obj/1", {{"Cache-Control", "max-age=60"}, {"ETag", "\"v1\""}, {"Last-Modified", "Mon, 01 Jan 2024 00:00:00 GMT"}});
  auto r = request("GET", "/obj/1", {{"If-None-Match", "\"v1\""}});
  ASSERT_TRUE(r->done);
  EXPECT_TRUE(io_.pending.empty());
  EXPECT_EQ(r->response.status, 304);
  EXPECT_TRUE(r->response.body.empty());
  EXPECT_EQ(r->header("ETag"), "\"v1\"");
  EXPECT_EQ(r->outcome, Outcome::Hit);

  auto ims = request("GET", "/obj/1", {{"If-Modified-Since", "Tue, 02 Jan 2024 00:00:00 GMT"}});
  EXPECT_EQ(ims->response.status, 304);
  auto changed = request("GET", "/obj/1", {{"If-None-Match", "\"v0\""}});
  EXPECT_EQ(changed->response.status, 200);
}

TEST_F(FsmTest, HeadMissIsFetchedAsGetAndServesLaterGets) {
  auto head = request("HEAD", "/obj/1");
  ASSERT_EQ(io_.pending.size(), 1u);
  EXPECT_EQ(io_.pending.front().request.method, "GET");
  io_.answer(200, {{"Cache-Control", "max-age=60"}}, "body");
  ASSERT_TRUE(head->done);
  auto get = request("GET", "/obj/1");
  ASSERT_TRUE(get->done);
  EXPECT_EQ(get->outcome, Outcome::Hit);
  EXPECT_EQ(get->response.body.view(), "body");
}

TEST_F(FsmTest, ClientNoStoreIsNotStoredAndNoCacheRevalidates) {
  auto r = request("GET", "/obj/1", {{"Cache-Control", "no-store"}});
  io_.answer(200, {{"Cache-Control", "max-age=60"}, {"ETag", "\"v1\""}});
  ASSERT_TRUE(r->done);
  auto again = request("GET", "/obj/1");
  ASSERT_EQ(io_.pending.size(), 1u) << "request no-store: the response was not stored (RFC 9111 5.2.1.5)";
  io_.answer(200, {{"Cache-Control", "max-age=60"}, {"ETag", "\"v1\""}});

  auto noCache = request("GET", "/obj/1", {{"Cache-Control", "no-cache"}});
  ASSERT_EQ(io_.pending.size(), 1u) << "request no-cache: validate before using the entry (5.2.1.4)";
  EXPECT_EQ(io_.pending.front().request.headers.get("If-None-Match").value_or(""), "\"v1\"");
  io_.answer(304, {{"ETag", "\"v1\""}});
  EXPECT_EQ(noCache->outcome, Outcome::Revalidated);
}

TEST_F(FsmTest, ConcurrentMissesCollapseIntoOneFetch) {
  auto leader = request("GET", "/obj/1");
  auto f1 = request("GET", "/obj/1");
  auto f2 = request("GET", "/obj/1");
  EXPECT_EQ(io_.pending.size(), 1u);
  EXPECT_FALSE(f1->done);
  io_.answer(200, {{"Cache-Control", "max-age=60"}}, "shared");
  ASSERT_TRUE(leader->done);
  EXPECT_FALSE(f1->done) << "followers resume on their own loop";
  EXPECT_EQ(io_.runPosted(), 2u);
  ASSERT_TRUE(f1->done && f2->done);
  EXPECT_EQ(f1->outcome, Outcome::Collapsed);
  EXPECT_EQ(f2->header("X-Cache"), "Collapsed");
  EXPECT_TRUE(f1->response.body.sharesWith(leader->response.body));
  EXPECT_EQ(metrics_.upstreamRequests.load(), 1u);
}

TEST_F(FsmTest, FollowersOfAnUncacheableFillFetchThemselves) {
  auto leader = request("GET", "/obj/1");
  auto f1 = request("GET", "/obj/1");
  io_.answer(200, {{"Cache-Control", "no-store"}}, "private");
  io_.runPosted();
  ASSERT_EQ(io_.pending.size(), 1u);
  io_.answer(200, {{"Cache-Control", "no-store"}}, "private");
  ASSERT_TRUE(f1->done);
  EXPECT_EQ(f1->outcome, Outcome::Miss);
}

TEST_F(FsmTest, FollowerGivesUpAfterTheCollapseWait) {
  auto leader = request("GET", "/obj/1");
  auto f1 = request("GET", "/obj/1");
  clock_.advanceMs(std::chrono::duration_cast<std::chrono::milliseconds>(config_.collapseWait).count() + 1);
  EXPECT_EQ(collapser_->expire(core_->nowMs()), 1u);
  io_.runPosted();
  EXPECT_EQ(io_.pending.size(), 2u) << "the follower fetches on its own";
  EXPECT_EQ(metrics_.collapseTimeouts.load(), 1u);
  io_.answer(200, {{"Cache-Control", "max-age=60"}});
  io_.answer(200, {{"Cache-Control", "max-age=60"}});
  EXPECT_TRUE(leader->done && f1->done);
}

TEST_F(FsmTest, UpstreamAgeIsPropagated) {
  // A shield that held the object 100 s answers with Age: 100; our Age continues from there.
  fill("/obj/1", {{"Cache-Control", "max-age=300"}, {"Age", "100"}});
  clock_.advanceSeconds(7);
  auto hit = request("GET", "/obj/1");
  EXPECT_EQ(hit->header("Age"), "107");
  clock_.advanceSeconds(200);
  auto stale = request("GET", "/obj/1");
  EXPECT_NE(stale->outcome, Outcome::Hit) << "freshness is measured from the shield's Age";
  if (!io_.pending.empty()) io_.answer(200, {{"Cache-Control", "max-age=300"}});
}

TEST_F(FsmTest, TieredTeachingHeadersChain) {
  auto r = fill("/obj/1", {{"Cache-Control", "max-age=60"}, {"X-Cache", "Hit"}, {"X-Served-By", "shield1"}});
  EXPECT_EQ(r->header("X-Cache"), "Hit, Miss");
  EXPECT_EQ(r->header("X-Served-By"), "shield1, test1");
}

TEST_F(FsmTest, OnlyIfCachedWithoutEntryIs504) {
  auto r = request("GET", "/obj/9", {{"Cache-Control", "only-if-cached"}});
  ASSERT_TRUE(r->done);
  EXPECT_EQ(r->response.status, 504);
  EXPECT_TRUE(io_.pending.empty());
}

}  // namespace
}  // namespace cdnlab::edge::pop
