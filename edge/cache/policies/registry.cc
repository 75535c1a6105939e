// The one table of eviction policies by name (docs/style.md: registered by name in one table).
// To add a policy: write policies/<name>.cc, declare its factory in registry.h, add a row here.
#include "edge/cache/policies/registry.h"

#include <string>

namespace cdnlab::edge::cache {

const std::vector<PolicyInfo>& policies() {
  static const std::vector<PolicyInfo> kTable = {
      {"lru", "least recently used", &makeLruPolicy},
      {"fifo", "first in, first out (hits do not reorder)", &makeFifoPolicy},
  };
  return kTable;
}

Result<std::unique_ptr<Policy>> makePolicy(std::string_view name) {
  std::string known;
  for (const PolicyInfo& p : policies()) {
    if (p.name == name) return p.make();
    if (!known.empty()) known += ", ";
    known += p.name;
  }
  return Error{0, "unknown eviction policy '" + std::string(name) + "' (known: " + known + ")"};
}

std::string_view removeCauseName(RemoveCause c) {
  switch (c) {
    case RemoveCause::Explicit: return "explicit";
    case RemoveCause::Replaced: return "replaced";
    case RemoveCause::Expired: return "expired";
    case RemoveCause::Size: return "size";
  }
  return "?";
}

}  // namespace cdnlab::edge::cache
