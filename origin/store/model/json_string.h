// Writing a JSON string through RapidJSON's Writer without its per-character escaping loop: a
// string with nothing to escape (no control character, '"' or '\\', RapidJSON's whole escape set
// for UTF-8 output) is copied with one memcpy between its quotes; any other goes through
// Writer::String as before. The output is byte for byte what Writer::String writes.
#pragma once

#include <string_view>

#include "origin/store/model/json.h"

namespace cdnlab::store {

// True when Writer::String would escape a byte of `s`.
bool jsonStringNeedsEscape(std::string_view s);

// Writes `s` as a JSON string (a value, or a member name where the writer expects one).
void writeJsonString(JsonWriter& out, std::string_view s);

}  // namespace cdnlab::store
