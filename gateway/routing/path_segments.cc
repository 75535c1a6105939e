// Path segments (see path_segments.h).
#include "gateway/routing/path_segments.h"

namespace cdnlab::gateway {

void splitPath(std::string_view path, std::vector<std::string_view>& out) {
  out.clear();
  if (path.empty() || path == "/") return;
  size_t i = path[0] == '/' ? 1 : 0;
  while (true) {
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) {
      out.push_back(path.substr(i));
      return;
    }
    out.push_back(path.substr(i, j - i));
    i = j + 1;
  }
}

}  // namespace cdnlab::gateway
