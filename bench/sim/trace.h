// A trace in memory, as the simulator replays it: one 16-byte record per request with the
// object renumbered densely (0 .. objects-1) at load time, so that replay needs no hash lookup
// per request (the lean index: the object number is the policy's ItemId).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace cdnlab::sim {

struct Request {
  uint32_t obj = 0;   // dense object number
  uint32_t size = 0;  // bytes as the trace gives them for this request
  uint32_t time = 0;  // seconds (trace clock; 0 when the format has none)
  uint32_t next = 0;  // index of the next request for the same object, kNever if none
  static constexpr uint32_t kNever = UINT32_MAX;
};

// What the response to a request says about keeping it (the topology replay's TTLs): how long
// it is fresh, its stale-while-revalidate window, and whether a shared cache may store it at
// all. A no-cache response is storable with maxAgeS 0 (every use revalidates).
struct ResponseFreshness {
  static constexpr uint32_t kForever = UINT32_MAX;
  uint32_t maxAgeS = kForever;
  uint32_t staleWhileRevalidateS = 0;
  bool storable = true;
};

struct Trace {
  std::string source;              // file name, for messages
  std::vector<Request> requests;
  std::vector<uint64_t> keys;      // per object: its id in the trace (the policies' key)
  std::vector<uint32_t> firstSize; // per object: the size of its first request
  // Per request: the freshness of the response it would get (a CDN log's ttl column, the
  // catalog's Cache-Control); empty when the trace carries none (nothing expires).
  std::vector<ResponseFreshness> freshness;
  uint64_t objects() const { return keys.size(); }
  // The working set: distinct objects, and the sum of their first-seen sizes.
  uint64_t workingSetBytes() const;
  // Fills Request::next (one backward pass).
  void linkNextAccesses();
};

}  // namespace cdnlab::sim
