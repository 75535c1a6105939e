// JWKS parsing and JWT validation (see jwt.h). OpenSSL 3: keys are built from their parameters
// with EVP_PKEY_fromdata; ES256 signatures arrive as raw r||s (RFC 7518 3.4) and are converted
// to DER for EVP_DigestVerify.
#include "gateway/auth/jwt.h"
#include "gateway/auth/jwt_parts.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/param_build.h>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "gateway/integrations/proxy_event.h"

namespace cdnlab::gateway {

struct JwkKey {
  std::string kid;
  std::string kty;  // RSA, EC, oct
  EVP_PKEY* pkey = nullptr;
  std::string secret;  // oct
  ~JwkKey() { EVP_PKEY_free(pkey); }
};

Jwks::~Jwks() = default;

std::string base64UrlEncode(std::string_view in) {
  std::string s = base64Encode(in);
  for (auto& c : s) c = c == '+' ? '-' : c == '/' ? '_' : c;
  while (!s.empty() && s.back() == '=') s.pop_back();
  return s;
}

Result<std::string> base64UrlDecode(std::string_view in) {
  std::string s(in);
  for (auto& c : s) {
    if (c == '-') c = '+';
    else if (c == '_') c = '/';
    else if (c == '+' || c == '/' || c == '=') return Error{401, "not base64url"};
  }
  while (s.size() % 4) s.push_back('=');
  auto r = base64Decode(s);
  if (!r) return Error{401, "not base64url"};
  return r;
}

namespace {

std::string member(const rapidjson::Value& o, const char* name) {
  if (!o.IsObject() || !o.HasMember(name) || !o[name].IsString()) return "";
  return std::string(o[name].GetString(), o[name].GetStringLength());
}

EVP_PKEY* rsaKey(const std::string& n, const std::string& e) {
  BIGNUM* bn = BN_bin2bn(reinterpret_cast<const unsigned char*>(n.data()), static_cast<int>(n.size()), nullptr);
  BIGNUM* be = BN_bin2bn(reinterpret_cast<const unsigned char*>(e.data()), static_cast<int>(e.size()), nullptr);
  OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
  EVP_PKEY* pkey = nullptr;
  if (bn && be && bld && OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, bn) &&
      OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, be)) {
    OSSL_PARAM* params = OSSL_PARAM_BLD_to_param(bld);
    EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr);
    if (params && ctx && EVP_PKEY_fromdata_init(ctx) > 0) EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params);
    EVP_PKEY_CTX_free(ctx);
    OSSL_PARAM_free(params);
  }
  OSSL_PARAM_BLD_free(bld);
  BN_free(bn);
  BN_free(be);
  return pkey;
}

EVP_PKEY* ecKey(const std::string& x, const std::string& y) {
  if (x.size() != 32 || y.size() != 32) return nullptr;
  std::string point = "\x04" + x + y;  // uncompressed SEC1 point
  OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
  EVP_PKEY* pkey = nullptr;
  if (bld && OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) &&
      OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size())) {
    OSSL_PARAM* params = OSSL_PARAM_BLD_to_param(bld);
    EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr);
    if (params && ctx && EVP_PKEY_fromdata_init(ctx) > 0) EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params);
    EVP_PKEY_CTX_free(ctx);
    OSSL_PARAM_free(params);
  }
  OSSL_PARAM_BLD_free(bld);
  return pkey;
}

bool verifyWithKey(EVP_PKEY* key, std::string_view input, std::string_view sig) {
  EVP_MD_CTX* md = EVP_MD_CTX_new();
  bool ok = md && EVP_DigestVerifyInit(md, nullptr, EVP_sha256(), nullptr, key) == 1 &&
            EVP_DigestVerify(md, reinterpret_cast<const unsigned char*>(sig.data()), sig.size(),
                             reinterpret_cast<const unsigned char*>(input.data()), input.size()) == 1;
  EVP_MD_CTX_free(md);
  return ok;
}

// ES256: raw r||s (64 bytes) -> DER ECDSA-Sig-Value.
std::string ecdsaDer(std::string_view raw) {
  if (raw.size() != 64) return "";
  ECDSA_SIG* s = ECDSA_SIG_new();
  BIGNUM* r = BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()), 32, nullptr);
  BIGNUM* ss = BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()) + 32, 32, nullptr);
  std::string out;
  if (s && r && ss && ECDSA_SIG_set0(s, r, ss) == 1) {
    r = ss = nullptr;  // owned by s now
    unsigned char* der = nullptr;
    int n = i2d_ECDSA_SIG(s, &der);
    if (n > 0) out.assign(reinterpret_cast<char*>(der), static_cast<size_t>(n));
    OPENSSL_free(der);
  }
  BN_free(r);
  BN_free(ss);
  ECDSA_SIG_free(s);
  return out;
}

