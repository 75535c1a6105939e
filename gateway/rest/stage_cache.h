// A REST API stage's response cache (cacheClusterEnabled): integration answers of GET methods
// whose method settings enable caching, kept for cacheTtlInSeconds (default 300) under a key of
// the method, the resource path and the method's cacheKeyParameters. Bounded by bytes (the
// cluster size, in the lab's scale: 0.5 GB -> 16 MiB ... 237 GB -> 1 GiB); when full, the entry
// closest to expiry goes first. One cache per stage, shared by every worker (a small lock).
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace cdnlab::gateway {

struct CachedAnswer {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

class StageCache {
 public:
  explicit StageCache(uint64_t capacityBytes) : capacity_(capacityBytes) {}
  std::optional<CachedAnswer> get(const std::string& key, int64_t nowNs);
  void put(const std::string& key, CachedAnswer a, int64_t ttlSeconds, int64_t nowNs);
  void invalidate(const std::string& key);
  void flush();
  uint64_t hits() const { return hits_.load(std::memory_order_relaxed); }
  uint64_t misses() const { return misses_.load(std::memory_order_relaxed); }
  uint64_t bytes() const;

 private:
  struct Entry {
    CachedAnswer answer;
    int64_t expiresNs;
    uint64_t size;
  };
  void evictLocked(uint64_t need);
  mutable std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;
  uint64_t bytes_ = 0;
  uint64_t capacity_;
  std::atomic<uint64_t> hits_{0};
  std::atomic<uint64_t> misses_{0};
};

// The lab's byte budget for an API Gateway cache cluster size ("0.5" ... "237" GB).
uint64_t cacheCapacityFor(const std::string& clusterSize);

}  // namespace cdnlab::gateway
