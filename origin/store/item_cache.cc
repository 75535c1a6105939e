// ItemCache (see item_cache.h for the coherence argument).
#include "origin/store/item_cache.h"

#include <xxhash.h>

#include <functional>

namespace cdnlab::store {
namespace {

constexpr size_t kEntryOverhead = 64;  // map node, two string headers: counted against the budget

// Walks a WriteBatch and hands each record to the cache.
class BatchVisitor : public rocksdb::WriteBatch::Handler {
 public:
  using PutFn = std::function<void(std::string_view, const std::string_view*)>;
  BatchVisitor(PutFn onKey, std::function<void()> onRange) : onKey_(std::move(onKey)), onRange_(std::move(onRange)) {}
  rocksdb::Status PutCF(uint32_t, const rocksdb::Slice& k, const rocksdb::Slice& v) override {
    std::string_view value = v.ToStringView();
    onKey_(k.ToStringView(), &value);
    return rocksdb::Status::OK();
  }
  rocksdb::Status DeleteCF(uint32_t, const rocksdb::Slice& k) override {
    onKey_(k.ToStringView(), nullptr);
    return rocksdb::Status::OK();
  }
  rocksdb::Status SingleDeleteCF(uint32_t, const rocksdb::Slice& k) override { return DeleteCF(0, k); }
  rocksdb::Status DeleteRangeCF(uint32_t, const rocksdb::Slice& begin, const rocksdb::Slice& end) override {
    // Only a range that reaches into the item keyspace ['i', 'j') drops the cache (a stream
    // trim or an index drop does not).
    if (begin.compare(rocksdb::Slice("j")) < 0 && end.compare(rocksdb::Slice("i")) > 0) onRange_();
    return rocksdb::Status::OK();
  }
  rocksdb::Status MergeCF(uint32_t, const rocksdb::Slice& k, const rocksdb::Slice&) override { return DeleteCF(0, k); }

 private:
  PutFn onKey_;
  std::function<void()> onRange_;
};

}  // namespace

size_t ItemCache::KeyHash::operator()(std::string_view k) const { return XXH3_64bits(k.data(), k.size()); }

ItemCache::Shard& ItemCache::shardOf(std::string_view key) {
  // The high bits pick the shard; the map inside uses the whole hash for its buckets.
  return shards_[(XXH3_64bits(key.data(), key.size()) >> 58) % kShards];
}

bool ItemCache::get(std::string_view key, std::string* value) {
  Shard& s = shardOf(key);
  std::lock_guard<std::mutex> l(s.mu);
  auto it = s.items.find(key);
  if (it == s.items.end()) return false;
  value->assign(it->second);
  return true;
}

uint64_t ItemCache::generation(std::string_view key) {
  Shard& s = shardOf(key);
  std::lock_guard<std::mutex> l(s.mu);
  return s.generation;
}

void ItemCache::insertIfUnchanged(std::string_view key, std::string_view value, uint64_t generation) {
  size_t cost = key.size() + value.size() + kEntryOverhead;
  if (cost > shardCapacity_) return;
  Shard& s = shardOf(key);
  std::lock_guard<std::mutex> l(s.mu);
  if (s.generation != generation) return;
  auto [it, inserted] = s.items.try_emplace(std::string(key), value);
  if (!inserted) return;  // another reader of the same generation cached the same bytes
  s.bytes += cost;
  evictLocked(s);
}

void ItemCache::evictLocked(Shard& s) {
  // Any entry will do (the map's first bucket is effectively random): no recency bookkeeping on
  // the read path.
  while (s.bytes > shardCapacity_ && !s.items.empty()) {
    auto it = s.items.begin();
    s.bytes -= it->first.size() + it->second.size() + kEntryOverhead;
    s.items.erase(it);
  }
}

void ItemCache::beginWrite(const rocksdb::WriteBatch& batch) { applyWrite(batch, Phase::Before); }
void ItemCache::endWrite(const rocksdb::WriteBatch& batch, bool applied) {
  applyWrite(batch, applied ? Phase::Applied : Phase::Failed);
}

void ItemCache::applyWrite(const rocksdb::WriteBatch& batch, Phase phase) {
  BatchVisitor v(
      [&](std::string_view key, const std::string_view* value) {
        if (!cacheable(key)) return;
        Shard& s = shardOf(key);
        std::lock_guard<std::mutex> l(s.mu);
        ++s.generation;
        if (phase == Phase::Before) return;
        auto it = s.items.find(key);
        if (it == s.items.end()) return;
        s.bytes -= it->second.size();
        if (value && phase == Phase::Applied) {
          it->second.assign(*value);  // keep a hot item hot across its own updates
          s.bytes += it->second.size();
          evictLocked(s);
        } else {
          s.bytes -= it->first.size() + kEntryOverhead;
          s.items.erase(it);
        }
      },
      [&] { clearAll(); });
  batch.Iterate(&v);
}

void ItemCache::clearAll() {
  for (auto& s : shards_) {
    std::lock_guard<std::mutex> l(s.mu);
    ++s.generation;
    s.items.clear();
    s.bytes = 0;
  }
}

size_t ItemCache::bytes() {
  size_t total = 0;
  for (auto& s : shards_) {
    std::lock_guard<std::mutex> l(s.mu);
    total += s.bytes;
  }
  return total;
}

}  // namespace cdnlab::store
