// Eviction policies (docs/style.md, "Eviction policies"). A policy only orders items: the store (or the
// simulator) owns the index, the evict-until-fits loop, byte accounting and TTL expiry. Each
// store shard owns one policy instance and calls it under the shard's mutex, so a policy needs no
// locking of its own. The live PoP and `cdnlab sim` run the same classes.
//
// The calling protocol, per request (the same as libCacheSim's cache_get_base, so that miss
// counts match it exactly):
//
//   hit:   onHit(id, access)
//   miss:  admitted = admit(access); the items in dropped() leave the store
//          if admitted and access.size <= capacity:
//            while used + access.size > capacity:
//              v = victim(); if none: stop (the newcomer itself loses, see victim())
//              onRemove(v, Size)
//            onInsert(id, access)
//   after onHit / onInsert: the items in dropped() leave the store too (see below)
//
// Adding a policy (one page): write policies/<name>.cc with a class deriving from Policy that
// opens with its algorithm in pseudocode and its paper, add its row to policies/registry.cc,
// and the conformance suite in tests/edge/cache/ runs it.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace cdnlab::edge::cache {

// A compact id the store gives each item. Ids are dense (0 .. number of items) and reused after
// the item leaves, so a policy may keep its per-item state in a vector indexed by id.
using ItemId = uint32_t;

// What a policy learns about one request for an item.
struct Access {
  uint64_t key = 0;   // stable object identity (the key hash): ghost queues recognise it
  uint64_t size = 1;  // charged size (1 per object when the cache counts objects)
  // Offline policies only (Belady): the request index of the next request for the same object,
  // kNever when there is none or it is unknown (the live store never knows it).
  static constexpr int64_t kNever = INT64_MAX;
  int64_t nextAccess = kNever;
  int64_t now = 0;  // the request's own index (offline policies measure distances from it)
};

enum class RemoveCause {
  Explicit,  // purge / remove
  Replaced,  // a newer response for the same key and variant
  Expired,   // past its useful lifetime (lazily on lookup or by sweep)
  Size,      // evicted to make room (the policy named it in victim())
};
std::string_view removeCauseName(RemoveCause c);

class Policy {
 public:
  virtual ~Policy() = default;
  virtual std::string_view name() const = 0;
  // A miss for `a` (called for every miss, before the store decides to insert). Returns false
  // when the policy will not take the object (W-TinyLFU's admission filter, an object larger
  // than S3-FIFO's small queue); may update state such as ghost hits or frequency sketches.
  virtual bool admit(const Access& a) {
    (void)a;
    return true;
  }
  // A new item (never seen, or its id was removed before); there is room for it.
  virtual void onInsert(ItemId id, const Access& a) = 0;
  // A lookup found the item.
  virtual void onHit(ItemId id, const Access& a) = 0;
  // The item leaves the store, whatever the cause (for Size it was named by victim()).
  // After this the id may be reused by onInsert. Not called for the items in dropped().
  virtual void onRemove(ItemId id, RemoveCause cause) = 0;
  // Which item to evict next; nullopt when the policy holds no item, or when the newcomer of
  // the current miss ranks below every item (GDSF: libCacheSim inserts first and evicts the
  // lowest, which can be the newcomer): the caller stops evicting and inserts it, and the
  // policy names it in dropped() from onInsert. Must not change which
  // items the policy holds (the store calls onRemove(id, Size) next), but may update internal
  // state such as CLOCK / SIEVE hands, second-chance bits or S3-FIFO's small-to-main moves.
  virtual std::optional<ItemId> victim() = 0;

  // Items the policy let go of by itself during admit / onHit / onInsert (LIRS evicting on
  // admission, SLRU demoting out of its last segment on a hit, 2Q's main LRU making room on a
  // ghost hit, S3-FIFO declining an object the size of its small queue). The caller removes them from its index and clears the list.
  std::vector<ItemId>& dropped() { return dropped_; }
  // Bytes of resident items that the caller charged but the policy does not count against the
  // capacity (negative: it counts more). The simulator evicts while charged - uncountedBytes()
  // + the newcomer exceeds the capacity, as libCacheSim compares its own count. Only LIRS
  // differs (libCacheSim's LIRS.c forgets a block it keeps, and counts a returning ghost at its
  // remembered size); the live store counts what it holds.
  virtual int64_t uncountedBytes() const { return 0; }
  // True while the policy's eviction round is not over, even if the newcomer would fit now:
  // libCacheSim's W-TinyLFU evicts until an object leaves its window (a window object moved
  // into main in place of main's victim does not end the round). The simulator then asks for
  // another victim(); the live store stops when the newcomer fits.
  virtual bool evictionPending() const { return false; }

 protected:
  void drop(ItemId id) { dropped_.push_back(id); }

 private:
  std::vector<ItemId> dropped_;
};

// Per-policy parameters: `s3fifo:small=0.1,ghost=0.9` is the policy s3fifo with two parameters.
struct PolicySpec {
  std::string name;
  std::map<std::string, std::string, std::less<>> params;
  std::string text() const;  // back to "name:k=v,..."
};
Result<PolicySpec> parsePolicySpec(std::string_view text);

// What a factory gets: the capacity it manages (bytes, or objects when every size is 1) and the
// parameters. Unknown parameter names and bad values are errors.
struct PolicyConfig {
  uint64_t capacity = 0;
  PolicySpec spec;
};

// The registry: every policy by name, in one table (policies/registry.cc). The topology loader,
// the CLI and the docs list names from here.
struct PolicyInfo {
  std::string_view name;
  std::string_view summary;
  std::string_view params;  // "small=0.1 (fraction of the capacity), ..." or ""
  bool offline;             // needs the trace's next-access times: simulator only
  // onHit only reorders: it never lets an item go (dropped() stays empty) and no lookup's
  // outcome depends on it, so the live store may queue a shard's hits and hand them over in
  // a batch, in order, before the policy's next other call (store.cc, "Deferred hits"): the
  // same calls in the same order, so the same evictions. False for SLRU (a hit can demote an
  // item out of the cache), W-TinyLFU (its main SLRU) and LIRS.
  bool hitsOnlyReorder;
  Result<std::unique_ptr<Policy>> (*make)(const PolicyConfig&);
};
const std::vector<PolicyInfo>& policies();
const PolicyInfo* findPolicy(std::string_view name);
// Every name, comma separated (for error messages and help texts).
std::string policyNames(bool includeOffline = true);
// Unknown names and parameters are errors naming the known ones. `spec` is "name[:k=v,...]".
Result<std::unique_ptr<Policy>> makePolicy(std::string_view spec, uint64_t capacity);
// Checks a spec without building the policy (names, parameter names and values). online: only
// policies the live store can run (no offline ones).
Result<PolicySpec> checkPolicySpec(std::string_view spec, bool online);

}  // namespace cdnlab::edge::cache
