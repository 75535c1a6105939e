// SigV4: canonical request -> string to sign -> derived key -> HMAC (AWS General Reference,
// "Create a signed AWS API request").
#include "origin/store/sigv4.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <algorithm>
#include <sstream>

namespace cdnlab::store {
namespace {

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

std::string trimSpaces(std::string_view v) {
  std::string out;
  bool space = false;
  size_t b = v.find_first_not_of(" \t"), e = v.find_last_not_of(" \t");
  if (b == std::string_view::npos) return out;
  for (char c : v.substr(b, e - b + 1)) {
    if (c == ' ' || c == '\t') {
      space = true;
      continue;
    }
    if (space && !out.empty()) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

std::string canonicalQuery(std::string_view q) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= q.size() && !q.empty()) {
    size_t amp = q.find('&', start);
    std::string_view p = q.substr(start, amp == std::string_view::npos ? std::string_view::npos : amp - start);
    if (!p.empty()) parts.emplace_back(p.find('=') == std::string_view::npos ? std::string(p) + "=" : std::string(p));
    if (amp == std::string_view::npos) break;
    start = amp + 1;
  }
  std::sort(parts.begin(), parts.end());
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) out += (i ? "&" : "") + parts[i];
  return out;
}

ApiError signatureMismatch() {
  return coralError("InvalidSignatureException",
                    "The request signature we calculated does not match the signature you provided. Check your AWS "
                    "Secret Access Key and signing method. Consult the service documentation for details.");
}

}  // namespace

std::string sha256Hex(std::string_view data) {
  unsigned char md[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), md);
  return hex(md, sizeof md);
}

std::string signatureFor(const SignedRequest& req, std::string_view secret, std::string_view amzDate,
                         std::string_view scope, std::string_view signedHeaders) {
  std::string canonical;
  canonical.append(req.method).append("\n").append(req.path.empty() ? "/" : req.path).append("\n");
  canonical.append(canonicalQuery(req.query)).append("\n");
  std::string names(signedHeaders);
  size_t start = 0;
  while (start < names.size()) {
    size_t semi = names.find(';', start);
    std::string n = names.substr(start, semi == std::string::npos ? std::string::npos : semi - start);
    const std::string* v = req.header(n);
    canonical.append(n).append(":").append(v ? trimSpaces(*v) : "").append("\n");
    if (semi == std::string::npos) break;
    start = semi + 1;
  }
  canonical.append("\n").append(signedHeaders).append("\n").append(sha256Hex(req.body));
  std::string toSign = "AWS4-HMAC-SHA256\n" + std::string(amzDate) + "\n" + std::string(scope) + "\n" + sha256Hex(canonical);
  // scope = date/region/service/aws4_request
  std::vector<std::string> s;
  std::stringstream ss{std::string(scope)};
  for (std::string part; std::getline(ss, part, '/');) s.push_back(part);
  if (s.size() != 4) return {};
  std::string k = hmac("AWS4" + std::string(secret), s[0]);
  k = hmac(k, s[1]);
  k = hmac(k, s[2]);
  k = hmac(k, s[3]);
  std::string sig = hmac(k, toSign);
  return hex(reinterpret_cast<const unsigned char*>(sig.data()), sig.size());
}

std::optional<ApiError> verifySigV4(const SignedRequest& req, const std::vector<Credential>& keys) {
  const std::string* auth = req.header("authorization");
  if (!auth) return coralError("MissingAuthenticationTokenException", "Request is missing Authentication Token");
  std::string_view a(*auth);
  constexpr std::string_view kAlg = "AWS4-HMAC-SHA256 ";
  if (!a.starts_with(kAlg)) return coralError("IncompleteSignatureException", "Authorization header requires 'Credential' parameter.");
  auto field = [&](std::string_view name) -> std::string {
    size_t p = a.find(name);
    if (p == std::string_view::npos) return {};
    p += name.size();
    size_t e = a.find_first_of(", ", p);
    return std::string(a.substr(p, e == std::string_view::npos ? std::string_view::npos : e - p));
  };
  std::string credential = field("Credential="), signedHeaders = field("SignedHeaders="), signature = field("Signature=");
  if (credential.empty() || signedHeaders.empty() || signature.empty())
    return coralError("IncompleteSignatureException", "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters.");
  size_t slash = credential.find('/');
  if (slash == std::string::npos) return signatureMismatch();
  std::string accessKey = credential.substr(0, slash), scope = credential.substr(slash + 1);
  const Credential* cred = nullptr;
  for (const auto& c : keys)
    if (c.accessKey == accessKey) cred = &c;
  if (!cred) return coralError("UnrecognizedClientException", "The security token included in the request is invalid.");
  const std::string* date = req.header("x-amz-date");
  if (!date) return signatureMismatch();
  if (signatureFor(req, cred->secretKey, *date, scope, signedHeaders) != signature) return signatureMismatch();
  return std::nullopt;
}

}  // namespace cdnlab::store
