// The factories of the built-in policies, one per file in policies/ (listed in registry.cc).
#pragma once

#include <memory>

#include "edge/cache/policy.h"

namespace cdnlab::edge::cache {

std::unique_ptr<Policy> makeLruPolicy();
std::unique_ptr<Policy> makeFifoPolicy();

}  // namespace cdnlab::edge::cache
