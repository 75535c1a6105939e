// Helpers for the simulator tests: the CloudPhysics sample in tests/data, tiny traces from a
// string of one-letter ids.
#pragma once

#include <string>
#include <string_view>

#include "bench/sim/simulator.h"
#include "bench/sim/trace_reader.h"

namespace cdnlab::sim::testing {

inline std::string dataPath(std::string_view file) {
  return std::string(CDNLAB_SOURCE_DIR) + "/tests/data/cloudphysics/" + std::string(file);
}

// "abca" -> four unit-size requests to objects a, b, c, a.
inline Trace letters(std::string_view ids) {
  std::string text;
  for (char c : ids) {
    text += std::to_string(int(c));
    text += '\n';
  }
  TraceFormat f;
  f.kind = TraceKind::Txt;
  return std::move(parseTrace(text, "letters", f).value());
}

inline uint64_t misses(const Trace& t, const std::string& policy, uint64_t capacity,
                       SizeMode mode = SizeMode::Objects) {
  auto r = simulate(t, SimJob{policy, capacity, mode, ""});
  return r ? r->misses : UINT64_MAX;
}

}  // namespace cdnlab::sim::testing
