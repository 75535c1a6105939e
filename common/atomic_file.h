// Replacing a file so that a crash leaves either the old or the new contents, never a mix:
// write a sibling temporary file, fsync it, rename it over the target. Used by everything that
// persists small state documents (the gateway's APIs, its REST APIs and usage plans).
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace cdnlab {

// Writes `text` to `path` atomically. Error code 500 with "<file>: <reason>" on failure.
Result<bool> writeFileAtomically(const std::string& path, std::string_view text);

}  // namespace cdnlab
