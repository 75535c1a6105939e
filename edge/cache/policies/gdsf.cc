// GDSF (Greedy-Dual-Size-Frequency): an object's priority is the inflation value L plus its
// frequency per byte; evict the lowest priority and raise L to it, so objects that stop being
// requested age out.
//
//   on insert(x):  freq[x] = 1; pri[x] = L + 1e6 / size(x)
//   on hit(x):     freq[x] += 1; pri[x] = L + freq[x] * 1e6 / size(x)
//   victim():      the lowest (pri, time of its last request); L = its priority on removal
//
// Cherkasova, "Improving WWW proxies performance with Greedy-Dual-Size-Frequency caching
// policy", HP Labs HPL-98-69, 1998 (after Cao, Irani, "Cost-aware WWW proxy caching
// algorithms", USITS 1997). As libCacheSim's cpp/GDSF.cpp (ties broken first-in first-out).
#include <memory>
#include <set>
#include <tuple>

#include "edge/cache/policies/id_list.h"
#include "edge/cache/policies/params.h"
#include "edge/cache/policies/registry.h"

namespace cdnlab::edge::cache {

namespace {

class GdsfPolicy final : public Policy {
 public:
  std::string_view name() const override { return "gdsf"; }
  void onInsert(ItemId id, const Access& a) override {
    size_[id] = std::max<uint64_t>(a.size, 1);
    freq_[id] = 1;
    place(id, inflation_ + 1.0e6 / double(size_[id]), a.now);
  }
  void onHit(ItemId id, const Access& a) override {
    order_.erase(node_[id]);
    freq_[id] += 1;
    place(id, inflation_ + double(freq_[id]) * 1.0e6 / double(size_[id]), a.now);
  }
  void onRemove(ItemId id, RemoveCause cause) override {
    if (cause == RemoveCause::Size) inflation_ = std::get<0>(node_[id]);
    order_.erase(node_[id]);
  }
  std::optional<ItemId> victim() override {
    if (order_.empty()) return std::nullopt;
    return std::get<2>(*order_.begin());
  }

 private:
  using Node = std::tuple<double, int64_t, ItemId>;
  void place(ItemId id, double pri, int64_t now) {
    node_[id] = Node{pri, now, id};
    order_.insert(node_[id]);
  }
  double inflation_ = 0;
  std::set<Node> order_;
  PerItem<Node> node_;
  PerItem<uint64_t> size_, freq_;
};

}  // namespace

PolicyMade makeGdsfPolicy(const PolicyConfig& c) {
  ParamReader r(c);
  if (auto ok = r.finish(); !ok) return ok.error();
  return std::unique_ptr<Policy>(std::make_unique<GdsfPolicy>());
}

}  // namespace cdnlab::edge::cache
