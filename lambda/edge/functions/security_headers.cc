// Built-in `security-headers` (origin-response): the security headers of AWS's "Adding HTTP
// security headers" example. At origin-response the PoP caches the result, so the function runs
// once per fill, not once per hit.
#include "lambda/edge/functions/edge_json.h"
#include "lambda/edge/functions/functions.h"

namespace cdnlab::lambda::edge::functions {

int securityHeaders(const cdnlab_native_context* ctx, const char* event, size_t len, void*) {
  EdgeEventDoc doc;
  if (!doc.parse(ctx, event, len)) return CDNLAB_NATIVE_ERROR;
  rapidjson::Value* response = doc.response();
  if (response == nullptr) return fail(ctx, "InvalidTrigger", "security-headers runs at origin-response or viewer-response");
  doc.setHeader(*response, "Strict-Transport-Security", "max-age=63072000; includeSubdomains; preload");
  doc.setHeader(*response, "Content-Security-Policy",
                "default-src 'none'; img-src 'self'; script-src 'self'; style-src 'self'; object-src 'none'");
  doc.setHeader(*response, "X-Content-Type-Options", "nosniff");
  doc.setHeader(*response, "X-Frame-Options", "DENY");
  doc.setHeader(*response, "X-XSS-Protection", "1; mode=block");
  doc.setHeader(*response, "Referrer-Policy", "same-origin");
  return EdgeEventDoc::answer(ctx, *response);
}

}  // namespace cdnlab::lambda::edge::functions
