// PoolSet: the execution environments of every function and the concurrency rules that decide,
// for each invocation, whether a warm environment takes it, a new one starts (a cold start) or
// it is throttled. Pure bookkeeping (no processes, no libuv): the Invoker starts and stops the
// environments this class names, and tests drive it with a FakeClock.
//
// Rules (AWS's): an environment runs one invocation at a time. A function with reserved
// concurrency R never has more than R environments busy or starting, provisioned ones included;
// functions without a reservation share what the account limit leaves after every reservation.
// Provisioned environments are allocated up front (they count whether busy or not), are used
// first, and never expire; on-demand idle environments expire after the idle timeout.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"

namespace cdnlab::lambda {

enum class SlotState { Initializing, Idle, Busy };

struct Slot {
  uint64_t id = 0;
  std::string function;
  std::string version;
  SlotState state = SlotState::Initializing;
  bool provisioned = false;
  int64_t idleSinceNs = 0;
};

struct Admission {
  enum Kind { Warm, Cold, Throttled } kind = Throttled;
  uint64_t envId = 0;   // Warm: the environment now Busy; Cold: the new slot (Initializing)
  std::string reason;   // Throttled: AWS's Reason
};

class PoolSet {
 public:
  PoolSet(const Clock& clock, int accountLimit) : clock_(clock), accountLimit_(accountLimit) {}

  // nullopt: the function shares the unreserved pool.
  void setReserved(const std::string& function, std::optional<int> reserved);
  std::optional<int> reserved(const std::string& function) const;
  // Concurrency left to functions without a reservation.
  int unreservedLimit() const;
  int accountLimit() const { return accountLimit_; }

  // One invocation of function:version wants an environment.
  Admission admit(const std::string& function, const std::string& version);
  // A provisioned environment to pre-start: nullopt when the limits have no room for it.
  std::optional<uint64_t> addProvisioned(const std::string& function, const std::string& version);
  // Initialization finished with no invocation waiting (provisioned): Idle.
  void ready(uint64_t id) { setIdle(id); }
  // The invocation on `id` finished: Idle, reusable.
  void release(uint64_t id) { setIdle(id); }
  // The environment is gone (exited, killed, expired).
  void remove(uint64_t id);
  // Removes and returns on-demand environments idle for at least idleNs.
  std::vector<uint64_t> expireIdle(int64_t idleNs);

  const Slot* slot(uint64_t id) const;
  std::vector<uint64_t> slotsOf(const std::string& function) const;
  // Environments counting against the function's concurrency (busy or starting, plus provisioned).
  int used(const std::string& function) const;
  // Invocations running now (busy or starting for an invocation), per function or overall.
  int running(const std::string& function) const;
  int runningTotal() const;
  size_t size() const { return slots_.size(); }

 private:
  bool hasRoom(const std::string& function, std::string* reason) const;
  void setIdle(uint64_t id);
  uint64_t newSlot(const std::string& function, const std::string& version, SlotState state, bool provisioned);

  const Clock& clock_;
  int accountLimit_;
  uint64_t nextId_ = 1;
  std::map<uint64_t, Slot> slots_;
  std::map<std::string, int> reserved_;
};

}  // namespace cdnlab::lambda
