// The factories of the built-in policies, one per file in policies/ (listed in registry.cc).
#pragma once

#include <memory>

#include "edge/cache/policy.h"

namespace cdnlab::edge::cache {

using PolicyMade = Result<std::unique_ptr<Policy>>;
PolicyMade makeLruPolicy(const PolicyConfig&);
PolicyMade makeFifoPolicy(const PolicyConfig&);
PolicyMade makeClockPolicy(const PolicyConfig&);
PolicyMade makeSievePolicy(const PolicyConfig&);
PolicyMade makeLfuPolicy(const PolicyConfig&);
PolicyMade makeSlruPolicy(const PolicyConfig&);
PolicyMade makeTwoQPolicy(const PolicyConfig&);
PolicyMade makeArcPolicy(const PolicyConfig&);
PolicyMade makeS3FifoPolicy(const PolicyConfig&);
PolicyMade makeWTinyLfuPolicy(const PolicyConfig&);
PolicyMade makeLirsPolicy(const PolicyConfig&);
PolicyMade makeGdsfPolicy(const PolicyConfig&);
PolicyMade makeBeladyPolicy(const PolicyConfig&);
PolicyMade makeBeladySizePolicy(const PolicyConfig&);

}  // namespace cdnlab::edge::cache
