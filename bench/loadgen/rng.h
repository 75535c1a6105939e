// The load generator's random numbers: a small, fast, seedable generator (SplitMix64) so that
// a run is reproducible from its printed seed, and every region / thread gets its own stream
// derived from that one seed.
#pragma once

#include <cstdint>
#include <string_view>

namespace cdnlab::loadgen {

class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}

  uint64_t next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  // Uniform in (0, 1]: safe to take the logarithm of.
  double uniformOpen() { return 1.0 - uniform(); }
  // Uniform integer in [0, n), n > 0 (Lemire's multiply-shift; bias below 2^-64 * n).
  uint64_t below(uint64_t n) { return static_cast<uint64_t>((static_cast<unsigned __int128>(next()) * n) >> 64); }

 private:
  uint64_t state_;
};

// A stream seed for one named part of a run (a region, a thread): stable for a given (seed,
// name, index), unrelated between parts.
inline uint64_t streamSeed(uint64_t seed, std::string_view name, uint64_t index = 0) {
  uint64_t h = 0xcbf29ce484222325ULL;  // FNV-1a over the name, then mixed with the rest
  for (unsigned char c : name) h = (h ^ c) * 0x100000001b3ULL;
  Rng mix(seed ^ h ^ (index * 0xd1b54a32d192ed03ULL));
  mix.next();
  return mix.next();
}

}  // namespace cdnlab::loadgen
