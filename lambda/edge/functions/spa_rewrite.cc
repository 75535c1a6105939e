// Built-in `spa-rewrite` (viewer-request or origin-request): the directory index and single-page
// app fallback that a static site behind a CDN needs, after AWS's "add index.html to URLs"
// example: "/docs/" -> "/docs/index.html"; a path whose last segment has no extension (an app
// route such as "/settings/profile") -> "/index.html"; files ("/app.js") are left alone.
#include <string>

#include "lambda/edge/functions/edge_json.h"
#include "lambda/edge/functions/functions.h"

namespace cdnlab::lambda::edge::functions {

int spaRewrite(const cdnlab_native_context* ctx, const char* event, size_t len, void*) {
  EdgeEventDoc doc;
  if (!doc.parse(ctx, event, len)) return CDNLAB_NATIVE_ERROR;
  rapidjson::Value& request = doc.request();
  std::string uri = request.HasMember("uri") && request["uri"].IsString() ? request["uri"].GetString() : "/";
  if (!uri.empty() && uri.back() == '/') {
    doc.setString(request, "uri", uri + "index.html");
  } else {
    std::string_view last = std::string_view(uri).substr(uri.rfind('/') + 1);
    if (last.find('.') == std::string_view::npos) doc.setString(request, "uri", "/index.html");
  }
  return EdgeEventDoc::answer(ctx, request);
}

std::string spaRewrittenUri(std::string_view uri) {
  if (!uri.empty() && uri.back() == '/') return std::string(uri) + "index.html";
  std::string_view last = uri.substr(uri.rfind('/') + 1);
  return last.find('.') == std::string_view::npos ? "/index.html" : std::string(uri);
}

int spaRewriteTyped(RequestEdit& edit, void*) {
  edit.setUri(spaRewrittenUri(edit.request().uri));
  return CDNLAB_NATIVE_OK;
}

}  // namespace cdnlab::lambda::edge::functions
