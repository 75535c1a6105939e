// Environment bookkeeping and the concurrency rules (see pool.h).
#include "lambda/pool.h"

namespace cdnlab::lambda {

void PoolSet::setReserved(const std::string& function, std::optional<int> reserved) {
  if (reserved) reserved_[function] = *reserved;
  else reserved_.erase(function);
}

std::optional<int> PoolSet::reserved(const std::string& function) const {
  auto it = reserved_.find(function);
  if (it == reserved_.end()) return std::nullopt;
  return it->second;
}

int PoolSet::unreservedLimit() const {
  int sum = 0;
  for (const auto& [f, r] : reserved_) sum += r;
  return accountLimit_ - sum;
}

static bool counts(const Slot& s) { return s.provisioned || s.state != SlotState::Idle; }

int PoolSet::used(const std::string& function) const {
  int n = 0;
  for (const auto& [id, s] : slots_)
    if (s.function == function && counts(s)) ++n;
  return n;
}

int PoolSet::running(const std::string& function) const {
  int n = 0;
  for (const auto& [id, s] : slots_)
    if (s.function == function && s.state == SlotState::Busy) ++n;
    else if (s.function == function && s.state == SlotState::Initializing && !s.provisioned) ++n;
  return n;
}

int PoolSet::runningTotal() const {
  int n = 0;
  for (const auto& [id, s] : slots_)
    if (s.state == SlotState::Busy || (s.state == SlotState::Initializing && !s.provisioned)) ++n;
  return n;
}

bool PoolSet::hasRoom(const std::string& function, std::string* reason) const {
  if (auto r = reserved(function)) {
    if (used(function) + 1 > *r) {
      *reason = "ReservedFunctionConcurrentInvocationLimitExceeded";
      return false;
    }
    return true;
  }
  int unreservedUsed = 0;
  for (const auto& [id, s] : slots_)
    if (!reserved_.count(s.function) && counts(s)) ++unreservedUsed;
  if (unreservedUsed + 1 > unreservedLimit()) {
    *reason = "ConcurrentInvocationLimitExceeded";
    return false;
  }
  return true;
}

Admission PoolSet::admit(const std::string& function, const std::string& version) {
  // Provisioned first: already allocated, so no limit applies. Most recently idle first, so the
  // others age out.
  Slot* best = nullptr;
  for (auto& [id, s] : slots_) {
    if (s.function != function || s.version != version || s.state != SlotState::Idle) continue;
    if (!best || (s.provisioned && !best->provisioned) ||
        (s.provisioned == best->provisioned && s.idleSinceNs > best->idleSinceNs))
      best = &s;
  }
  Admission a;
  if (best && best->provisioned) {
    best->state = SlotState::Busy;
    a.kind = Admission::Warm;
    a.envId = best->id;
    return a;
  }
  if (!hasRoom(function, &a.reason)) {
    a.kind = Admission::Throttled;
    return a;
  }
  if (best) {
    best->state = SlotState::Busy;
    a.kind = Admission::Warm;
    a.envId = best->id;
    return a;
  }
  a.kind = Admission::Cold;
  a.envId = newSlot(function, version, SlotState::Initializing, false);
  return a;
}

std::optional<uint64_t> PoolSet::addProvisioned(const std::string& function, const std::string& version) {
  std::string reason;
  if (!hasRoom(function, &reason)) return std::nullopt;
  return newSlot(function, version, SlotState::Initializing, true);
}

uint64_t PoolSet::newSlot(const std::string& function, const std::string& version, SlotState state, bool provisioned) {
  Slot s;
  s.id = nextId_++;
  s.function = function;
  s.version = version;
  s.state = state;
  s.provisioned = provisioned;
  s.idleSinceNs = clock_.nowNs();
  slots_[s.id] = s;
  return s.id;
}

void PoolSet::setIdle(uint64_t id) {
  auto it = slots_.find(id);
  if (it == slots_.end()) return;
  it->second.state = SlotState::Idle;
  it->second.idleSinceNs = clock_.nowNs();
}

void PoolSet::remove(uint64_t id) { slots_.erase(id); }

std::vector<uint64_t> PoolSet::expireIdle(int64_t idleNs) {
  std::vector<uint64_t> out;
  int64_t now = clock_.nowNs();
  for (auto it = slots_.begin(); it != slots_.end();) {
    const Slot& s = it->second;
    if (!s.provisioned && s.state == SlotState::Idle && now - s.idleSinceNs >= idleNs) {
      out.push_back(s.id);
      it = slots_.erase(it);
    } else {
      ++it;
    }
  }
  return out;
}

const Slot* PoolSet::slot(uint64_t id) const {
  auto it = slots_.find(id);
  return it == slots_.end() ? nullptr : &it->second;
}

std::vector<uint64_t> PoolSet::slotsOf(const std::string& function) const {
  std::vector<uint64_t> out;
  for (const auto& [id, s] : slots_)
    if (s.function == function) out.push_back(id);
  return out;
}

}  // namespace cdnlab::lambda
