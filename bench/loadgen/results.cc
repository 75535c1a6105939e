// Result aggregation of a load run (see results.h).
#include "bench/loadgen/results.h"

#include <algorithm>

namespace cdnlab::loadgen {

Outcome parseOutcome(std::string_view e) {
  for (size_t i = 0; i < kOutcomeCount; ++i)
    if (e == kOutcomeNames[i] && static_cast<Outcome>(i) != Outcome::Other) return static_cast<Outcome>(i);
  return Outcome::Other;
}

bool isCacheHit(Outcome o) { return o == Outcome::Hit || o == Outcome::Stale; }
bool isCacheHit(std::string_view outcome) { return isCacheHit(parseOutcome(outcome)); }

bool wentUpstream(Outcome o) { return o == Outcome::Miss || o == Outcome::Pass || o == Outcome::Revalidated; }

namespace {
std::string_view trim(std::string_view v) {
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
  return v;
}
}  // namespace

std::string_view lastElement(std::string_view chained) {
  size_t comma = chained.rfind(',');
  return trim(comma == std::string_view::npos ? chained : chained.substr(comma + 1));
}

std::string_view upstreamElement(std::string_view chained) {
  size_t comma = chained.rfind(',');
  if (comma == std::string_view::npos) return {};
  return lastElement(chained.substr(0, comma));
}

void Tally::add(const Sample& s, Outcome as) {
  ++requests;
  ++byOutcome[static_cast<size_t>(as)];
  if (as == Outcome::Error) {
    ++errors;
    return;  // a failed request has no meaningful latency or bytes
  }
  bytes += s.bodyBytes;
  if (isCacheHit(as)) {
    ++hits;
    hitBytes += s.bodyBytes;
  }
  latencyUs.record(s.latencyUs);
  outcomeLatencyUs[static_cast<size_t>(as)].record(s.latencyUs);
}

void Tally::merge(const Tally& o) {
  requests += o.requests;
  hits += o.hits;
  errors += o.errors;
  bytes += o.bytes;
  hitBytes += o.hitBytes;
  for (size_t i = 0; i < kOutcomeCount; ++i) {
    byOutcome[i] += o.byOutcome[i];
    outcomeLatencyUs[i].merge(o.outcomeLatencyUs[i]);
  }
  latencyUs.merge(o.latencyUs);
}

std::optional<double> Tally::hitRatio() const {
  if (!requests) return std::nullopt;
  return static_cast<double>(hits) / static_cast<double>(requests);
}

std::optional<double> Tally::byteHitRatio() const {
  if (!bytes) return std::nullopt;
  return static_cast<double>(hitBytes) / static_cast<double>(bytes);
}

void SecondPoint::add(const Sample& s) {
  ++requests;
  ++byOutcome[static_cast<size_t>(s.outcome)];
  if (s.error()) {
    ++errors;
    return;
  }
  if (s.hit()) ++hits;
  bytes += s.bodyBytes;
  latencySumUs += s.latencyUs;
  latencyMaxUs = std::max(latencyMaxUs, s.latencyUs);
}

void SecondPoint::merge(const SecondPoint& o) {
  requests += o.requests;
  hits += o.hits;
  errors += o.errors;
  bytes += o.bytes;
  for (size_t i = 0; i < kOutcomeCount; ++i) byOutcome[i] += o.byOutcome[i];
  latencySumUs += o.latencySumUs;
  latencyMaxUs = std::max(latencyMaxUs, o.latencyMaxUs);
}

Results::Results(std::vector<std::string> regions) {
  for (auto& r : regions) regions_.push_back({std::move(r), Tally{}, {}});
}

NamedTally& Results::pop(std::string_view pop) {
  for (auto& p : pops_)
    if (p.name == pop) return p;
  pops_.push_back({std::string(pop), Tally{}, {}});
  return pops_.back();
}

namespace {
void addToSeries(std::vector<SecondPoint>& series, size_t second, const Sample& s) {
  if (second >= series.size()) series.resize(second + 1);
  series[second].add(s);
}
void mergeSeries(std::vector<SecondPoint>& into, const std::vector<SecondPoint>& from) {
  if (from.size() > into.size()) into.resize(from.size());
  for (size_t i = 0; i < from.size(); ++i) into[i].merge(from[i]);
}
}  // namespace

void Results::record(size_t region, std::string_view popName, size_t second, const Sample& s) {
  total_.add(s);
  if (s.shield && wentUpstream(s.outcome)) shield_.add(s, *s.shield);
  if (region < regions_.size()) {
    regions_[region].tally.add(s);
    addToSeries(regions_[region].series, second, s);
  }
  NamedTally& p = pop(popName.empty() ? std::string_view("(none)") : popName);
  p.tally.add(s);
  addToSeries(p.series, second, s);
  if (second >= series_.size()) series_.resize(second + 1);
  series_[second].counts.add(s);
  if (!s.error()) series_[second].latencyUs.record(s.latencyUs);
}

void Results::merge(const Results& o) {
  total_.merge(o.total_);
  shield_.merge(o.shield_);
  for (const auto& r : o.regions_) {
    bool found = false;
    for (auto& mine : regions_)
      if (mine.name == r.name) {
        mine.tally.merge(r.tally);
        mergeSeries(mine.series, r.series);
        found = true;
      }
    if (!found) regions_.push_back(r);
  }
  for (const auto& p : o.pops_) {
    NamedTally& mine = pop(p.name);
    mine.tally.merge(p.tally);
    mergeSeries(mine.series, p.series);
  }
  if (o.series_.size() > series_.size()) series_.resize(o.series_.size());
  for (size_t i = 0; i < o.series_.size(); ++i) {
    series_[i].counts.merge(o.series_[i].counts);
    series_[i].latencyUs.merge(o.series_[i].latencyUs);
  }
}

}  // namespace cdnlab::loadgen