std::string claimText(const rapidjson::Value& v) {
  if (v.IsString()) return std::string(v.GetString(), v.GetStringLength());
  rapidjson::StringBuffer b;
  rapidjson::Writer<rapidjson::StringBuffer> w(b);
  v.Accept(w);
  return std::string(b.GetString(), b.GetSize());
}

}  // namespace

Result<std::shared_ptr<const Jwks>> Jwks::parse(std::string_view json) {
  rapidjson::Document d;
  d.Parse<rapidjson::kParseIterativeFlag>(json.data(), json.size());
  if (d.HasParseError() || !d.IsObject() || !d.HasMember("keys") || !d["keys"].IsArray())
    return Error{400, "JWKS: expected a JSON object {\"keys\": [...]}"};
  auto set = std::make_shared<Jwks>();
  for (const auto& k : d["keys"].GetArray()) {
    auto key = std::make_unique<JwkKey>();
    key->kid = member(k, "kid");
    key->kty = member(k, "kty");
    if (key->kty == "RSA") {
      auto n = base64UrlDecode(member(k, "n")), e = base64UrlDecode(member(k, "e"));
      if (n && e && !n->empty() && !e->empty()) key->pkey = rsaKey(*n, *e);
      if (!key->pkey) continue;
    } else if (key->kty == "EC") {
      if (member(k, "crv") != "P-256") continue;
      auto x = base64UrlDecode(member(k, "x")), y = base64UrlDecode(member(k, "y"));
      if (x && y) key->pkey = ecKey(*x, *y);
      if (!key->pkey) continue;
    } else if (key->kty == "oct") {
      auto s = base64UrlDecode(member(k, "k"));
      if (!s || s->empty()) continue;
      key->secret = std::move(*s);
    } else {
      continue;
    }
    set->keys_.push_back(std::move(key));
  }
  if (set->keys_.empty()) return Error{400, "JWKS: no usable key (RSA, EC P-256 or oct)"};
  return std::shared_ptr<const Jwks>(std::move(set));
}

const JwkKey* Jwks::find(std::string_view kid, std::string_view kty) const {
  const JwkKey* only = nullptr;
  size_t ofType = 0;
  for (const auto& k : keys_) {
    if (k->kty != kty) continue;
    ++ofType;
    only = k.get();
    if (!kid.empty() && k->kid == kid) return k.get();
  }
  // A token without kid may use the single key of its type.
  return kid.empty() && ofType == 1 ? only : nullptr;
}

Result<JwtParts> splitJwt(std::string_view token) {
  if (token.rfind("Bearer ", 0) == 0 || token.rfind("bearer ", 0) == 0) token.remove_prefix(7);
  size_t d1 = token.find('.'), d2 = d1 == std::string_view::npos ? d1 : token.find('.', d1 + 1);
  if (d1 == std::string_view::npos || d2 == std::string_view::npos || token.find('.', d2 + 1) != std::string_view::npos)
    return Error{401, "the token is not a JWT (three base64url parts)"};
  auto header = base64UrlDecode(token.substr(0, d1));
  auto payload = base64UrlDecode(token.substr(d1 + 1, d2 - d1 - 1));
  auto sig = base64UrlDecode(token.substr(d2 + 1));
  if (!header || !payload || !sig) return Error{401, "the token is not valid base64url"};
  JwtParts p;
  p.header.Parse<rapidjson::kParseIterativeFlag>(header->data(), header->size());
  p.claims.Parse<rapidjson::kParseIterativeFlag>(payload->data(), payload->size());
  if (p.header.HasParseError() || !p.header.IsObject() || p.claims.HasParseError() || !p.claims.IsObject())
    return Error{401, "the token's header or claims are not JSON objects"};
  p.signingInput = std::string(token.substr(0, d2));
  p.signature = std::move(*sig);
  return p;
}

