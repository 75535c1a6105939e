// libFuzzer target for the topology reader (geo/topology.h): any YAML text must load or give
// errors naming file, line and field, never crash or hang.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "geo/topology.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto t = cdnlab::geo::loadTopologyString(text, "fuzz.yaml");
  if (!t) (void)cdnlab::config::formatErrors(t.errors());
  return 0;
}
