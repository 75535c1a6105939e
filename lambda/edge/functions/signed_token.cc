// Built-in `signed-token` (viewer-request): only requests carrying a valid, unexpired signature
// get through, as with CloudFront signed URLs but with a shared secret (HMAC-SHA256, OpenSSL):
//   /obj/1?expires=1767225600&signature=<hex HMAC-SHA256(secret, "/obj/1?expires=1767225600")>
// Missing, malformed, wrong or expired -> a generated 403 (never cached, never sent upstream).
// Valid -> both parameters are removed, so every signed URL of one object shares a cache entry.
// The secret is read from CDNLAB_EDGE_TOKEN_SECRET when the function first runs; the comparison
// is constant-time (CRYPTO_memcmp) so the signature cannot be guessed byte by byte.
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstdlib>
#include <ctime>
#include <string>
#include <vector>

#include "common/parse_integer.h"
#include "lambda/edge/functions/edge_json.h"
#include "lambda/edge/functions/functions.h"

namespace cdnlab::lambda::edge::functions {
namespace {

int forbidden(const cdnlab_native_context* ctx, EdgeEventDoc& doc, std::string_view why) {
  rapidjson::Value response = generatedResponse(doc, 403, "Forbidden", std::string(why) + "\n", "text/plain");
  doc.setHeader(response, "Cache-Control", "no-store");
  return EdgeEventDoc::answer(ctx, response);
}

}  // namespace

std::string tokenSignature(std::string_view secret, std::string_view uri, std::string_view expires) {
  std::string message = std::string(uri) + "?expires=" + std::string(expires);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int macLen = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()), reinterpret_cast<const unsigned char*>(message.data()),
       message.size(), mac, &macLen);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < macLen; ++i) {
    hex += kHex[mac[i] >> 4];
    hex += kHex[mac[i] & 15];
  }
  return hex;
}

int signedToken(const cdnlab_native_context* ctx, const char* event, size_t len, void*) {
  static const std::string secret = [] {
    const char* s = std::getenv(kTokenSecretEnv);
    return std::string(s ? s : "");
  }();
  EdgeEventDoc doc;
  if (!doc.parse(ctx, event, len)) return CDNLAB_NATIVE_ERROR;
  if (secret.empty()) return fail(ctx, "ConfigurationError", "signed-token: CDNLAB_EDGE_TOKEN_SECRET is not set");
  rapidjson::Value& request = doc.request();
  std::string uri = request.HasMember("uri") && request["uri"].IsString() ? request["uri"].GetString() : "/";
  std::string query = request.HasMember("querystring") && request["querystring"].IsString() ? request["querystring"].GetString() : "";

  std::string expires, signature;
  std::vector<std::string_view> rest;
  std::string_view q = query;
  size_t pos = 0;
  while (pos < q.size()) {
    size_t end = q.find('&', pos);
    if (end == std::string_view::npos) end = q.size();
    std::string_view p = q.substr(pos, end - pos);
    if (p.substr(0, 8) == "expires=") expires = std::string(p.substr(8));
    else if (p.substr(0, 10) == "signature=") signature = std::string(p.substr(10));
    else if (!p.empty()) rest.push_back(p);
    pos = end + 1;
  }
  if (expires.empty() || signature.empty()) return forbidden(ctx, doc, "missing expires or signature");
  if (expires.size() > 12 || expires.find_first_not_of("0123456789") != std::string::npos) {
    return forbidden(ctx, doc, "malformed expires");
  }
  std::string want = tokenSignature(secret, uri, expires);
  if (signature.size() != want.size() || CRYPTO_memcmp(signature.data(), want.data(), want.size()) != 0) {
    return forbidden(ctx, doc, "bad signature");
  }
  if (parseInteger<long long>(expires).value_or(0) < static_cast<long long>(std::time(nullptr)))  // <= 12 digits
    return forbidden(ctx, doc, "expired");

  std::string kept;
  for (auto p : rest) {
    if (!kept.empty()) kept += '&';
    kept += p;
  }
  doc.setString(request, "querystring", kept);
  return EdgeEventDoc::answer(ctx, request);
}

}  // namespace cdnlab::lambda::edge::functions
