// JWKS discovery URLs and the OpenID configuration's jwks_uri (the fetching itself is covered
// end to end by tests/e2e/test_gateway_jwks_url.py).
#include "gateway/server/jwks_fetcher.h"

#include <gtest/gtest.h>

namespace cdnlab::gateway {
namespace {

TEST(JwksDiscovery, UrlsFromIssuer) {
  EXPECT_EQ(*discoveryUrlOf("http://127.0.0.1:9000/realm/"), "http://127.0.0.1:9000/realm/.well-known/openid-configuration");
  EXPECT_EQ(wellKnownJwksUrlOf("http://127.0.0.1:9000"), "http://127.0.0.1:9000/.well-known/jwks.json");
  auto https = discoveryUrlOf("https://issuer.example");
  ASSERT_FALSE(https);
  EXPECT_EQ(https.error().code, 401);
}

TEST(JwksDiscovery, JwksUriOfConfiguration) {
  EXPECT_EQ(*jwksUriOf(R"({"issuer":"x","jwks_uri":"http://127.0.0.1:1/keys"})"), "http://127.0.0.1:1/keys");
  EXPECT_FALSE(jwksUriOf(R"({"issuer":"x"})"));
  EXPECT_FALSE(jwksUriOf(R"({"jwks_uri":5})"));
  EXPECT_FALSE(jwksUriOf("<html>"));
  EXPECT_FALSE(jwksUriOf("[]"));
}

}  // namespace
}  // namespace cdnlab::gateway
