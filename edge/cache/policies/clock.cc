// CLOCK (second chance, FIFO-reinsertion): a FIFO where a hit item gets another round.
//
//   on insert(x):  push x at the head, freq[x] = 0
//   on hit(x):     freq[x] = min(freq[x] + 1, 2^bits - 1)
//   victim():      loop: t = tail; if freq[t] == 0: return t
//                        freq[t] -= 1; move t to the head
//
// Corbató, "A paging experiment with the Multics system", MIT Project MAC MAC-M-384, 1968.
// As libCacheSim's Clock.c (n-bit-counter=1 by default: one reference bit).
#include <algorithm>
#include <memory>

#include "edge/cache/policies/id_list.h"
#include "edge/cache/policies/params.h"
#include "edge/cache/policies/registry.h"

namespace cdnlab::edge::cache {

namespace {

class ClockPolicy final : public Policy {
 public:
  explicit ClockPolicy(int bits) : maxFreq_(uint8_t((1u << bits) - 1)) {}
  std::string_view name() const override { return "clock"; }
  void onInsert(ItemId id, const Access&) override {
    list_.pushFront(id);
    freq_[id] = 0;
  }
  void onHit(ItemId id, const Access&) override { freq_[id] = std::min<uint8_t>(freq_[id] + 1, maxFreq_); }
  void onRemove(ItemId id, RemoveCause) override { list_.unlink(id); }
  std::optional<ItemId> victim() override {
    if (list_.empty()) return std::nullopt;
    ItemId t = list_.back();
    while (freq_[t] >= 1) {
      freq_[t] -= 1;
      list_.moveToFront(t);
      t = list_.back();
    }
    return t;
  }

 private:
  uint8_t maxFreq_;
  IdList list_;
  PerItem<uint8_t> freq_;
};

}  // namespace

PolicyMade makeClockPolicy(const PolicyConfig& c) {
  ParamReader r(c);
  int bits = int(r.integer("bits", 1, 1, 7));
  if (auto ok = r.finish(); !ok) return ok.error();
  return std::unique_ptr<Policy>(std::make_unique<ClockPolicy>(bits));
}

}  // namespace cdnlab::edge::cache
