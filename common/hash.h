// XXH3 64-bit hashing (xxHash from Debian): cache keys, shard selection, consistent routing.
// One-shot helpers for contiguous bytes and a streaming Hasher for keys built from parts
// (method + scheme + host + path + query ...) without concatenating them first.
#pragma once

#define XXH_STATIC_LINKING_ONLY  // XXH3_state_t on the stack, no malloc per key
#include <xxhash.h>

#include <cstdint>
#include <string_view>

namespace cdnlab {

inline uint64_t hash64(std::string_view bytes, uint64_t seed = 0) {
  return seed == 0 ? XXH3_64bits(bytes.data(), bytes.size())
                   : XXH3_64bits_withSeed(bytes.data(), bytes.size(), seed);
}

// Mixes two hashes (e.g. a key hash and a variant hash) into one.
inline uint64_t hashCombine(uint64_t a, uint64_t b) {
  uint64_t parts[2] = {a, b};
  return XXH3_64bits(parts, sizeof parts);
}

// Streaming XXH3: update() with each part, digest() at the end. Parts are separated by their
// lengths (addPart) so that ("ab","c") and ("a","bc") hash differently.
class Hasher {
 public:
  explicit Hasher(uint64_t seed = 0) { XXH3_64bits_reset_withSeed(&state_, seed); }
  Hasher& update(std::string_view bytes) {
    XXH3_64bits_update(&state_, bytes.data(), bytes.size());
    return *this;
  }
  Hasher& addPart(std::string_view part) {
    uint64_t len = part.size();
    XXH3_64bits_update(&state_, &len, sizeof len);
    return update(part);
  }
  uint64_t digest() const { return XXH3_64bits_digest(&state_); }

 private:
  XXH3_state_t state_;
};

}  // namespace cdnlab
