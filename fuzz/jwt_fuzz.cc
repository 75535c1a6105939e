// libFuzzer target for the gateway's JWT authorizer core (gateway/auth/jwt.h): JWKS documents
// and tokens are hostile (a client sends the token; the JWKS comes from a URL). Byte 0 picks:
//   even: the rest is "JWKS JSON\ntoken", validated against that key set;
//   odd:  the rest is "header JSON\nclaims JSON", signed with HS256 under a fixed "oct" key, so
//         the claim checks (iss, aud, exp, nbf, scopes) see every shape of claims.
// Any input gives claims or a 401/403, never a crash; base64url round-trips. The same inputs go
// through the Cognito user pool checks (gateway/auth/cognito_authorizer.h): the first line as a
// provider ARN, the token's claims rendered as REST APIs render them, and the pool validation
// (claims, or a refusal with its reason).
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "gateway/auth/cognito_authorizer.h"
#include "gateway/auth/jwt.h"

using namespace cdnlab::gateway;

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

const char kSecret[] = "fuzz-secret-0123456789abcdef";

std::string hs256(std::string_view signingInput) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), kSecret, sizeof kSecret - 1, reinterpret_cast<const unsigned char*>(signingInput.data()),
       signingInput.size(), mac, &len);
  return std::string(reinterpret_cast<const char*>(mac), len);
}

void checkResult(const cdnlab::Result<JwtClaims>& r) {
  if (!r.ok()) check((r.error().code == 401 || r.error().code == 403) && !r.error().message.empty());
}

void checkCognito(std::string_view arn, std::string_view token, const Jwks& keys) {
  auto pool = cognitoUserPoolOf(arn);
  if (pool.ok()) check(pool->issuer == "https://cognito-idp." + pool->region + ".amazonaws.com/" + pool->poolId);
  else check(pool.error().code == 400);
  auto parts = splitJwt(token);
  if (!parts.ok()) return;
  const rapidjson::Value& claims = parts->claims;
  for (auto it = claims.MemberBegin(); it != claims.MemberEnd(); ++it)
    (void)cognitoClaimText(std::string_view(it->name.GetString(), it->name.GetStringLength()), it->value);
  std::vector<CognitoUserPool> pools{CognitoUserPool{"us-east-1", "us-east-1_Fuzz", "https://issuer.example"}};
  std::vector<std::string> scopes{"read"};
  CognitoCheck c{&pools, &scopes, nullptr, 1700000000};
  CognitoClaims out;
  CognitoRefusal why;
  if (validateCognitoToken(*parts, keys, c, out, why)) check(!out.claimsJson.empty());
  else check(!why.reason.empty());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view in(reinterpret_cast<const char*>(data + 1), size - 1);
  size_t nl = in.find('\n');
  std::string_view first = in.substr(0, nl);
  std::string_view second = nl == std::string_view::npos ? std::string_view() : in.substr(nl + 1);

  auto decoded = base64UrlDecode(in);
  if (decoded.ok()) (void)base64UrlEncode(*decoded);
  auto round = base64UrlDecode(base64UrlEncode(in));
  check(round.ok() && *round == in);

  JwtConfig config;
  config.issuer = "https://issuer.example";
  config.audience = {"aud-1", "aud-2"};
  std::vector<std::string> scopes;
  if (data[0] & 2) scopes = {"read", "write"};
  int64_t now = (data[0] & 4) ? 0 : 1700000000;

  if ((data[0] & 1) == 0) {
    auto jwks = Jwks::parse(first);
    if (!jwks.ok()) {
      check(!jwks.error().message.empty());
      return 0;
    }
    checkResult(validateJwt(second, **jwks, config, scopes, now));
    checkCognito(first, second, **jwks);
    return 0;
  }
  static auto keys = *Jwks::parse(
      R"({"keys":[{"kty":"oct","kid":"k1","alg":"HS256","k":")" + base64UrlEncode(kSecret) + R"("}]})");
  std::string token = base64UrlEncode(first) + "." + base64UrlEncode(second);
  token += "." + base64UrlEncode(hs256(token));
  checkResult(validateJwt(token, *keys, config, scopes, now));
  checkCognito(first, token, *keys);
  return 0;
}
