// The version string printed by `cdnlab --version` and sent in `Server:` headers.
#include "common/version.h"

namespace cdnlab {
const char* versionString() { return "cdnlab/0.1.0"; }
}  // namespace cdnlab
