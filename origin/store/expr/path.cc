// Document path printing and lookup in an item.
#include "origin/store/expr/path.h"

namespace cdnlab::store::expr {

std::string Path::toString() const {
  std::string out;
  for (const auto& e : elements) {
    if (e.isIndex()) {
      out += "[" + std::to_string(e.index) + "]";
    } else {
      if (!out.empty()) out += '.';
      out += e.name;
    }
  }
  return out;
}

}  // namespace cdnlab::store::expr
