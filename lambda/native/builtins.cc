// The table of compiled-in native functions.
#include "lambda/native/builtins.h"

#include "common/log.h"
#include "lambda/edge/functions/functions.h"
#include "lambda/native/builtin/builtin.h"
#include "lambda/native/registry.h"

namespace cdnlab::lambda::native {

namespace {
constexpr BuiltinSpec kBuiltins[] = {
    {"echo", &builtin::echo, "answers with the event it was given", nullptr},
    // Lambda@Edge teaching functions (lambda/edge/functions/), by the trigger they are made for.
    {"security-headers", &edge::functions::securityHeaders, "origin-response: adds HSTS, CSP and friends", nullptr},
    {"redirect-by-country", &edge::functions::redirectByCountry, "viewer-request: 302 to the viewer country's site", nullptr},
    {"ab-bucket", &edge::functions::abBucket, "viewer-request: A/B bucket from a cookie, into the cache key", nullptr},
    {"spa-rewrite", &edge::functions::spaRewrite, "viewer-request: directory index and single-page-app fallback",
     &edge::functions::spaRewriteTyped},
    {"normalize-query", &edge::functions::normalizeQuery, "viewer-request: sort and drop query parameters",
     &edge::functions::normalizeQueryTyped},
    {"signed-token", &edge::functions::signedToken, "viewer-request: HMAC-signed URLs, 403 otherwise", nullptr},
};
}  // namespace

std::span<const BuiltinSpec> builtinTable() { return kBuiltins; }

void addBuiltins(Registry& registry) {
  for (const BuiltinSpec& spec : builtinTable()) {
    NativeFunction fn;
    fn.name = spec.name;
    fn.handler = spec.handler;
    fn.edgeRequest = spec.edgeRequest;
    fn.source = "builtin";
    auto added = registry.add(std::move(fn));
    if (!added.ok()) LOG_ERROR("native built-in: %s", added.error().message.c_str());
  }
}

}  // namespace cdnlab::lambda::native
