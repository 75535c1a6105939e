// Built-in `redirect-by-country` (viewer-request): sends viewers from a country with its own
// site to that site's path prefix with a 302, as AWS's "redirect based on country" example does
// with the CloudFront-Viewer-Country header. Requests already under the prefix, and viewers from
// other countries (or unknown ones), go on unchanged.
#include <string>

#include "lambda/edge/functions/edge_json.h"
#include "lambda/edge/functions/functions.h"

namespace cdnlab::lambda::edge::functions {
namespace {

struct CountrySite {
  const char* country;  // ISO 3166-1 alpha-2
  const char* prefix;
};
constexpr CountrySite kSites[] = {{"DE", "/de"}, {"FR", "/fr"}, {"JP", "/ja"}, {"BR", "/br"},
                                  {"IN", "/in"}, {"AU", "/au"}, {"GB", "/uk"}};

}  // namespace

int redirectByCountry(const cdnlab_native_context* ctx, const char* event, size_t len, void*) {
  EdgeEventDoc doc;
  if (!doc.parse(ctx, event, len)) return CDNLAB_NATIVE_ERROR;
  rapidjson::Value& request = doc.request();
  auto country = EdgeEventDoc::header(request, "cloudfront-viewer-country");
  std::string_view uri = request.HasMember("uri") && request["uri"].IsString() ? request["uri"].GetString() : "/";
  if (country) {
    for (const CountrySite& site : kSites) {
      if (*country != site.country) continue;
      std::string_view prefix = site.prefix;
      bool under = uri.substr(0, prefix.size()) == prefix && (uri.size() == prefix.size() || uri[prefix.size()] == '/');
      if (under) break;
      std::string location = std::string(prefix) + std::string(uri);
      if (request.HasMember("querystring") && request["querystring"].IsString() && request["querystring"].GetStringLength() > 0) {
        location += "?";
        location += request["querystring"].GetString();
      }
      rapidjson::Value response = generatedResponse(doc, 302, "Found", "", "");
      doc.setHeader(response, "Location", location);
      doc.setHeader(response, "Cache-Control", "private, max-age=0");
      return EdgeEventDoc::answer(ctx, response);
    }
  }
  return EdgeEventDoc::answer(ctx, request);
}

}  // namespace cdnlab::lambda::edge::functions
