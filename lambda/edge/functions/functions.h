// The built-in Lambda@Edge teaching functions, each a cdnlab_native_handler in its own file.
// They take and return CloudFront's event shapes, so a lab can compare each with the Node.js
// version in AWS's documentation. lambda/native/builtins.cc registers them by name.
#pragma once

#include <string>
#include <string_view>

#include "lambda/edge/request_edit.h"
#include "lambda/native/cdnlab_native.h"

namespace cdnlab::lambda::edge::functions {

// origin-response (or viewer-response): adds HSTS, CSP, X-Content-Type-Options, X-Frame-Options,
// Referrer-Policy, X-XSS-Protection to the response.
int securityHeaders(const cdnlab_native_context* ctx, const char* event, size_t len, void*);
// viewer-request: 302 to the country's site (/de/..., /fr/...) using CloudFront-Viewer-Country,
// which the PoP fills from its geo database.
int redirectByCountry(const cdnlab_native_context* ctx, const char* event, size_t len, void*);
// viewer-request: A/B bucket from the `ab-bucket` cookie (or a stable hash of the client address),
// put into the query string (so the cache keeps one copy per bucket) and X-Ab-Bucket.
int abBucket(const cdnlab_native_context* ctx, const char* event, size_t len, void*);
// viewer-request / origin-request: "/docs/" -> "/docs/index.html"; an extension-less path (a
// single-page app's route) -> "/index.html".
int spaRewrite(const cdnlab_native_context* ctx, const char* event, size_t len, void*);
// viewer-request: sorts query parameters and drops tracking ones (utm_*, fbclid, gclid, ...) and
// empty ones, so equivalent URLs share one cache entry.
int normalizeQuery(const cdnlab_native_context* ctx, const char* event, size_t len, void*);
// viewer-request: requires ?expires=<unix>&signature=<hex HMAC-SHA256(secret, uri + "?expires=" +
// expires)>; 403 when missing, wrong or expired; strips both parameters when valid.
int signedToken(const cdnlab_native_context* ctx, const char* event, size_t len, void*);

// Typed entry points (request_edit.h) of the request-trigger built-ins: the same answers as the
// JSON handlers above, without an event to parse or a result to write. The PoP calls these.
int normalizeQueryTyped(RequestEdit& edit, void*);
int spaRewriteTyped(RequestEdit& edit, void*);

// The pure parts, for tests and docs.
std::string spaRewrittenUri(std::string_view uri);
std::string normalizedQuery(std::string_view query);
// Lowercase hex HMAC-SHA256(secret, uri + "?expires=" + expires).
std::string tokenSignature(std::string_view secret, std::string_view uri, std::string_view expires);
// The environment variable signed-token reads its secret from (unset: every request fails 5xx).
inline constexpr const char* kTokenSecretEnv = "CDNLAB_EDGE_TOKEN_SECRET";

}  // namespace cdnlab::lambda::edge::functions
