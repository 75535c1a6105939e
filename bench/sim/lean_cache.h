// LeanCache: one simulated cache (an eviction policy from the registry + the simulator's lean
// index) that answers hit or miss for a dense object number, with libCacheSim's request
// semantics (edge/cache/policy.h's calling protocol). The topology replay keeps one per PoP.
// The index is two arrays indexed by object number: residency and the charged size (5 bytes
// per object of the trace), so a request costs no hash lookup.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/result.h"
#include "edge/cache/huge_pages.h"
#include "edge/cache/policy.h"

namespace cdnlab::sim {

class LeanCache {
 public:
  // A cache of `capacity` units (bytes, or objects when every size is 1) for objects numbered
  // 0 .. objects-1, evicting by `policySpec` ("lru", "s3fifo:small=0.2").
  static Result<LeanCache> make(const std::string& policySpec, uint64_t capacity, uint64_t objects);

  // One request: true on a hit. A miss inserts the object when the policy admits it and it fits.
  bool access(uint32_t obj, const edge::cache::Access& a) {
    if (resident_[obj]) {
      hit(obj, a);
      return true;
    }
    insert(obj, a);
    return false;
  }

  // The steps of access(), for callers that decide more than hit or miss (the topology
  // replay's TTLs: a stale object is found, then replaced by its refreshed copy).
  bool resident(uint32_t obj) const { return resident_[obj] != 0; }
  void hit(uint32_t obj, const edge::cache::Access& a) {
    policy_->onHit(obj, a);
    if (!policy_->dropped().empty()) settle();
  }
  // A miss for a non-resident object: admission, evictions, insertion.
  void insert(uint32_t obj, const edge::cache::Access& a) {
    using edge::cache::RemoveCause;
    const bool admitted = policy_->admit(a);
    if (!policy_->dropped().empty()) settle();
    if (admitted && a.size <= capacity_) {
      while (used_ - policy_->uncountedBytes() + a.size > capacity_ || policy_->evictionPending()) {
        auto v = policy_->victim();
        if (!v) break;  // the newcomer loses (GDSF): onInsert drops it again
        resident_[*v] = 0;
        used_ -= charged_[*v];
        policy_->onRemove(*v, RemoveCause::Size);
        if (!policy_->dropped().empty()) settle();
      }
      resident_[obj] = 1;
      charged_[obj] = uint32_t(a.size);
      used_ += a.size;
      policy_->onInsert(obj, a);
      if (!policy_->dropped().empty()) settle();
    }
  }
  // Takes a resident object out for `why` (Expired: past its use; Replaced: a refreshed copy
  // follows through insert(), as the live store replaces an entry after a 304).
  void remove(uint32_t obj, edge::cache::RemoveCause why) {
    if (!resident_[obj]) return;
    policy_->onRemove(obj, why);
    resident_[obj] = 0;
    used_ -= charged_[obj];
  }
  uint64_t used() const { return used_; }
  uint64_t capacity() const { return capacity_; }

 private:
  LeanCache(std::unique_ptr<edge::cache::Policy> p, uint64_t capacity, uint64_t objects)
      : policy_(std::move(p)), capacity_(capacity), charged_(objects, 0), resident_(objects, 0) {}
  void settle() {
    auto& dropped = policy_->dropped();
    for (edge::cache::ItemId d : dropped) {
      resident_[d] = 0;
      used_ -= charged_[d];
    }
    dropped.clear();
  }

  std::unique_ptr<edge::cache::Policy> policy_;
  uint64_t capacity_;
  uint64_t used_ = 0;
  edge::cache::HugePageVector<uint32_t> charged_;
  edge::cache::HugePageVector<uint8_t> resident_;
};

inline Result<LeanCache> LeanCache::make(const std::string& policySpec, uint64_t capacity, uint64_t objects) {
  auto made = edge::cache::makePolicy(policySpec, capacity);
  if (!made) return made.error();
  return LeanCache(std::move(*made), capacity, objects);
}

}  // namespace cdnlab::sim
