// Recv-step hardening: one normalised target is keyed and forwarded (no cache poisoning through
// percent-encoding or dot segments), fragments and malformed targets are 400, absolute-form
// targets are keyed by path, TRACE is refused unless allowed.
#include "tests/edge/pop/pop_fixture.h"

namespace cdnlab::edge::pop {
namespace {

// The issue 7 reproduction: an escaped request fills the entry under the decoded key while the
// origin saw the escaped path (a 404), poisoning the real object. Now the origin sees exactly
// the form that is keyed, so the 404 can only be the answer for that same request.
TEST_F(FsmTest, EscapedTargetIsForwardedInTheKeyedForm) {
  auto first = request("GET", "/obj/%36%30%31");
  ASSERT_EQ(io_.pending.size(), 1u);
  EXPECT_EQ(io_.pending.front().request.target, "/obj/601");
  io_.answer(200, {{"Cache-Control", "max-age=60"}}, "object 601");
  ASSERT_TRUE(first->done);
  auto second = request("GET", "/obj/601");
  ASSERT_TRUE(second->done);
  EXPECT_EQ(second->outcome, Outcome::Hit);
  EXPECT_EQ(second->response.body.view(), "object 601");
}

TEST_F(FsmTest, DotSegmentsAndEscapeCaseAreNormalisedUpstream) {
  auto r = request("GET", "/a/b/../%7e/c%2fd?x=%2a");
  ASSERT_EQ(io_.pending.size(), 1u);
  EXPECT_EQ(io_.pending.front().request.target, "/a/~/c%2Fd?x=%2A");
  io_.answer(200, {{"Cache-Control", "max-age=60"}});
  auto same = request("GET", "/a/~/c%2Fd?x=%2A");
  EXPECT_EQ(same->outcome, Outcome::Hit);
  auto different = request("GET", "/a/~/c/d?x=%2A");  // %2F is not '/': another resource
  EXPECT_FALSE(different->done);
  EXPECT_EQ(io_.pending.size(), 1u);
}

TEST_F(FsmTest, FragmentAndMalformedTargetsAre400) {
  for (const char* target : {"/obj/1#x", "/obj/%zz", "/obj/%4", "obj", "http://u@h/x"}) {
    auto r = request("GET", target);
    ASSERT_TRUE(r->done) << target;
    EXPECT_EQ(r->response.status, 400) << target;
    EXPECT_EQ(r->outcome, Outcome::Synth) << target;
  }
  EXPECT_TRUE(io_.pending.empty()) << "nothing malformed may reach upstream";
}

TEST_F(FsmTest, AbsoluteFormIsKeyedAndForwardedByPath) {
  auto r = request("GET", "http://Example.com/obj/%37");
  ASSERT_EQ(io_.pending.size(), 1u);
  EXPECT_EQ(io_.pending.front().request.target, "/obj/7");
  io_.answer(200, {{"Cache-Control", "max-age=60"}});
  ASSERT_TRUE(r->done);
  EXPECT_EQ(request("GET", "/obj/7")->outcome, Outcome::Hit);
}

TEST_F(FsmTest, IgnoredQueryIsNotForwarded) {
  config_.keyIgnoreQuery = true;
  rebuild();
  auto r = request("GET", "/q?user=alice");
  ASSERT_EQ(io_.pending.size(), 1u);
  EXPECT_EQ(io_.pending.front().request.target, "/q") << "a query outside the key must not reach the origin";
  io_.answer(200, {{"Cache-Control", "max-age=60"}});
  EXPECT_EQ(request("GET", "/q?user=bob")->outcome, Outcome::Hit);
}

TEST_F(FsmTest, TraceIsRefusedUnlessAllowed) {
  auto r = request("TRACE", "/x", {{"Cookie", "secret=1"}});
  ASSERT_TRUE(r->done);
  EXPECT_EQ(r->response.status, 405);
  EXPECT_NE(r->header("Allow").find("GET"), std::string::npos);
  EXPECT_TRUE(io_.pending.empty());

  config_.allowTrace = true;
  rebuild();
  auto allowed = request("TRACE", "/x");
  ASSERT_EQ(io_.pending.size(), 1u);
  EXPECT_EQ(io_.pending.front().request.method, "TRACE");
  io_.answer(200, {{"Content-Type", "message/http"}});
  EXPECT_EQ(allowed->outcome, Outcome::Pass);
}

TEST_F(FsmTest, AsteriskFormOptionsIsPassedAsIs) {
  auto r = request("OPTIONS", "*");
  ASSERT_EQ(io_.pending.size(), 1u);
  io_.answer(204, {});
  EXPECT_EQ(r->outcome, Outcome::Pass);
}

}  // namespace
}  // namespace cdnlab::edge::pop
