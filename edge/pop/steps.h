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
  X(Recv, "viewer-request", "GET/HEAD use the cache, other methods pass; a looping request (CDN-Loop) is refused", \
    "Hash, Pass, Synth")                                                                           \
  X(Hash, "(cache key policy)", "compute the cache key (XXH3 over the normalised parts)",           \
    "Lookup")                                                                                      \
  X(Lookup, "-", "find the entry; with none usable, lead the key's fill or park behind it (Busy)",  \
    "Hit, Miss, Synth (only-if-cached), park")                                                                      \
  X(Hit, "-", "fresh entry: deliver; stale: serve under SWR, or revalidate",                       \
    "Deliver, Fetch (revalidate)")                                                                 \
  X(Miss, "-", "no usable entry: become the fill for the key", "Fetch")                            \
  X(Pass, "-", "uncacheable request: fetch without touching the cache", "Fetch")                   \
  X(Fetch, "origin-request", "send the request upstream (conditional when revalidating), park",     \
    "OriginResponse")                                             \
  X(OriginResponse, "origin-response",                                                             \
    "store if cacheable, refresh on 304, wake followers; on failure serve stale-if-error or fail",   \
    "Deliver, Synth")                                                                                     \
  X(Deliver, "viewer-response",                                                                   \
    "from the entry (shared body; 304 to a matching client conditional) or as fetched; add Age, X-Cache", \
    "Done")                                                                                        \
  X(Synth, "viewer-response", "answer by the PoP itself: 508 loop, 504 only-if-cached, 502/504 upstream", \
    "Done")                                                                                        \
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
  X(Synth, "answered by the PoP itself (request loop, only-if-cached without an entry)")                \
  X(Error, "upstream failed and no stale entry was usable (502/504)")

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
