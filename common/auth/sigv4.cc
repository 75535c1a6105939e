// SigV4: canonical request -> string to sign -> derived key -> HMAC (AWS General Reference,
// "Create a signed AWS API request"), and the checks AWS makes around it.
#include "common/auth/sigv4.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <algorithm>
#include <ctime>
#include <utility>

#include "common/civil_date.h"

namespace cdnlab::auth {
namespace {

SigV4Error coralError(const char* name, std::string message) {
  return SigV4Error{std::string(kCoralPrefix) + name, std::move(message), 400};
}

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";

std::string hex(const unsigned char* p, size_t n) {
  static const char* d = "0123456789abcdef";
  std::string s;
  s.reserve(n * 2);
  for (size_t i = 0; i < n; ++i) {
    s.push_back(d[p[i] >> 4]);
    s.push_back(d[p[i] & 15]);
  }
  return s;
}

std::string hmac(std::string_view keyBytes, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), keyBytes.data(), static_cast<int>(keyBytes.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &len);
  return std::string(reinterpret_cast<char*>(out), len);
}

std::string_view trimView(std::string_view v) {
  size_t b = v.find_first_not_of(" \t"), e = v.find_last_not_of(" \t");
  return b == std::string_view::npos ? std::string_view{} : v.substr(b, e - b + 1);
}

// Canonical header value: outer whitespace removed, inner runs collapsed to one space.
std::string canonicalValue(std::string_view v) {
  std::string out;
  bool space = false;
  for (char c : trimView(v)) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      space = true;
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    size_t at = s.find(sep, start);
    parts.push_back(s.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start));
    if (at == std::string_view::npos) return parts;
    start = at + 1;
  }
}

// Parameters sorted by name, then value (byte order); a bare name gets "=".
std::string canonicalQuery(std::string_view q) {
  if (q.empty()) return {};
  std::vector<std::pair<std::string_view, std::string_view>> params;
  for (std::string_view p : split(q, '&')) {
    if (p.empty()) continue;
    size_t eq = p.find('=');
    if (eq == std::string_view::npos) params.emplace_back(p, std::string_view{});
    else params.emplace_back(p.substr(0, eq), p.substr(eq + 1));
  }
  std::sort(params.begin(), params.end());
  std::string out;
  for (size_t i = 0; i < params.size(); ++i) {
    if (i) out.push_back('&');
    out.append(params[i].first).append("=").append(params[i].second);
  }
  return out;
}

SigV4Error invalidSignature(std::string message) {
  return coralError("InvalidSignatureException", std::move(message));
}

SigV4Error signatureMismatch() {
  return invalidSignature(
      "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access "
      "Key and signing method. Consult the service documentation for details.");
}

struct AuthorizationFields {
  std::string_view credential, signedHeaders, signature;
};

// "AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=..." (any order, spaces optional).
std::optional<SigV4Error> parseAuthorization(std::string_view header, AuthorizationFields& out) {
  std::string_view a = trimView(header);
  if (!a.starts_with(kAlgorithm) || a.size() == kAlgorithm.size() || (a[kAlgorithm.size()] != ' ')) {
    return coralError("IncompleteSignatureException",
                      "Authorization header requires the 'AWS4-HMAC-SHA256' algorithm. Authorization=" +
                          std::string(a));
  }
  for (std::string_view part : split(a.substr(kAlgorithm.size() + 1), ',')) {
    part = trimView(part);
    size_t eq = part.find('=');
    if (eq == std::string_view::npos) continue;
    std::string_view name = part.substr(0, eq), value = part.substr(eq + 1);
    if (name == "Credential") out.credential = value;
    else if (name == "SignedHeaders") out.signedHeaders = value;
    else if (name == "Signature") out.signature = value;
  }
  std::string missing;
  if (out.credential.empty()) missing += "Authorization header requires 'Credential' parameter. ";
  if (out.signature.empty()) missing += "Authorization header requires 'Signature' parameter. ";
  if (out.signedHeaders.empty()) missing += "Authorization header requires 'SignedHeaders' parameter. ";
  if (!missing.empty()) return coralError("IncompleteSignatureException", missing + "Authorization=" + std::string(a));
  return std::nullopt;
}

bool constantTimeEquals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace

std::string sha256Hex(std::string_view data) {
  unsigned char md[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), md);
  return hex(md, sizeof md);
}

std::string canonicalRequest(const SignedRequest& req, std::string_view signedHeaders) {
  std::string canonical;
  canonical.append(req.method).append("\n").append(req.path.empty() ? "/" : req.path).append("\n");
  canonical.append(canonicalQuery(req.query)).append("\n");
  // Headers in the order the client listed them: it signed that list, and a reordered list
  // simply fails to match (clients always send it sorted).
  for (std::string_view name : split(signedHeaders, ';')) {
    if (name.empty()) continue;
    std::optional<std::string> v = req.header ? req.header(name) : std::nullopt;
    canonical.append(name).append(":").append(v ? canonicalValue(*v) : "").append("\n");
  }
  canonical.append("\n").append(signedHeaders).append("\n").append(sha256Hex(req.body));
  return canonical;
}

std::string stringToSign(std::string_view amzDate, std::string_view scope, std::string_view canonical) {
  std::string s(kAlgorithm);
  s.append("\n").append(amzDate).append("\n").append(scope).append("\n").append(sha256Hex(canonical));
  return s;
}

