// JWT validation with keys made here: RS256 and ES256 signed with OpenSSL, HS256 with HMAC;
// valid, expired, not-yet-valid, wrong audience, wrong issuer, wrong signature, wrong alg, scopes.
#include "gateway/auth/jwt.h"

#include <gtest/gtest.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rsa.h>

#include <rapidjson/document.h>

#include "tests/gateway/openssl_test_keys.h"

namespace cdnlab::gateway {
namespace {

constexpr int64_t kNow = 1700000000;

std::string b64u(std::string_view s) { return base64UrlEncode(s); }

using testkeys::bnParam;
using testkeys::sign;

struct Keys {
  EVP_PKEY* rsa = EVP_RSA_gen(2048);
  EVP_PKEY* ec = EVP_EC_gen("P-256");
  std::string secret = "0123456789abcdef0123456789abcdef";
  ~Keys() {
    EVP_PKEY_free(rsa);
    EVP_PKEY_free(ec);
  }
  std::string jwks() {
    std::string pub(65, '\0');
    size_t n = 0;
    EVP_PKEY_get_octet_string_param(ec, OSSL_PKEY_PARAM_PUB_KEY, reinterpret_cast<unsigned char*>(pub.data()), pub.size(), &n);
    return R"({"keys":[{"kty":"RSA","kid":"r1","n":")" + b64u(bnParam(rsa, OSSL_PKEY_PARAM_RSA_N)) + R"(","e":")" +
           b64u(bnParam(rsa, OSSL_PKEY_PARAM_RSA_E)) + R"("},{"kty":"EC","kid":"e1","crv":"P-256","x":")" + b64u(pub.substr(1, 32)) +
           R"(","y":")" + b64u(pub.substr(33, 32)) + R"("},{"kty":"oct","kid":"h1","k":")" + b64u(secret) +
           R"("},{"kty":"OKP","kid":"skipped"}]})";
  }
  std::string token(const std::string& alg, const std::string& kid, const std::string& claims) {
    std::string input = b64u(R"({"alg":")" + alg + R"(","typ":"JWT","kid":")" + kid + R"("})") + "." + b64u(claims);
    std::string sig;
    if (alg == "RS256") sig = sign(rsa, input);
    else if (alg == "ES256") {
      std::string der = sign(ec, input);
      const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
      ECDSA_SIG* s = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size()));
      sig.assign(64, '\0');
      BN_bn2binpad(ECDSA_SIG_get0_r(s), reinterpret_cast<unsigned char*>(sig.data()), 32);
      BN_bn2binpad(ECDSA_SIG_get0_s(s), reinterpret_cast<unsigned char*>(sig.data()) + 32, 32);
      ECDSA_SIG_free(s);
    } else {
      unsigned char mac[32];
      unsigned int len = 0;
      HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()), reinterpret_cast<const unsigned char*>(input.data()),
           input.size(), mac, &len);
      sig.assign(reinterpret_cast<char*>(mac), len);
    }
    return input + "." + b64u(sig);
  }
};

const JwtConfig kConfig{"https://issuer.example", {"api://shop"}};
const std::string kClaims = R"({"iss":"https://issuer.example","aud":"api://shop","sub":"u1","exp":1700000600,"iat":1699999000,"scope":"read write"})";

TEST(Jwt, EachAlgorithmVerifies) {
  Keys k;
  auto set = Jwks::parse(k.jwks());
  ASSERT_TRUE(set.ok()) << set.error().message;
  EXPECT_EQ((*set)->size(), 3u);  // the OKP key is skipped
  for (auto [alg, kid] : {std::pair{"RS256", "r1"}, {"ES256", "e1"}, {"HS256", "h1"}}) {
    auto c = validateJwt("Bearer " + k.token(alg, kid, kClaims), **set, kConfig, {}, kNow);
    ASSERT_TRUE(c.ok()) << alg << ": " << c.error().message;
    rapidjson::Document d;
    d.Parse(c->claimsJson.c_str());
    EXPECT_STREQ(d["sub"].GetString(), "u1");
    EXPECT_STREQ(d["exp"].GetString(), "1700000600");  // claims are passed as strings
    EXPECT_EQ(c->scopes, (std::vector<std::string>{"read", "write"}));
  }
}

TEST(Jwt, RefusesWithTheReason) {
  Keys k;
  auto set = *Jwks::parse(k.jwks());
  auto reason = [&](const std::string& token, std::vector<std::string> scopes = {}) {
    auto c = validateJwt(token, *set, kConfig, scopes, kNow);
    return c.ok() ? std::string("ok") : std::to_string(c.error().code) + " " + c.error().message;
  };
  std::string good = k.token("RS256", "r1", kClaims);
  EXPECT_EQ(reason(good), "ok");
  EXPECT_EQ(reason(good.substr(0, good.size() - 4) + "AAAA"), "401 signature verification failed");
  EXPECT_EQ(reason(k.token("RS256", "r1", R"({"iss":"https://issuer.example","aud":"api://shop","exp":1699999999})")),
            "401 the token has expired");
  EXPECT_EQ(reason(k.token("RS256", "r1", R"({"iss":"https://issuer.example","aud":"api://other","exp":1700000600})")),
            "401 aud is not one of the authorizer's audiences");
  EXPECT_EQ(reason(k.token("RS256", "r1", R"({"iss":"https://evil.example","aud":"api://shop","exp":1700000600})")),
            "401 iss 'https://evil.example' is not the issuer https://issuer.example");
  EXPECT_EQ(reason(k.token("RS256", "r1", R"({"iss":"https://issuer.example","aud":["x","api://shop"],"exp":1700000600,"nbf":1700000100})")),
            "401 the token is not valid yet (nbf)");
  EXPECT_EQ(reason(k.token("HS256", "r1", kClaims)), "401 no key for kid 'r1' and alg HS256");  // alg confusion
  EXPECT_EQ(reason(k.token("none", "r1", kClaims)), "401 unsupported alg 'none' (RS256, ES256, HS256)");
  EXPECT_EQ(reason("abc.def"), "401 the token is not a JWT (three base64url parts)");
  EXPECT_EQ(reason(good, {"admin"}), "403 the token has none of the route's scopes");
  EXPECT_EQ(reason(good, {"admin", "write"}), "ok");
}

TEST(Jwt, JwksErrors) {
  EXPECT_FALSE(Jwks::parse("[]").ok());
  EXPECT_FALSE(Jwks::parse(R"({"keys":[{"kty":"RSA","n":"!!","e":"AQAB"}]})").ok());
}

}  // namespace
}  // namespace cdnlab::gateway
