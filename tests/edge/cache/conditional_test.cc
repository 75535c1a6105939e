// Revalidation and client conditional requests (RFC 9111 4.3, RFC 9110 13).
#include "edge/cache/conditional.h"

#include <gtest/gtest.h>

#include "tests/edge/cache/test_util.h"

namespace cdnlab::edge::cache {
namespace {

using namespace cdnlab::edge::cache::testing;

TEST(Revalidation, HeadersFromValidators) {
  auto e = entryFor("/a", H({{"Cache-Control", "max-age=1"}, {"ETag", "\"v1\""}, {"Last-Modified", dateAt(-10)}}));
  Headers h = revalidationHeaders(*e);
  EXPECT_EQ(findHeader(h, "if-none-match"), "\"v1\"");
  EXPECT_EQ(findHeader(h, "if-modified-since"), dateAt(-10));
  auto none = entryFor("/a", H({{"Cache-Control", "max-age=1"}}));
  EXPECT_TRUE(revalidationHeaders(*none).empty());
  EXPECT_FALSE(hasValidator(*none));
}

TEST(Revalidation, NotModifiedRefreshesHeadersAndFreshness) {
  auto e = entryFor("/a", H({{"Cache-Control", "max-age=60"}, {"ETag", "\"v1\""}, {"X-Old", "1"},
                             {"Content-Length", "5"}}));
  const int64_t later = kT0Ms + 100'000;
  EXPECT_EQ(decide(*e, {}, later).freshness, Freshness::MustRevalidate);
  Headers nm = H({{"Cache-Control", "max-age=120"}, {"ETag", "\"v1\""}, {"X-Old", "2"},
                  {"Content-Length", "0"}, {"Date", formatHttpDate(later / 1000)}});
  auto r = applyNotModified(*e, nm, later, later, {});
  ASSERT_TRUE(r.ok());
  const Entry& n = *r.value();
  EXPECT_EQ(n.freshnessLifetimeS, 120);
  EXPECT_EQ(findHeader(n.headers, "x-old"), "2");
  EXPECT_EQ(findHeader(n.headers, "content-length"), "5");  // framing stays the stored body's
  EXPECT_EQ(findHeader(n.headers, "cache-control"), "max-age=120");
  EXPECT_TRUE(n.body.sharesWith(e->body));  // no body copy
  EXPECT_EQ(decide(n, {}, later + 1000).freshness, Freshness::Fresh);
  EXPECT_EQ(decide(n, {}, later + 1000).ageS, 1);
}

TEST(Revalidation, StrongEtagMismatchIsRefused) {
  auto e = entryFor("/a", H({{"Cache-Control", "max-age=60"}, {"ETag", "\"v1\""}}));
  EXPECT_FALSE(applyNotModified(*e, H({{"ETag", "\"v2\""}}), kT0Ms, kT0Ms, {}).ok());
  EXPECT_TRUE(applyNotModified(*e, H({{"ETag", "W/\"v2\""}}), kT0Ms, kT0Ms, {}).ok());
}

struct CondCase {
  const char* name;
  const char* method;
  Headers request;
  ConditionalResult expect;
};
// Test names already say which case ran; print the case by its name, not as raw bytes.
void PrintTo(const CondCase& c, std::ostream* os) { *os << c.name; }


class ClientConditional : public ::testing::TestWithParam<CondCase> {};

TEST_P(ClientConditional, Rfc9110Precedence) {
  auto e = entryFor("/a", H({{"Cache-Control", "max-age=60"}, {"ETag", "W/\"v1\""}, {"Last-Modified", dateAt(-100)}}));
  const CondCase& c = GetParam();
  RequestView r;
  r.method = c.method;
  r.headers = &c.request;
  EXPECT_EQ(evaluateConditional(*e, r), c.expect);
}

INSTANTIATE_TEST_SUITE_P(
    Rfc9110, ClientConditional,
    ::testing::Values(
        CondCase{"none", "GET", {}, ConditionalResult::Full},
        CondCase{"inm_weak_match", "GET", H({{"If-None-Match", "\"v1\""}}), ConditionalResult::NotModified},
        CondCase{"inm_list_match", "GET", H({{"If-None-Match", "\"x\", W/\"v1\""}}), ConditionalResult::NotModified},
        CondCase{"inm_star", "GET", H({{"If-None-Match", "*"}}), ConditionalResult::NotModified},
        CondCase{"inm_head", "HEAD", H({{"If-None-Match", "\"v1\""}}), ConditionalResult::NotModified},
        CondCase{"inm_no_match", "GET", H({{"If-None-Match", "\"v2\""}}), ConditionalResult::Full},
        CondCase{"inm_wins_over_ims", "GET", H({{"If-None-Match", "\"v2\""}, {"If-Modified-Since", dateAt(0)}}), ConditionalResult::Full},
        CondCase{"ims_not_modified", "GET", H({{"If-Modified-Since", dateAt(-100)}}), ConditionalResult::NotModified},
        CondCase{"ims_modified", "GET", H({{"If-Modified-Since", dateAt(-101)}}), ConditionalResult::Full},
        CondCase{"ims_invalid_ignored", "GET", H({{"If-Modified-Since", "yesterday"}}), ConditionalResult::Full},
        CondCase{"ims_post_ignored", "POST", H({{"If-Modified-Since", dateAt(0)}}), ConditionalResult::Full}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(ClientConditionalStatus, OnlyFor2xx) {
  auto e = entryFor("/a", H({{"Cache-Control", "max-age=60"}, {"ETag", "\"v1\""}}), 0, "nf", nullptr, 404);
  ASSERT_TRUE(e);
  Headers h = H({{"If-None-Match", "\"v1\""}});
  RequestView r;
  r.headers = &h;
  EXPECT_EQ(evaluateConditional(*e, r), ConditionalResult::Full);
}

TEST(Etag, WeakComparison) {
  EXPECT_TRUE(weakEtagMatch("W/\"a\"", "\"a\""));
  EXPECT_FALSE(weakEtagMatch("\"a\"", "\"b\""));
  EXPECT_FALSE(weakEtagMatch("", ""));
}

}  // namespace
}  // namespace cdnlab::edge::cache