std::string signatureFor(const SignedRequest& req, std::string_view secret, std::string_view amzDate,
                         std::string_view scope, std::string_view signedHeaders) {
  std::vector<std::string_view> s = split(scope, '/');
  if (s.size() != 4) return {};
  std::string k = hmac("AWS4" + std::string(secret), s[0]);
  k = hmac(k, s[1]);
  k = hmac(k, s[2]);
  k = hmac(k, s[3]);
  std::string sig = hmac(k, stringToSign(amzDate, scope, canonicalRequest(req, signedHeaders)));
  return hex(reinterpret_cast<const unsigned char*>(sig.data()), sig.size());
}

std::optional<int64_t> parseAmzDate(std::string_view d) {
  if (d.size() != 16 || d[8] != 'T' || d[15] != 'Z') return std::nullopt;
  auto num = [&](size_t at, size_t len) -> std::optional<int> {
    int v = 0;
    for (size_t i = at; i < at + len; ++i) {
      if (d[i] < '0' || d[i] > '9') return std::nullopt;
      v = v * 10 + (d[i] - '0');
    }
    return v;
  };
  auto y = num(0, 4), mo = num(4, 2), day = num(6, 2), h = num(9, 2), mi = num(11, 2), s = num(13, 2);
  if (!y || !mo || !day || !h || !mi || !s) return std::nullopt;
  if (*mo < 1 || *mo > 12 || *day < 1 || *day > 31 || *h > 23 || *mi > 59 || *s > 60) return std::nullopt;
  return daysFromCivil(*y, static_cast<unsigned>(*mo), static_cast<unsigned>(*day)) * 86400 + *h * 3600 +
         *mi * 60 + *s;
}

std::string formatAmzDate(int64_t epochSeconds) {
  time_t t = static_cast<time_t>(epochSeconds);
  struct tm tm {};
  gmtime_r(&t, &tm);
  char buf[32];
  size_t n = std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return std::string(buf, n);
}

std::optional<SigV4Error> verifySigV4(const SignedRequest& req, const std::vector<Credential>& keys,
                                      int64_t nowEpochSeconds, std::string_view service) {
  std::optional<std::string> auth = req.header ? req.header("authorization") : std::nullopt;
  if (!auth) return coralError("MissingAuthenticationTokenException", "Request is missing Authentication Token");
  AuthorizationFields f;
  if (auto bad = parseAuthorization(*auth, f)) return bad;

  // Credential = <access key>/<yyyymmdd>/<region>/<service>/aws4_request
  std::vector<std::string_view> cred = split(f.credential, '/');
  if (cred.size() != 5) {
    return coralError("IncompleteSignatureException",
                      "Credential must have exactly 5 slash-delimited elements, e.g. "
                      "keyid/date/region/service/term, got '" + std::string(f.credential) + "'");
  }
  const Credential* key = nullptr;
  for (const auto& c : keys)
    if (c.accessKey == cred[0]) key = &c;
  if (!key) return coralError("UnrecognizedClientException", "The security token included in the request is invalid.");

  std::optional<std::string> amzDate = req.header("x-amz-date");
  if (!amzDate) {
    return coralError("IncompleteSignatureException",
                      "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. "
                      "Authorization=" + *auth);
  }
  std::optional<int64_t> signedAt = parseAmzDate(*amzDate);
  if (!signedAt) {
    return coralError("IncompleteSignatureException",
                      "Date must be in ISO-8601 'basic format'. Got '" + *amzDate + "'. See "
                      "http://en.wikipedia.org/wiki/ISO_8601");
  }
  if (cred[4] != "aws4_request") {
    return invalidSignature("Credential should be scoped with a valid terminator: 'aws4_request', not '" +
                            std::string(cred[4]) + "'.");
  }
  if (cred[3] != service) {
    return invalidSignature("Credential should be scoped to correct service: '" + std::string(service) + "'. ");
  }
  if (cred[2].empty()) return invalidSignature("Credential should be scoped to a valid region. ");
  if (cred[1] != std::string_view(*amzDate).substr(0, 8)) {
    return invalidSignature("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '" +
                            std::string(cred[1]) + "' != '" + amzDate->substr(0, 8) + "', from '" + *amzDate + "'.");
  }
  // Bounded replay window: a captured request stops working 15 minutes after it was signed.
  if (*signedAt < nowEpochSeconds - kMaxClockSkewSeconds) {
    return invalidSignature("Signature expired: " + *amzDate + " is now earlier than " +
                            formatAmzDate(nowEpochSeconds - kMaxClockSkewSeconds) + " (" +
                            formatAmzDate(nowEpochSeconds) + " - 15 min.)");
  }
  if (*signedAt > nowEpochSeconds + kMaxClockSkewSeconds) {
    return invalidSignature("Signature not yet current: " + *amzDate + " is still later than " +
                            formatAmzDate(nowEpochSeconds + kMaxClockSkewSeconds) + " (" +
                            formatAmzDate(nowEpochSeconds) + " + 15 min.)");
  }
  std::string scope(f.credential.substr(cred[0].size() + 1));
  std::string expected = signatureFor(req, key->secretKey, *amzDate, scope, f.signedHeaders);
  if (!constantTimeEquals(expected, f.signature)) return signatureMismatch();
  return std::nullopt;
}

}  // namespace cdnlab::auth
