// Hash step: normalisation, options, canonical form used by purge.
#include "edge/cache/cache_key.h"

#include <gtest/gtest.h>

#include "tests/edge/cache/test_util.h"

namespace cdnlab::edge::cache {
namespace {

using namespace cdnlab::edge::cache::testing;

CacheKey key(std::string_view method, std::string_view scheme, std::string_view host,
             std::string_view target, const CacheKeyConfig& c = {}, const Headers* h = nullptr) {
  RequestView r;
  r.method = method;
  r.scheme = scheme;
  r.host = host;
  r.target = target;
  r.headers = h;
  return makeCacheKey(r, c);
}

TEST(CacheKey, CanonicalForm) {
  CacheKey k = key("GET", "HTTP", "Example.COM:80", "/a%2fb%7E?q=1");
  EXPECT_EQ(k.canonical, "http://example.com/a%2Fb~?q=1 GET");
  EXPECT_EQ(k.url(), "http://example.com/a%2Fb~?q=1");
  EXPECT_EQ(k.hash, cacheKeyFromCanonical(k.canonical).hash);
}

TEST(CacheKey, EquivalentRequestsShareAKey) {
  EXPECT_EQ(key("GET", "https", "a.com:443", "/x"), key("GET", "https", "A.com", "/x"));
  EXPECT_EQ(key("HEAD", "http", "a.com", "/x"), key("GET", "http", "a.com", "/x"));
  EXPECT_EQ(key("GET", "http", "a.com", ""), key("GET", "http", "a.com", "/"));
  EXPECT_EQ(key("GET", "http", "a.com", "/obj/%36%30%31"), key("GET", "http", "a.com", "/obj/601"));
  EXPECT_EQ(key("GET", "http", "a.com", "/a/./b/../c"), key("GET", "http", "a.com", "/a/c"));
}

// The PoP refuses a '#' (400); a caller that still passes one gets it escaped, never dropped,
// so "/x#frag" cannot share "/x"'s entry.
TEST(CacheKey, FragmentIsNeverDropped) {
  EXPECT_FALSE(key("GET", "http", "a.com", "/x#frag") == key("GET", "http", "a.com", "/x"));
  EXPECT_EQ(key("GET", "http", "a.com", "/x#frag").url(), "http://a.com/x%23frag");
}

TEST(CacheKey, DistinctRequestsDiffer) {
  EXPECT_FALSE(key("GET", "http", "a.com", "/x") == key("GET", "https", "a.com", "/x"));
  EXPECT_FALSE(key("GET", "http", "a.com", "/x") == key("GET", "http", "b.com", "/x"));
  EXPECT_FALSE(key("GET", "http", "a.com", "/x") == key("GET", "http", "a.com", "/x?1"));
  EXPECT_FALSE(key("GET", "http", "a.com:8080", "/x") == key("GET", "http", "a.com", "/x"));
  EXPECT_FALSE(key("GET", "http", "a.com", "/x") == key("POST", "http", "a.com", "/x"));
}

TEST(CacheKey, IgnoreAndSortQuery) {
  CacheKeyConfig ignore;
  ignore.ignoreQuery = true;
  EXPECT_EQ(key("GET", "http", "a.com", "/x?a=1", ignore), key("GET", "http", "a.com", "/x?b=2", ignore));
  CacheKeyConfig sorted;
  sorted.sortQuery = true;
  EXPECT_EQ(key("GET", "http", "a.com", "/x?b=2&a=1", sorted).canonical, "http://a.com/x?a=1&b=2 GET");
  EXPECT_FALSE(key("GET", "http", "a.com", "/x?b=2&a=1") == key("GET", "http", "a.com", "/x?a=1&b=2"));
}

TEST(CacheKey, IncludedHeaders) {
  CacheKeyConfig c;
  c.includeHeaders = {"X-Device"};
  Headers mobile = H({{"x-device", " mobile "}});
  Headers desktop = H({{"X-Device", "desktop"}});
  CacheKey m = key("GET", "http", "a.com", "/x", c, &mobile);
  EXPECT_EQ(m.canonical, "http://a.com/x GET x-device=mobile");
  EXPECT_FALSE(m == key("GET", "http", "a.com", "/x", c, &desktop));
  EXPECT_EQ(key("GET", "http", "a.com", "/x", c, nullptr).canonical, "http://a.com/x GET x-device=");
}

TEST(CacheKey, UnsafeBytesAreEncodedSoTheUrlHasNoSpace) {
  CacheKey k = key("GET", "http", "a.com", std::string_view("/a b\x01\xff", 6));
  EXPECT_EQ(k.url(), "http://a.com/a%20b%01%FF");
}

}  // namespace
}  // namespace cdnlab::edge::cache
