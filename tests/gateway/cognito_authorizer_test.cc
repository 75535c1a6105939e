// Cognito user pool token validation (REST COGNITO_USER_POOLS authorizers) with an RSA key made
// here: provider ARNs, ID and access tokens, scopes, expiry, other pools, other algs, the
// audience expression, and the claims as REST APIs render them.
#include "gateway/auth/cognito_authorizer.h"

#include <gtest/gtest.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rsa.h>

#include <rapidjson/document.h>

#include "tests/gateway/openssl_test_keys.h"

namespace cdnlab::gateway {
namespace {

constexpr int64_t kNow = 1700000000;  // Tue Nov 14 22:13:20 UTC 2023
constexpr const char* kPoolArn = "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbCdEf123";
constexpr const char* kIssuer = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEf123";

std::string b64u(std::string_view s) { return base64UrlEncode(s); }

using testkeys::bnParam;

struct Pool {
  EVP_PKEY* rsa = EVP_RSA_gen(2048);
  ~Pool() { EVP_PKEY_free(rsa); }
  std::shared_ptr<const Jwks> jwks() {
    auto set = Jwks::parse(R"({"keys":[{"kty":"RSA","alg":"RS256","use":"sig","kid":"k1","n":")" +
                           b64u(bnParam(rsa, OSSL_PKEY_PARAM_RSA_N)) + R"(","e":")" + b64u(bnParam(rsa, OSSL_PKEY_PARAM_RSA_E)) +
                           R"("},{"kty":"oct","kid":"h1","k":"c2VjcmV0c2VjcmV0c2VjcmV0"}]})");
    return set ? *set : nullptr;
  }
  std::string token(const std::string& claims, const std::string& kid = "k1") {
    std::string input = b64u(R"({"kid":")" + kid + R"(","alg":"RS256"})") + "." + b64u(claims);
    return input + "." + b64u(testkeys::sign(rsa, input));
  }
};

std::string idClaims(int64_t exp = kNow + 3600, const std::string& iss = kIssuer) {
  return R"({"sub":"7d8ca528","cognito:groups":["admin","users"],"email_verified":true,"iss":")" + iss +
         R"(","cognito:username":"alice","aud":"client123","token_use":"id","auth_time":1699990000,"exp":)" +
         std::to_string(exp) + R"(,"iat":1699996400,"email":"alice@example.com"})";
}

std::string accessClaims(const std::string& scope) {
  return R"({"sub":"7d8ca528","iss":")" + std::string(kIssuer) + R"(","client_id":"client123","token_use":"access","scope":")" +
         scope + R"(","exp":)" + std::to_string(kNow + 3600) + R"(,"iat":1699996400,"username":"alice"})";
}

class CognitoTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto p = cognitoUserPoolOf(kPoolArn);
    ASSERT_TRUE(p.ok());
    pools_.push_back(*p);
    keys_ = pool_.jwks();
    ASSERT_TRUE(keys_);
  }
  // Validates; `why` tells a refusal.
  bool check(const std::string& token, const std::vector<std::string>& scopes = {}, const std::regex* aud = nullptr) {
    auto parts = splitJwt(token);
    if (!parts) {
      why_.reason = parts.error().message;
      return false;
    }
    CognitoCheck c{&pools_, &scopes, aud, kNow};
    if (!cognitoPoolOfToken(*parts, c, why_)) return false;
    claims_ = CognitoClaims{};
    return validateCognitoToken(*parts, *keys_, c, claims_, why_);
  }
  std::string claim(const char* name) {
    rapidjson::Document d;
    d.Parse(claims_.claimsJson.c_str());
    return d.IsObject() && d.HasMember(name) && d[name].IsString() ? d[name].GetString() : "<absent>";
  }

  Pool pool_;
  std::vector<CognitoUserPool> pools_;
  std::shared_ptr<const Jwks> keys_;
  CognitoClaims claims_;
  CognitoRefusal why_;
};

TEST(CognitoPool, ProviderArnGivesTheIssuer) {
  auto p = cognitoUserPoolOf(kPoolArn);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->region, "us-east-1");
  EXPECT_EQ(p->poolId, "us-east-1_AbCdEf123");
  EXPECT_EQ(p->issuer, kIssuer);
  EXPECT_EQ(cognitoKeySource(*p, "http://127.0.0.1:9229/"), "http://127.0.0.1:9229/us-east-1_AbCdEf123");
  EXPECT_EQ(cognitoKeySource(*p, ""), kIssuer);
}

TEST(CognitoPool, MalformedProviderArnsAreRefused) {
  for (const char* bad : {"", "arn:aws:cognito-idp:us-east-1:123456789012:userpool/", "arn:aws:cognito-idp:us-east-1:1234:userpool/p",
                          "arn:aws:iam::123456789012:user/x", "arn:aws:cognito-idp:us-east-1:123456789012:identitypool/p",
                          "arn:aws:cognito-idp:us-east-1:123456789012:userpool/a/b", "arn:aws:cognito-idp::123456789012:userpool/p"}) {
    auto p = cognitoUserPoolOf(bad);
    ASSERT_FALSE(p.ok()) << bad;
    EXPECT_EQ(p.error().code, 400);
    EXPECT_NE(p.error().message.find("Invalid provider ARN"), std::string::npos);
  }
}

