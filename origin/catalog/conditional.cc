#include "origin/catalog/conditional.h"

namespace cdnlab::origin::catalog {
namespace {

// The opaque part of an entity-tag, without W/ (weak comparison, RFC 9110 8.8.3.2).
std::string_view opaque(std::string_view tag) {
  if (tag.size() >= 2 && tag[0] == 'W' && tag[1] == '/') tag.remove_prefix(2);
  return tag;
}

}  // namespace

bool ifNoneMatchMatches(std::string_view list, std::string_view etag) {
  list = http::trimOws(list);
  if (list == "*") return true;
  std::string_view want = opaque(etag);
  // entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE, separated by commas and optional whitespace.
  // Parse by quotes, not by commas: etagc cannot contain '"', but it can contain ','.
  size_t i = 0;
  while (i < list.size()) {
    while (i < list.size() && (list[i] == ' ' || list[i] == '\t' || list[i] == ',')) ++i;
    if (i >= list.size()) break;
    size_t start = i;
    if (list.compare(i, 2, "W/") == 0) i += 2;
    if (i >= list.size() || list[i] != '"') return false;
    size_t close = list.find('"', i + 1);
    if (close == std::string_view::npos) return false;
    std::string_view tag = list.substr(start, close + 1 - start);
    if (opaque(tag) == want) return true;
    i = close + 1;
  }
  return false;
}

bool notModified(const http::Headers& headers, std::string_view etag, std::time_t lastModified) {
  if (headers.has("If-None-Match")) return ifNoneMatchMatches(headers.getAll("If-None-Match"), etag);
  auto ims = headers.get("If-Modified-Since");
  if (!ims) return false;
  auto since = http::parseHttpDate(*ims);
  if (!since) return false;  // an invalid date is ignored (RFC 9110 13.1.3)
  return lastModified <= *since;
}

}  // namespace cdnlab::origin::catalog
