// libFuzzer target for the gateway's OpenAPI importer (gateway/openapi/importer.h): the document
// `import-api --body` and `cdnlab gateway --api` load is hostile (YAML or JSON, any nesting,
// anchors, any types where a string is expected). Any input gives an API or an error that names
// the source, never a crash, hang or sanitizer report; an imported API's routes have a key and
// point at an integration that exists.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "gateway/openapi/importer.h"

using namespace cdnlab::gateway;

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto api = importOpenApi(text, "fuzz.yaml");
  if (!api.ok()) {
    check(api.error().message.find("fuzz.yaml") != std::string::npos);
    return 0;
  }
  for (const Route& r : api->routes) {
    check(!r.routeKey.empty());
    if (r.target.empty()) continue;
    constexpr std::string_view kPrefix = "integrations/#";
    check(r.target.starts_with(kPrefix));
    size_t n = std::stoul(r.target.substr(kPrefix.size()));
    check(n < api->integrations.size());
  }
  return 0;
}
