// The edge request path as data: one table of the steps a transaction walks through and one of
// the outcomes it can end with. The step enum, the step names in logs, the per-outcome counters
// in /metrics and the table in docs/request-path.md are all generated from these two X-macros,
// so adding a step or an outcome is one line here (the Varnish REQ_STEPS idea).
#pragma once

#include <array>
#include <cstddef>
#include <string_view>

namespace cdnlab::edge::pop {

// X(Name, edge-function trigger, what the step decides, the steps it can lead to)
#define CDNLAB_POP_STEPS(X)                                                                        \
  X(Route, "-", "normalise the target, select the cache behavior (first path pattern that matches); a method the behavior does not allow is refused", \
    "FnViewerRequest, Synth (400, 403)")                                                           \
  X(FnViewerRequest, "viewer-request", "run the viewer-request function on every request: continue with the request it returns, or answer with the response it generates", \
    "Recv, Synth (generated or failed), park")                                                    \
  X(Recv, "-", "GET/HEAD use the cache, other methods (and a behavior with caching disabled) pass; a looping request (CDN-Loop) is refused", \
    "Hash, Pass, Synth")                                                                           \
  X(Hash, "(cache key policy)", "compute the cache key (XXH3 over the normalised parts; under a behavior, what its cache policy selects)", \
    "Lookup")                                                                                      \
  X(Lookup, "-", "find the entry; with none usable, lead the key's fill or park behind it (Busy)",  \
    "Hit, Miss, Synth (only-if-cached), park")                                                                      \
  X(Hit, "-", "fresh entry: deliver; stale: serve under SWR, or revalidate",                       \
    "Deliver, Fetch (revalidate)")                                                                 \
  X(Miss, "-", "no usable entry: become the fill for the key", "Fetch")                            \
  X(Pass, "-", "uncacheable request: fetch without touching the cache", "Fetch")                   \
  X(FnOriginRequest, "origin-request", "run the origin-request function before going upstream: continue with its request, or answer with its response (not cached)", \
    "Fetch, Synth (generated or failed), park")                                                   \
  X(Fetch, "-", "run FnOriginRequest once, then send the request upstream (conditional when revalidating), park", \
    "FnOriginRequest, FnOriginResponse")                                             \
  X(FnOriginResponse, "origin-response", "run the origin-response function on the upstream response: what it returns is what gets cached", \
    "OriginResponse, Synth (failed), park")                                                       \
  X(OriginResponse, "-",                                                             \
    "store if cacheable, refresh on 304, wake followers; on failure serve stale-if-error or fail",   \
    "Deliver, Synth")                                                                                     \
  X(Deliver, "-",                                                                   \
    "from the entry (shared body; 304 to a matching client conditional) or as fetched; add Age, X-Cache", \
    "FnViewerResponse")                                                                                        \
  X(Synth, "-", "answer by the PoP itself (400 bad target, 403 method not allowed by the behavior, 508 loop, 504 only-if-cached, 502/504 upstream, 502/503 edge function) or with a function's generated response", \
    "FnViewerResponse")                                                                                        \
  X(FnViewerResponse, "viewer-response", "run the viewer-response function on every response below 400, hits included (not on one generated at viewer-request)", \
    "Done, park")                                                                                  \
  X(Done, "-", "the transaction has its one outcome and a response", "-")

// X(Name, what it means for the client). Every transaction ends with exactly one of these; it
// becomes the X-Cache header, the requests_total{outcome=...} counter and the access-log field.
#define CDNLAB_POP_OUTCOMES(X)                                                                     \
  X(Hit, "served from a fresh entry")                                                              \
  X(Miss, "fetched from upstream (and stored if cacheable)")                                       \
  X(Pass, "not cacheable by request: forwarded without the cache")                                 \
  X(Stale, "served from a stale entry (stale-while-revalidate or stale-if-error)")                 \
  X(Revalidated, "stale entry confirmed by upstream with 304 and served")                          \
  X(Collapsed, "waited for another request's fetch of the same key and served its result")        \
  X(Synth, "answered by the PoP itself (request loop, only-if-cached without an entry) or by an edge function")                \
  X(Error, "upstream failed and no stale entry was usable (502/504), or an edge function failed (502/503)")

enum class Step {
#define CDNLAB_X(name, trigger, doc, next) name,
  CDNLAB_POP_STEPS(CDNLAB_X)
#undef CDNLAB_X
};

enum class Outcome {
#define CDNLAB_X(name, doc) name,
  CDNLAB_POP_OUTCOMES(CDNLAB_X)
#undef CDNLAB_X
};

struct StepInfo {
  std::string_view name, trigger, doc, next;
};
struct OutcomeInfo {
  std::string_view name, doc;
};

inline constexpr std::array kSteps = {
#define CDNLAB_X(name, trigger, doc, next) StepInfo{#name, trigger, doc, next},
    CDNLAB_POP_STEPS(CDNLAB_X)
#undef CDNLAB_X
};

inline constexpr std::array kOutcomes = {
#define CDNLAB_X(name, doc) OutcomeInfo{#name, doc},
    CDNLAB_POP_OUTCOMES(CDNLAB_X)
#undef CDNLAB_X
};

inline constexpr std::size_t kOutcomeCount = kOutcomes.size();

inline std::string_view stepName(Step s) { return kSteps[static_cast<std::size_t>(s)].name; }
inline std::string_view outcomeName(Outcome o) { return kOutcomes[static_cast<std::size_t>(o)].name; }

}  // namespace cdnlab::edge::pop
