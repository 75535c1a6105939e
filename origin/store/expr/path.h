// Document paths (`a.b[3].c`, `#n.x`) after placeholder substitution: the common currency of
// projections, conditions and updates, and what UpdateOutcome reports for UPDATED_OLD/UPDATED_NEW.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace cdnlab::store::expr {

// One step of a path: a map key / top-level attribute name, or a list index.
struct PathElement {
  std::string name;    // when !isIndex()
  int64_t index = -1;  // >= 0 for a list index
  bool isIndex() const { return index >= 0; }
  friend bool operator==(const PathElement&, const PathElement&) = default;
};

struct Path {
  std::vector<PathElement> elements;  // never empty; elements[0] is a name

  const std::string& topLevel() const { return elements.front().name; }
  // "a.b[3].c" (names as resolved, not the #placeholders), for error messages and logs.
  std::string toString() const;
  friend bool operator==(const Path&, const Path&) = default;
};

}  // namespace cdnlab::store::expr
