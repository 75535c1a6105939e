// The version string printed by `cdnlab --version` and sent in `Server:` headers.
#pragma once

namespace cdnlab {
const char* versionString();
}  // namespace cdnlab
