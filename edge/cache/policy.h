// Eviction policies (docs/style.md, "Eviction policies"). A policy only orders items: the store owns
// the evict-until-fits loop, byte accounting and TTL expiry. Each store shard owns one policy
// instance and calls it under the shard's mutex, so a policy needs no locking of its own.
//
// Adding a policy (one page): write policies/<name>.cc with a class deriving from Policy that
// opens with its algorithm in pseudocode and its paper, declare its factory in
// policies/registry.cc's table, and the conformance suite in tests/edge/cache/ runs it.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace cdnlab::edge::cache {

// A compact id the store gives each item of a shard. Ids are dense (0 .. capacity of the
// shard's item table) and reused after onRemove, so a policy may keep its per-item state in a
// vector indexed by id.
using ItemId = uint32_t;

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
  // A new item (never seen, or its id was removed before). sizeBytes: its charged size.
  virtual void onInsert(ItemId id, uint64_t sizeBytes) = 0;
  // A lookup found the item.
  virtual void onHit(ItemId id) = 0;
  // The item leaves the store, whatever the cause (for Size it was named by victim()).
  // After this the id may be reused by onInsert.
  virtual void onRemove(ItemId id, RemoveCause cause) = 0;
  // Which item to evict next; nullopt when the policy holds no item. Must not change which
  // items the policy holds (the store calls onRemove(id, Size) next), but may update internal
  // state such as CLOCK / SIEVE hands or second-chance bits.
  virtual std::optional<ItemId> victim() = 0;
};

// The registry: every policy by name, in one table (policies/registry.cc).
struct PolicyInfo {
  std::string_view name;
  std::string_view summary;
  std::unique_ptr<Policy> (*make)();
};
const std::vector<PolicyInfo>& policies();
// Unknown names are an error naming the known ones.
Result<std::unique_ptr<Policy>> makePolicy(std::string_view name);

}  // namespace cdnlab::edge::cache
