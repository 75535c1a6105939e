// Cognito user pool token validation as API Gateway performs it (see cognito_authorizer.h).
#include "gateway/auth/cognito_authorizer.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cctype>
#include <cmath>
#include <cstdio>
#include <ctime>

namespace cdnlab::gateway {
namespace {

constexpr std::string_view kArnPrefix = "arn:aws:cognito-idp:";

bool isPoolIdChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-'; }

// "Tue Dec 01 10:00:00 UTC 2026": how REST APIs render exp and iat (Java's Date#toString in UTC).
std::string javaDate(int64_t epochSeconds) {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  time_t t = static_cast<time_t>(epochSeconds);
  struct tm tm {};
  if (!gmtime_r(&t, &tm)) return std::to_string(epochSeconds);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%s %s %02d %02d:%02d:%02d UTC %d", kDays[tm.tm_wday % 7], kMonths[tm.tm_mon % 12],
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, tm.tm_year + 1900);
  return buf;
}

std::string jsonText(const rapidjson::Value& v) {
  rapidjson::StringBuffer b;
  rapidjson::Writer<rapidjson::StringBuffer> w(b);
  v.Accept(w);
  return std::string(b.GetString(), b.GetSize());
}

bool refuse(CognitoRefusal& why, std::string reason, bool expired = false) {
  why.expired = expired;
  why.reason = std::move(reason);
  return false;
}

}  // namespace

Result<CognitoUserPool> cognitoUserPoolOf(std::string_view arn) {
  auto bad = [&] {
    return Error{400, "Invalid provider ARN '" + std::string(arn) +
                          "' (arn:aws:cognito-idp:REGION:ACCOUNT:userpool/POOL_ID)"};
  };
  if (arn.substr(0, kArnPrefix.size()) != kArnPrefix) return bad();
  std::string_view rest = arn.substr(kArnPrefix.size());
  size_t c1 = rest.find(':');
  if (c1 == std::string_view::npos || c1 == 0) return bad();
  std::string_view region = rest.substr(0, c1);
  size_t c2 = rest.find(':', c1 + 1);
  if (c2 == std::string_view::npos) return bad();
  std::string_view account = rest.substr(c1 + 1, c2 - c1 - 1);
  std::string_view resource = rest.substr(c2 + 1);
  constexpr std::string_view kPool = "userpool/";
  if (account.size() != 12 || account.find_first_not_of("0123456789") != std::string_view::npos ||
      resource.substr(0, kPool.size()) != kPool)
    return bad();
  std::string_view pool = resource.substr(kPool.size());
  if (pool.empty() || pool.size() > 55) return bad();
  for (char c : pool)
    if (!isPoolIdChar(c)) return bad();
  for (char c : region)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') return bad();
  CognitoUserPool p;
  p.region = std::string(region);
  p.poolId = std::string(pool);
  p.issuer = "https://cognito-idp." + p.region + ".amazonaws.com/" + p.poolId;
  return p;
}

std::vector<CognitoUserPool> cognitoUserPoolsOf(const std::vector<std::string>& providerArns) {
  std::vector<CognitoUserPool> out;
  for (const auto& arn : providerArns)
    if (auto p = cognitoUserPoolOf(arn)) out.push_back(std::move(*p));
  return out;
}

std::string cognitoKeySource(const CognitoUserPool& pool, std::string_view endpoint) {
  if (endpoint.empty()) return pool.issuer;
  std::string base(endpoint);
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + "/" + pool.poolId;
}

const CognitoUserPool* cognitoPoolOfToken(const JwtParts& token, const CognitoCheck& check, CognitoRefusal& why) {
  std::string iss = jwtClaimString(token.claims, "iss");
  if (check.pools)
    for (const auto& p : *check.pools)
      if (p.issuer == iss) return &p;
  refuse(why, "the token's iss '" + iss.substr(0, 200) + "' is none of the authorizer's user pools");
  return nullptr;
}

bool validateCognitoToken(const JwtParts& token, const Jwks& keys, const CognitoCheck& check, CognitoClaims& out,
                          CognitoRefusal& why) {
  // Cognito signs with RS256 only; a token with another alg did not come from a user pool.
  std::string alg = jwtClaimString(token.header, "alg");
  if (alg != "RS256") return refuse(why, "alg '" + alg.substr(0, 20) + "' is not RS256");
  if (auto v = verifyJwtSignature(token, keys); !v) return refuse(why, v.error().message);
  const rapidjson::Value& c = token.claims;
  if (!cognitoPoolOfToken(token, check, why)) return false;
  if (auto t = checkJwtTimes(c, check.nowEpochSeconds); !t)
    return refuse(why, t.error().message, t.error().message == "the token has expired");
  out.tokenUse = jwtClaimString(c, "token_use");
  if (out.tokenUse != "id" && out.tokenUse != "access")
    return refuse(why, "token_use '" + out.tokenUse.substr(0, 20) + "' is neither id nor access");
  out.scopes = jwtScopesOf(c);
  bool scoped = check.scopes && !check.scopes->empty();
  if (scoped && out.tokenUse != "access") return refuse(why, "the method has authorizationScopes: an access token is required");
  if (scoped && !anyScopeOf(*check.scopes, out.scopes)) return refuse(why, "the token has none of the method's scopes");
  if (check.audiencePattern) {
    // identityValidationExpression: matched against aud (ID tokens) or client_id (access tokens).
    std::string aud = jwtClaimString(c, "aud");
    if (aud.empty()) aud = jwtClaimString(c, "client_id");
    if (!std::regex_match(aud, *check.audiencePattern))
      return refuse(why, "aud '" + aud.substr(0, 100) + "' does not match the identityValidationExpression");
  }
  rapidjson::StringBuffer b;
  rapidjson::Writer<rapidjson::StringBuffer> w(b);
  w.StartObject();
  for (auto it = c.MemberBegin(); it != c.MemberEnd(); ++it) {
    std::string_view name(it->name.GetString(), it->name.GetStringLength());
    w.Key(name.data(), static_cast<rapidjson::SizeType>(name.size()));
    std::string v = cognitoClaimText(name, it->value);
    w.String(v.data(), static_cast<rapidjson::SizeType>(v.size()));
  }
  w.EndObject();
  out.claimsJson.assign(b.GetString(), b.GetSize());
  return true;
}

std::string cognitoAuthorizerJson(const CognitoClaims& c) {
  std::string out = "{\"claims\":" + c.claimsJson + ",\"scopes\":";
  if (c.tokenUse != "access") return out + "null}";
  rapidjson::StringBuffer b;
  rapidjson::Writer<rapidjson::StringBuffer> w(b);
  w.StartArray();
  for (const auto& s : c.scopes) w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
  w.EndArray();
  return out + std::string(b.GetString(), b.GetSize()) + "}";
}

std::string cognitoClaimText(std::string_view name, const rapidjson::Value& v) {
  if (v.IsString()) return std::string(v.GetString(), v.GetStringLength());
  if ((name == "exp" || name == "iat") && v.IsNumber()) {
    double d = v.GetDouble();
    if (std::isfinite(d) && d >= 0 && d < 253402300800.0) return javaDate(static_cast<int64_t>(d));
  }
  if (v.IsArray()) {
    std::string out;
    for (const auto& e : v.GetArray()) {
      if (!out.empty()) out += ',';
      out += e.IsString() ? std::string(e.GetString(), e.GetStringLength()) : jsonText(e);
    }
    return out;
  }
  return jsonText(v);
}

}  // namespace cdnlab::gateway
