// Stage cache (see stage_cache.h).
#include "gateway/rest/stage_cache.h"

#include "gateway/rest/decimal.h"

namespace cdnlab::gateway {

uint64_t cacheCapacityFor(const std::string& clusterSize) {
  double gb = parseNumber<double>(clusterSize).value_or(0.5);  // AWS's sizes: "0.5", "1.6", ... "237"
  uint64_t mib = gb <= 0.5 ? 16 : gb <= 1.6 ? 32 : gb <= 6.1 ? 64 : gb <= 13.5 ? 128 : gb <= 28.4 ? 256 : gb <= 58.2 ? 512 : 1024;
  return mib << 20;
}

std::optional<CachedAnswer> StageCache::get(const std::string& key, int64_t nowNs) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(key);
  if (it == entries_.end() || it->second.expiresNs <= nowNs) {
    if (it != entries_.end()) {
      bytes_ -= it->second.size;
      entries_.erase(it);
    }
    misses_.fetch_add(1, std::memory_order_relaxed);
    return std::nullopt;
  }
  hits_.fetch_add(1, std::memory_order_relaxed);
  return it->second.answer;
}

void StageCache::evictLocked(uint64_t need) {
  while (bytes_ + need > capacity_ && !entries_.empty()) {
    auto victim = entries_.begin();
    for (auto it = entries_.begin(); it != entries_.end(); ++it)
      if (it->second.expiresNs < victim->second.expiresNs) victim = it;
    bytes_ -= victim->second.size;
    entries_.erase(victim);
  }
}

void StageCache::put(const std::string& key, CachedAnswer a, int64_t ttlSeconds, int64_t nowNs) {
  if (ttlSeconds <= 0) return;
  uint64_t size = key.size() + a.body.size() + 64;
  for (const auto& [n, v] : a.headers) size += n.size() + v.size();
  if (size > capacity_ / 4) return;  // one answer never takes most of the cache
  std::lock_guard<std::mutex> lock(mu_);
  if (auto it = entries_.find(key); it != entries_.end()) {
    bytes_ -= it->second.size;
    entries_.erase(it);
  }
  evictLocked(size);
  entries_.emplace(key, Entry{std::move(a), nowNs + ttlSeconds * 1000000000, size});
  bytes_ += size;
}

void StageCache::invalidate(const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  if (auto it = entries_.find(key); it != entries_.end()) {
    bytes_ -= it->second.size;
    entries_.erase(it);
  }
}

void StageCache::flush() {
  std::lock_guard<std::mutex> lock(mu_);
  entries_.clear();
  bytes_ = 0;
}

uint64_t StageCache::bytes() const {
  std::lock_guard<std::mutex> lock(mu_);
  return bytes_;
}

}  // namespace cdnlab::gateway