Result<bool> verifyJwtSignature(const JwtParts& p, const Jwks& keys) {
  std::string alg = member(p.header, "alg"), kid = member(p.header, "kid");
  std::string_view input = p.signingInput;
  const char* kty = alg == "RS256" ? "RSA" : alg == "ES256" ? "EC" : alg == "HS256" ? "oct" : nullptr;
  if (!kty) return Error{401, "unsupported alg '" + alg + "' (RS256, ES256, HS256)"};
  const JwkKey* key = keys.find(kid, kty);
  if (!key) return Error{401, "no key for kid '" + kid + "' and alg " + alg};
  bool ok = false;
  if (alg == "HS256") {
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    HMAC(EVP_sha256(), key->secret.data(), static_cast<int>(key->secret.size()),
         reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac, &len);
    ok = p.signature.size() == len && CRYPTO_memcmp(mac, p.signature.data(), len) == 0;
  } else if (alg == "ES256") {
    std::string der = ecdsaDer(p.signature);
    ok = !der.empty() && verifyWithKey(key->pkey, input, der);
  } else {
    ok = verifyWithKey(key->pkey, input, p.signature);
  }
  if (!ok) return Error{401, "signature verification failed"};
  return true;
}

Result<bool> checkJwtTimes(const rapidjson::Value& c, int64_t now) {
  if (!c.HasMember("exp") || !c["exp"].IsNumber()) return Error{401, "exp is missing"};
  if (c["exp"].GetDouble() <= static_cast<double>(now)) return Error{401, "the token has expired"};
  if (c.HasMember("nbf") && c["nbf"].IsNumber() && c["nbf"].GetDouble() > static_cast<double>(now))
    return Error{401, "the token is not valid yet (nbf)"};
  if (c.HasMember("iat") && c["iat"].IsNumber() && c["iat"].GetDouble() > static_cast<double>(now) + 300)
    return Error{401, "the token was issued in the future (iat)"};
  return true;
}

std::vector<std::string> jwtScopesOf(const rapidjson::Value& c) {
  std::vector<std::string> out;
  std::string scopeText = member(c, "scope");
  if (!scopeText.empty()) {
    size_t i = 0;
    while (i < scopeText.size()) {
      size_t sp = scopeText.find(' ', i);
      std::string s = scopeText.substr(i, sp == std::string::npos ? std::string::npos : sp - i);
      if (!s.empty()) out.push_back(s);
      if (sp == std::string::npos) break;
      i = sp + 1;
    }
  } else if (c.HasMember("scp") && c["scp"].IsArray()) {
    for (const auto& s : c["scp"].GetArray())
      if (s.IsString()) out.emplace_back(s.GetString(), s.GetStringLength());
  }
  return out;
}

bool anyScopeOf(const std::vector<std::string>& wanted, const std::vector<std::string>& have) {
  for (const auto& w : wanted)
    for (const auto& h : have)
      if (w == h) return true;
  return false;
}

std::string jwtClaimString(const rapidjson::Value& claims, const char* name) { return member(claims, name); }

Result<JwtClaims> validateJwt(std::string_view token, const Jwks& keys, const JwtConfig& config,
                              const std::vector<std::string>& requiredScopes, int64_t now) {
  auto parts = splitJwt(token);
  if (!parts) return parts.error();
  if (auto v = verifyJwtSignature(*parts, keys); !v) return v.error();
  const rapidjson::Value& c = parts->claims;
  if (member(c, "iss") != config.issuer) return Error{401, "iss '" + member(c, "iss") + "' is not the issuer " + config.issuer};
  bool audOk = false;
  auto audMatches = [&](std::string_view a) {
    for (const auto& want : config.audience) audOk |= want == a;
  };
  if (c.HasMember("aud")) {
    if (c["aud"].IsString()) audMatches(std::string_view(c["aud"].GetString(), c["aud"].GetStringLength()));
    else if (c["aud"].IsArray())
      for (const auto& a : c["aud"].GetArray())
        if (a.IsString()) audMatches(std::string_view(a.GetString(), a.GetStringLength()));
  } else if (c.HasMember("client_id") && c["client_id"].IsString()) {
    audMatches(std::string_view(c["client_id"].GetString(), c["client_id"].GetStringLength()));
  }
  if (!audOk) return Error{401, "aud is not one of the authorizer's audiences"};
  if (auto t = checkJwtTimes(c, now); !t) return t.error();
  JwtClaims out;
  out.scopes = jwtScopesOf(c);
  if (!requiredScopes.empty() && !anyScopeOf(requiredScopes, out.scopes))
    return Error{403, "the token has none of the route's scopes"};
  rapidjson::StringBuffer b;
  rapidjson::Writer<rapidjson::StringBuffer> w(b);
  w.StartObject();
  for (auto it = c.MemberBegin(); it != c.MemberEnd(); ++it) {
    w.Key(it->name.GetString(), it->name.GetStringLength());
    std::string v = claimText(it->value);
    w.String(v.data(), static_cast<rapidjson::SizeType>(v.size()));
  }
  w.EndObject();
  out.claimsJson.assign(b.GetString(), b.GetSize());
  return out;
}

}  // namespace cdnlab::gateway
