// A request path or route / resource path as its segments, the unit both routers match by: an
// HTTP API's route table and a REST API's resource tree.
#pragma once

#include <string_view>
#include <vector>

namespace cdnlab::gateway {

// "/a/b/c" -> {"a", "b", "c"}; "/" (or "") -> {}; a trailing slash gives a final "" ("/a/" ->
// {"a", ""}), so "/items/" is not "/items". Views into `path`; `out` is cleared first (a caller
// on the request path reuses one vector).
void splitPath(std::string_view path, std::vector<std::string_view>& out);

}  // namespace cdnlab::gateway
