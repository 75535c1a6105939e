// FrequencySketch: W-TinyLFU's admission sketch, exactly as libCacheSim's (so that hash
// collisions decide the same admissions and miss counts match).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include <xxhash.h>

#include "edge/cache/huge_pages.h"

namespace cdnlab::edge::cache {

// libCacheSim's frequency sketch (its minimalIncrementCBF, which despite the name increments
// every one of the key's counters): a counting Bloom filter sized for `entries` keys at error
// e: ceil(-ln e / ln^2 2 x entries) 32-bit counters (`entries` is a C int there, so a byte
// capacity of 2^31 or more wraps; fewer counters than hash functions become 2 x hashes),
// ceil(ln 2 x -ln e / ln^2 2) = 10 hash functions for e = 0.001: counter (a + i x b) mod n, all
// in 32 bits, with a and b the low halves of XXH64 of the 8-byte object id under two seeds.
// Aging halves every counter. Byte-mode capacities ask for billions of counters, so beyond
// 2^24 counters they live in a hash map and halve lazily (a counter remembers the age at which
// it was last written and shifts by the ages it missed): the same values, memory per touched
// counter.
class FrequencySketch {
 public:
  explicit FrequencySketch(uint64_t entries, double error, uint32_t denseLimit = 1u << 24) {
    const int32_t n = int32_t(uint32_t(entries));  // libCacheSim's int parameter
    const double bpe = -std::log(error) / 0.480453013918201;
    hashes_ = uint32_t(std::ceil(0.693147180559945 * bpe));
    // Clamped both ways before the conversion: a wrapped (negative) n gives a count far below
    // INT32_MIN, and converting an out-of-range double is undefined (x86 yields INT32_MIN, which
    // is what libCacheSim's C then sees: fewer counters than hashes).
    double counters = std::clamp(std::ceil(bpe * double(n)), double(INT32_MIN), double(INT32_MAX));
    int32_t num = int32_t(counters);
    if (num < int32_t(hashes_)) num = int32_t(hashes_) * 2;
    num_ = uint32_t(num);
    if (num_ <= denseLimit) dense_.assign(num_, 0);
  }
  uint32_t counters() const { return num_; }
  uint32_t hashes() const { return hashes_; }
  uint32_t estimate(uint64_t key) const {
    uint32_t a, b;
    hash(key, a, b);
    uint32_t m = UINT32_MAX;
    for (uint32_t i = 0; i < hashes_; ++i) m = std::min(m, get(uint32_t(a + i * b) % num_));
    return m;
  }
  void add(uint64_t key) {
    uint32_t a, b;
    hash(key, a, b);
    uint32_t at[kMaxHashes];
    const uint32_t n = std::min(hashes_, kMaxHashes);
    uint32_t m = UINT32_MAX;
    for (uint32_t i = 0; i < n; ++i) m = std::min(m, get(at[i] = uint32_t(a + i * b) % num_));
    for (uint32_t i = n; i < hashes_; ++i) m = std::min(m, get(uint32_t(a + i * b) % num_));
    if (m == UINT32_MAX) return;
    for (uint32_t i = 0; i < n; ++i) increment(at[i]);
    for (uint32_t i = n; i < hashes_; ++i) increment(uint32_t(a + i * b) % num_);
  }
  void decay() {
    if (!dense_.empty()) {
      for (auto& c : dense_) c >>= 1;
    } else {
      ++age_;
    }
  }

 private:
  static constexpr uint32_t kMaxHashes = 16;  // indexes kept on the stack (10 at error 0.001)
  struct Sparse {
    uint32_t value = 0;
    uint32_t age = 0;
  };
  static void hash(uint64_t key, uint32_t& a, uint32_t& b) {
    uint8_t bytes[8];
    for (int i = 0; i < 8; ++i) bytes[i] = uint8_t(key >> (8 * i));  // the id as stored (LE)
    a = uint32_t(XXH64(bytes, sizeof bytes, 0x12345678));
    b = uint32_t(XXH64(bytes, sizeof bytes, 0x12344321));
  }
  uint32_t get(uint32_t i) const {
    if (!dense_.empty()) return dense_[i];
    auto it = sparse_.find(i);
    if (it == sparse_.end()) return 0;
    uint32_t missed = age_ - it->second.age;
    return missed >= 32 ? 0 : it->second.value >> missed;
  }
  void increment(uint32_t i) {
    if (!dense_.empty()) {
      ++dense_[i];
      return;
    }
    Sparse& c = sparse_[i];
    uint32_t missed = age_ - c.age;
    c.value = (missed >= 32 ? 0 : c.value >> missed) + 1;
    c.age = age_;
  }
  uint32_t hashes_ = 1, num_ = 1;
  HugePageVector<uint32_t> dense_;
  std::unordered_map<uint32_t, Sparse> sparse_;
  uint32_t age_ = 0;
};

}  // namespace cdnlab::edge::cache
