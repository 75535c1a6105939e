// The one table of eviction policies by name (docs/style.md: registered by name in one table). The
// topology loader, `cdnlab sim` and the docs take their lists from here.
// To add a policy: write policies/<name>.cc, declare its factory in registry.h, add a row here.
#include "edge/cache/policies/registry.h"

#include <string>

namespace cdnlab::edge::cache {

const std::vector<PolicyInfo>& policies() {
  static const std::vector<PolicyInfo> kTable = {
      {"lru", "least recently used", "", false, true, &makeLruPolicy},
      {"fifo", "first in, first out (hits do not reorder)", "", false, true, &makeFifoPolicy},
      {"clock", "FIFO with second chance (CLOCK)", "bits=1 (frequency counter bits)", false, true, &makeClockPolicy},
      {"sieve", "SIEVE: FIFO with a hand that skips visited items", "", false, true, &makeSievePolicy},
      {"lfu", "least frequently used, FIFO among equal counts", "", false, true, &makeLfuPolicy},
      {"slru", "segmented LRU, promotion one segment per hit", "segments=4", false, false, &makeSlruPolicy},
      {"2q", "2Q: FIFO A1in, ghost A1out, LRU Am", "in=0.25, out=0.5 (fractions of the capacity)", false, true,
       &makeTwoQPolicy},
      {"arc", "adaptive replacement cache (T1/T2 + ghosts B1/B2)", "", false, true, &makeArcPolicy},
      {"s3fifo", "S3-FIFO: small FIFO + main CLOCK + ghost FIFO",
       "small=0.1, ghost=0.9 (fractions of the capacity), threshold=2 (hits to move to main)", false, true,
       &makeS3FifoPolicy},
      {"wtinylfu", "W-TinyLFU: window LRU + frequency-sketch admission + segmented main (Caffeine)",
       "window=0.01 (fraction of the capacity)", false, false, &makeWTinyLfuPolicy},
      {"lirs", "LIRS: low inter-reference recency set (LIR stack S + resident HIR queue Q)",
       "hir=0.01 (HIR share of the capacity)", false, false, &makeLirsPolicy},
      {"gdsf", "Greedy-Dual-Size-Frequency: evict the lowest L + frequency / size", "", false, true, &makeGdsfPolicy},
      {"belady", "offline optimal for unit sizes: evict the farthest next access", "", true, false, &makeBeladyPolicy},
      {"belady-size", "offline, size-aware: evict the largest next-access distance x size (sampled)",
       "samples=128, seed=1804289383 (of the random draws)", true, false, &makeBeladySizePolicy},
  };
  return kTable;
}

const PolicyInfo* findPolicy(std::string_view name) {
  for (const PolicyInfo& p : policies())
    if (p.name == name) return &p;
  return nullptr;
}

std::string policyNames(bool includeOffline) {
  std::string known;
  for (const PolicyInfo& p : policies()) {
    if (p.offline && !includeOffline) continue;
    if (!known.empty()) known += ", ";
    known += p.name;
  }
  return known;
}

Result<PolicySpec> checkPolicySpec(std::string_view text, bool online) {
  auto spec = parsePolicySpec(text);
  if (!spec) return spec.error();
  const PolicyInfo* info = findPolicy(spec->name);
  if (!info)
    return Error{0, "unknown eviction policy '" + spec->name + "' (known: " + policyNames(!online) + ")"};
  if (online && info->offline)
    return Error{0, "eviction policy '" + spec->name + "' needs the future (simulator only; live: " +
                        policyNames(false) + ")"};
  // Build one with a nominal capacity to validate the parameters.
  auto made = info->make(PolicyConfig{1u << 20, *spec});
  if (!made) return made.error();
  return spec;
}

Result<std::unique_ptr<Policy>> makePolicy(std::string_view text, uint64_t capacity) {
  auto spec = parsePolicySpec(text);
  if (!spec) return spec.error();
  const PolicyInfo* info = findPolicy(spec->name);
  if (!info) return Error{0, "unknown eviction policy '" + spec->name + "' (known: " + policyNames() + ")"};
  return info->make(PolicyConfig{capacity, *spec});
}

std::string_view removeCauseName(RemoveCause c) {
  switch (c) {
    case RemoveCause::Explicit: return "explicit";
    case RemoveCause::Replaced: return "replaced";
    case RemoveCause::Expired: return "expired";
    case RemoveCause::Size: return "size";
  }
  return "?";
}

}  // namespace cdnlab::edge::cache