TEST_F(CognitoTest, IdTokenIsAcceptedWithItsClaimsRenderedAsRestApisDo) {
  ASSERT_TRUE(check(pool_.token(idClaims()))) << why_.reason;
  EXPECT_EQ(claims_.tokenUse, "id");
  EXPECT_EQ(claim("cognito:username"), "alice");
  EXPECT_EQ(claim("email_verified"), "true");
  EXPECT_EQ(claim("cognito:groups"), "admin,users");
  EXPECT_EQ(claim("auth_time"), "1699990000");
  EXPECT_EQ(claim("exp"), "Tue Nov 14 23:13:20 UTC 2023");
  EXPECT_EQ(claim("iat"), "Tue Nov 14 21:13:20 UTC 2023");
  EXPECT_EQ(cognitoAuthorizerJson(claims_).rfind("{\"claims\":{\"sub\":\"7d8ca528\"", 0), 0u);
  EXPECT_NE(cognitoAuthorizerJson(claims_).find("\"scopes\":null}"), std::string::npos);
}

TEST_F(CognitoTest, BearerPrefixIsAccepted) { EXPECT_TRUE(check("Bearer " + pool_.token(idClaims()))) << why_.reason; }

TEST_F(CognitoTest, ExpiredTokenSaysSo) {
  EXPECT_FALSE(check(pool_.token(idClaims(kNow - 1))));
  EXPECT_TRUE(why_.expired);
  EXPECT_EQ(why_.message(), "The incoming token has expired");
}

TEST_F(CognitoTest, AnotherPoolIsUnauthorized) {
  EXPECT_FALSE(check(pool_.token(idClaims(kNow + 60, "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other"))));
  EXPECT_FALSE(why_.expired);
  EXPECT_EQ(why_.message(), "Unauthorized");
}

TEST_F(CognitoTest, BadSignatureAndUnknownKidAreUnauthorized) {
  std::string t = pool_.token(idClaims());
  t[t.size() - 5] = t[t.size() - 5] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(check(t));
  EXPECT_FALSE(check(pool_.token(idClaims(), "rotated")));
  EXPECT_NE(why_.reason.find("no key for kid"), std::string::npos);
  EXPECT_FALSE(check("not.a.jwt.at-all"));
}

TEST_F(CognitoTest, OnlyRs256IsAccepted) {
  // An HS256 token signed with a secret the JWKS happens to hold is still not a user pool's token.
  std::string input = b64u(R"({"kid":"h1","alg":"HS256"})") + "." + b64u(idClaims());
  unsigned char mac[32];
  unsigned int len = 0;
  std::string secret = "secretsecretsecret";
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()), reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac, &len);
  EXPECT_FALSE(check(input + "." + b64u(std::string(reinterpret_cast<char*>(mac), len))));
  EXPECT_NE(why_.reason.find("RS256"), std::string::npos);
}

TEST_F(CognitoTest, ScopedMethodsNeedAnAccessTokenWithOneOfTheScopes) {
  std::vector<std::string> scopes{"shop/read", "shop/admin"};
  EXPECT_FALSE(check(pool_.token(idClaims()), scopes));
  EXPECT_NE(why_.reason.find("access token"), std::string::npos);
  EXPECT_FALSE(check(pool_.token(accessClaims("shop/write openid")), scopes));
  ASSERT_TRUE(check(pool_.token(accessClaims("openid shop/read")), scopes)) << why_.reason;
  EXPECT_EQ(claims_.tokenUse, "access");
  EXPECT_NE(cognitoAuthorizerJson(claims_).find("\"scopes\":[\"openid\",\"shop/read\"]"), std::string::npos);
  // Without method scopes an access token is accepted as well.
  EXPECT_TRUE(check(pool_.token(accessClaims("openid"))));
}

TEST_F(CognitoTest, TokenUseMustBeIdOrAccess) {
  std::string c = idClaims();
  c.replace(c.find("\"token_use\":\"id\""), 16, "\"token_use\":\"refresh\"");
  EXPECT_FALSE(check(pool_.token(c)));
  EXPECT_NE(why_.reason.find("token_use"), std::string::npos);
}

TEST_F(CognitoTest, IdentityValidationExpressionMatchesTheAudience) {
  std::regex ok("client1.*"), other("web-.*");
  EXPECT_TRUE(check(pool_.token(idClaims()), {}, &ok));
  EXPECT_TRUE(check(pool_.token(accessClaims("openid")), {}, &ok));  // client_id for access tokens
  EXPECT_FALSE(check(pool_.token(idClaims()), {}, &other));
}

}  // namespace
}  // namespace cdnlab::gateway
