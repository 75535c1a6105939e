#include "bench/loadgen/results.h"

namespace cdnlab::loadgen {

bool isCacheHit(std::string_view outcome) {
  return outcome == "Hit" || outcome == "Stale" || outcome == "Revalidated";
}

std::string_view lastElement(std::string_view chained) {
  size_t comma = chained.rfind(',');
  std::string_view v = comma == std::string_view::npos ? chained : chained.substr(comma + 1);
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
  return v;
}

void Tally::add(const Sample& s) {
  ++requests;
  if (s.error) {
    ++errors;
    return;  // a failed request has no meaningful latency or bytes
  }
  bytes += s.bodyBytes;
  if (s.hit) {
    ++hits;
    hitBytes += s.bodyBytes;
  }
  latencyUs.record(s.latencyUs);
}

void Tally::merge(const Tally& o) {
  requests += o.requests;
  hits += o.hits;
  errors += o.errors;
  bytes += o.bytes;
  hitBytes += o.hitBytes;
  latencyUs.merge(o.latencyUs);
}

Results::Results(std::vector<std::string> regions) {
  for (auto& r : regions) regions_.push_back({std::move(r), Tally{}});
}

Tally& Results::popTally(std::string_view pop) {
  for (auto& p : pops_)
    if (p.name == pop) return p.tally;
  pops_.push_back({std::string(pop), Tally{}});
  return pops_.back().tally;
}

void Results::record(size_t region, std::string_view pop, size_t second, const Sample& s) {
  total_.add(s);
  if (region < regions_.size()) regions_[region].tally.add(s);
  popTally(pop.empty() ? std::string_view("(none)") : pop).add(s);
  if (second >= series_.size()) series_.resize(second + 1);
  series_[second].add(s);
}

void Results::merge(const Results& o) {
  total_.merge(o.total_);
  for (const auto& r : o.regions_) {
    bool found = false;
    for (auto& mine : regions_)
      if (mine.name == r.name) {
        mine.tally.merge(r.tally);
        found = true;
      }
    if (!found) regions_.push_back(r);
  }
  for (const auto& p : o.pops_) popTally(p.name).merge(p.tally);
  if (o.series_.size() > series_.size()) series_.resize(o.series_.size());
  for (size_t i = 0; i < o.series_.size(); ++i) series_[i].merge(o.series_[i]);
}

}  // namespace cdnlab::loadgen
