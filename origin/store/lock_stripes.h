// Per-item lock striping: a conditional write or a transaction holds the stripes of the items it
// reads and writes from its read to its write, so read-check-write is atomic under concurrency.
// A stripe is chosen by a hash of the item's encoded key (which holds the table id). Several
// stripes are always taken in ascending index order (a global order), so two transactions never
// deadlock.
#pragma once

#include <xxhash.h>

#include <algorithm>
#include <array>
#include <mutex>
#include <string_view>
#include <vector>

namespace cdnlab::store {

class LockStripes {
 public:
  static constexpr size_t kStripes = 4096;

  static size_t stripeOf(std::string_view itemKey) { return XXH3_64bits(itemKey.data(), itemKey.size()) % kStripes; }

  // Holds a set of stripes (deduplicated, locked in ascending order) until destroyed.
  class Guard {
   public:
    Guard(LockStripes& owner, std::vector<size_t> stripes) : owner_(owner), stripes_(std::move(stripes)) {
      std::sort(stripes_.begin(), stripes_.end());
      stripes_.erase(std::unique(stripes_.begin(), stripes_.end()), stripes_.end());
      for (size_t s : stripes_) owner_.mu_[s].lock();
    }
    ~Guard() {
      for (auto it = stripes_.rbegin(); it != stripes_.rend(); ++it) owner_.mu_[*it].unlock();
    }
    Guard(const Guard&) = delete;
    Guard& operator=(const Guard&) = delete;

   private:
    LockStripes& owner_;
    std::vector<size_t> stripes_;
  };

  Guard lockKeys(const std::vector<std::string_view>& keys) {
    std::vector<size_t> s;
    s.reserve(keys.size());
    for (auto k : keys) s.push_back(stripeOf(k));
    return Guard(*this, std::move(s));
  }

 private:
  std::array<std::mutex, kStripes> mu_;
};

}  // namespace cdnlab::store
