// Helpers for the simulator tests: the CloudPhysics sample in tests/data, tiny traces from a
// string of one-letter ids, in-memory Zipf traces and the default topology.
#pragma once

#include <string>
#include <string_view>

#include "bench/sim/simulator.h"
#include "bench/sim/trace_reader.h"
#include "bench/sim/zipf_trace.h"
#include "geo/topology.h"

namespace cdnlab::sim::testing {

inline std::string dataPath(std::string_view file) {
  return std::string(CDNLAB_SOURCE_DIR) + "/tests/data/cloudphysics/" + std::string(file);
}

// "abca" -> four unit-size requests to objects a, b, c, a, whose ids are the letters' codes
// (97, 98, ...: W-TinyLFU's sketch hashes them). A one-column CSV: a text trace would number
// them in order of appearance.
inline Trace letters(std::string_view ids) {
  std::string text;
  for (char c : ids) {
    text += std::to_string(int(c));
    text += '\n';
  }
  TraceFormat f{TraceKind::Csv, 0, 1, 0, ',', false};
  return std::move(parseTrace(text, "letters", f).value());
}

// "a b j5 a" -> requests to objects a, b, j, a of 1, 1, 5 and 1 bytes (a letter, then its size
// in this request when it is not 1): one object may change size between requests.
inline Trace sizedLetters(std::string_view spec) {
  std::string text;
  size_t i = 0;
  while (i < spec.size()) {
    if (spec[i] == ' ') {
      ++i;
      continue;
    }
    size_t end = spec.find(' ', i);
    if (end == std::string_view::npos) end = spec.size();
    std::string_view size = spec.substr(i + 1, end - i - 1);
    text += std::to_string(int(spec[i])) + ',' + (size.empty() ? std::string("1") : std::string(size)) + '\n';
    i = end;
  }
  TraceFormat f{TraceKind::Csv, 0, 1, 2, ',', false};
  return std::move(parseTrace(text, "sized letters", f).value());
}

// A synthetic trace built in memory (the `sim gen zipf` generator).
inline Trace zipf(uint64_t requests, uint64_t objects, double alpha = 0.9, uint64_t seed = 7,
                  uint32_t minSize = 1024, uint32_t maxSize = 128 * 1024) {
  ZipfTraceSpec z;
  z.requests = requests;
  z.objects = objects;
  z.alpha = alpha;
  z.seed = seed;
  z.minSize = minSize;
  z.maxSize = maxSize;
  return std::move(parseTrace(zipfTraceBytes(z), "zipf", TraceFormat{}).value());
}

// configs/catalog.yaml, the catalog-only topology (six edge PoPs and a shield).
inline geo::Topology defaultTopology() {
  return std::move(geo::loadTopologyFile(std::string(CDNLAB_SOURCE_DIR) + "/configs/catalog.yaml").value());
}

inline uint64_t misses(const Trace& t, const std::string& policy, uint64_t capacity,
                       SizeMode mode = SizeMode::Objects) {
  auto r = simulate(t, SimJob{policy, capacity, mode, ""});
  return r ? r->misses : UINT64_MAX;
}

}  // namespace cdnlab::sim::testing
