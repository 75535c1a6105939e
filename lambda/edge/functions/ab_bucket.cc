// Built-in `ab-bucket` (viewer-request): A/B testing at the edge, after AWS's "A/B testing"
// example. The bucket ("a" or "b") comes from the viewer's `ab-bucket` cookie, or, for a new
// viewer, from a stable hash of the client address (so a viewer does not flip between requests).
// It goes into the query string (`ab=a`), which is part of the cache key: each bucket gets its
// own cached copy, and the origin sees which variant to serve; X-Ab-Bucket carries it too.
#include <string>

#include "lambda/edge/functions/edge_json.h"
#include "lambda/edge/functions/functions.h"

namespace cdnlab::lambda::edge::functions {
namespace {

// The value of cookie `name` in a Cookie header ("a=1; ab-bucket=b"), if present.
std::optional<std::string_view> cookieValue(std::string_view cookies, std::string_view name) {
  size_t pos = 0;
  while (pos < cookies.size()) {
    size_t end = cookies.find(';', pos);
    std::string_view pair = cookies.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    size_t eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == name) return pair.substr(eq + 1);
    if (end == std::string_view::npos) break;
    pos = end + 1;
  }
  return std::nullopt;
}

}  // namespace

int abBucket(const cdnlab_native_context* ctx, const char* event, size_t len, void*) {
  EdgeEventDoc doc;
  if (!doc.parse(ctx, event, len)) return CDNLAB_NATIVE_ERROR;
  rapidjson::Value& request = doc.request();
  char bucketChar = 0;
  if (auto cookie = EdgeEventDoc::header(request, "cookie")) {
    if (auto v = cookieValue(*cookie, "ab-bucket"); v && (*v == "a" || *v == "b")) bucketChar = (*v)[0];
  }
  if (bucketChar == 0) {
    // FNV-1a over the address: stable per viewer, no state at the edge.
    std::string_view ip = request.HasMember("clientIp") && request["clientIp"].IsString() ? request["clientIp"].GetString() : "";
    uint32_t h = 2166136261u;
    for (char c : ip) h = (h ^ static_cast<unsigned char>(c)) * 16777619u;
    bucketChar = (h & 1) ? 'b' : 'a';
  }
  const std::string_view bucket(&bucketChar, 1);
  std::string_view old = request.HasMember("querystring") && request["querystring"].IsString()
                             ? std::string_view(request["querystring"].GetString(), request["querystring"].GetStringLength())
                             : std::string_view();
  std::string query;
  query.reserve(old.size() + 8);
  query.append(old);
  if (!old.empty()) query.push_back('&');
  query.append("ab=");
  query.append(bucket);
  doc.setString(request, "querystring", query);
  doc.setHeader(request, "X-Ab-Bucket", bucket);
  return EdgeEventDoc::answer(ctx, request);
}

}  // namespace cdnlab::lambda::edge::functions
