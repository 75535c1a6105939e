// libFuzzer target for the catalog config reader (origin/catalog/catalog_config.h): any YAML
// text must load or give errors, never crash or hang; so must the UTC timestamp parser.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "origin/catalog/catalog_config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto c = cdnlab::origin::catalog::loadCatalogConfigString(text, "fuzz.yaml");
  if (!c) (void)cdnlab::config::formatErrors(c.errors());
  (void)cdnlab::origin::catalog::parseUtcTimestamp(text);
  return 0;
}
