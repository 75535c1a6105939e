// Built-in `normalize-query` (viewer-request): raises the hit ratio by making equivalent URLs
// one cache key. "?b=2&utm_source=x&a=1&fbclid=y&c=" becomes "a=1&b=2": parameters sorted by
// name (stable, so repeated names keep their order), tracking parameters and empty ones dropped.
// Values are kept byte for byte (no re-encoding), so the origin sees what the client sent.
#include <algorithm>
#include <string>
#include <vector>

#include "lambda/edge/functions/edge_json.h"
#include "lambda/edge/functions/functions.h"

namespace cdnlab::lambda::edge::functions {
namespace {

bool isTracking(std::string_view name) {
  static constexpr std::string_view kNames[] = {"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "_ga", "yclid", "igshid"};
  if (name.substr(0, 4) == "utm_") return true;
  return std::find(std::begin(kNames), std::end(kNames), name) != std::end(kNames);
}

}  // namespace

std::string normalizedQuery(std::string_view query) {
  std::vector<std::string_view> params;
  params.reserve(static_cast<size_t>(std::count(query.begin(), query.end(), '&')) + 1);  // one allocation
  size_t pos = 0;
  while (pos <= query.size()) {
    size_t end = query.find('&', pos);
    if (end == std::string_view::npos) end = query.size();
    std::string_view p = query.substr(pos, end - pos);
    std::string_view name = p.substr(0, p.find('='));
    bool empty = p.empty() || p.back() == '=';  // "c=" carries nothing; a bare "flag" does
    if (!empty && !isTracking(name)) params.push_back(p);
    pos = end + 1;
  }
  auto byName = [](std::string_view a, std::string_view b) { return a.substr(0, a.find('=')) < b.substr(0, b.find('=')); };
  if (params.size() <= 32) {
    // A typical query: an insertion sort (stable too) without std::stable_sort's buffer allocation.
    for (size_t i = 1; i < params.size(); ++i)
      for (size_t j = i; j > 0 && byName(params[j], params[j - 1]); --j) std::swap(params[j], params[j - 1]);
  } else {
    std::stable_sort(params.begin(), params.end(), byName);  // a long (hostile) one: n log n
  }
  std::string out;
  out.reserve(query.size());
  for (auto p : params) {
    if (!out.empty()) out += '&';
    out += p;
  }
  return out;
}

int normalizeQuery(const cdnlab_native_context* ctx, const char* event, size_t len, void*) {
  EdgeEventDoc doc;
  if (!doc.parse(ctx, event, len)) return CDNLAB_NATIVE_ERROR;
  rapidjson::Value& request = doc.request();
  if (request.HasMember("querystring") && request["querystring"].IsString()) {
    std::string q = normalizedQuery({request["querystring"].GetString(), request["querystring"].GetStringLength()});
    doc.setString(request, "querystring", q);
  }
  return EdgeEventDoc::answer(ctx, request);
}

}  // namespace cdnlab::lambda::edge::functions

namespace cdnlab::lambda::edge::functions {

int normalizeQueryTyped(RequestEdit& edit, void*) {
  edit.setQuerystring(normalizedQuery(edit.request().querystring));
  return CDNLAB_NATIVE_OK;
}

}  // namespace cdnlab::lambda::edge::functions
