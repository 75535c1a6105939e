// Bracket-depth scan of a JSON text (see json_depth.h).
#include "common/json_depth.h"

namespace cdnlab {

bool jsonNestsDeeperThan(std::string_view text, int maxDepth) {
  if (maxDepth >= 0 && text.size() <= static_cast<size_t>(maxDepth)) return false;
  int depth = 0;
  bool inString = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (inString) {
      if (c == '\\') ++i;  // the escaped character cannot end the string
      else if (c == '"') inString = false;
      continue;
    }
    switch (c) {
      case '"': inString = true; break;
      case '[':
      case '{':
        if (++depth > maxDepth) return true;
        break;
      case ']':
      case '}':
        if (depth > 0) --depth;
        break;
      default: break;
    }
  }
  return false;
}

}  // namespace cdnlab
