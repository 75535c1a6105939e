// ItemCache: the stored bytes of recently read items, in front of RocksDB's point read. Perf on
// YCSB showed a GetItem's largest CPU cost in the memtable's skip list (a cache miss per level
// over nodes that hold whole items); a hash lookup here skips it for hot items.
//
// Coherence: every write goes through Engine::write, which calls beginWrite() for the batch's keys
// before RocksDB applies it and endWrite() after. Both bump the generation of each touched shard;
// a reader that missed takes the generation before its RocksDB read and may insert only if it is
// unchanged, so a value read before a write can never be cached after it. endWrite() replaces a
// cached item with its new bytes (or drops it when deleted); a range delete clears everything.
#pragma once

#include <rocksdb/write_batch.h>

#include <array>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace cdnlab::store {

class ItemCache {
 public:
  explicit ItemCache(size_t capacityBytes) : shardCapacity_(capacityBytes / kShards) {}
  bool enabled() const { return shardCapacity_ > 0; }

  // Only item records ('i' prefix) are cached; everything else is read from RocksDB each time.
  static bool cacheable(std::string_view key) { return !key.empty() && key[0] == 'i'; }

  bool get(std::string_view key, std::string* value);
  uint64_t generation(std::string_view key);
  // Caches `value` unless a write touched the key's shard since `generation` was taken.
  void insertIfUnchanged(std::string_view key, std::string_view value, uint64_t generation);

  // Around RocksDB's Write() of `batch`; `applied` says whether it succeeded (if not, the batch's
  // keys are dropped rather than replaced).
  void beginWrite(const rocksdb::WriteBatch& batch);
  void endWrite(const rocksdb::WriteBatch& batch, bool applied);

  size_t bytes();  // for tests

 private:
  static constexpr size_t kShards = 64;
  // Transparent hash: lookups by string_view without building a key string.
  struct KeyHash {
    using is_transparent = void;
    size_t operator()(std::string_view k) const;
  };
  struct Shard {
    std::mutex mu;
    std::unordered_map<std::string, std::string, KeyHash, std::equal_to<>> items;
    size_t bytes = 0;
    uint64_t generation = 0;
  };
  Shard& shardOf(std::string_view key);
  enum class Phase { Before, Applied, Failed };
  void applyWrite(const rocksdb::WriteBatch& batch, Phase phase);
  void evictLocked(Shard& s);
  void clearAll();

  size_t shardCapacity_;
  std::array<Shard, kShards> shards_;
};

}  // namespace cdnlab::store
