// Clock: time as a parameter. Pure code (cache freshness, token buckets, histograms over time)
// takes a Clock& or a `now` value and never calls the system; tests drive a FakeClock.
#pragma once

#include <atomic>
#include <cstdint>
#include <ctime>

namespace cdnlab {

class Clock {
 public:
  virtual ~Clock() = default;
  // Monotonic time (never goes back), for durations, timeouts and latency.
  virtual int64_t nowNs() const = 0;
  int64_t nowMs() const { return nowNs() / 1000000; }
  int64_t nowUs() const { return nowNs() / 1000; }
  // Wall-clock seconds since the Unix epoch, for Date / Expires / Age / Last-Modified.
  virtual time_t wallSeconds() const = 0;
};

// The real clocks (CLOCK_MONOTONIC and CLOCK_REALTIME). Stateless and thread-safe.
class SystemClock final : public Clock {
 public:
  int64_t nowNs() const override;
  time_t wallSeconds() const override;
  static SystemClock& instance();
};

// A clock that moves only when told to. Thread-safe (atomics), so a test may advance it while
// a server thread reads it. Starts at monotonic 1 s and wall time 2024-01-01T00:00:00Z unless set.
class FakeClock final : public Clock {
 public:
  FakeClock() = default;
  FakeClock(int64_t monoNs, time_t wall) : ns_(monoNs), wall_(wall) {}
  int64_t nowNs() const override { return ns_.load(std::memory_order_relaxed); }
  time_t wallSeconds() const override { return wall_.load(std::memory_order_relaxed); }

  void setNs(int64_t ns) { ns_.store(ns); }
  void setWall(time_t s) { wall_.store(s); }
  // Advances both clocks together, as real time would.
  void advanceNs(int64_t ns);
  void advanceMs(int64_t ms) { advanceNs(ms * 1000000); }
  void advanceSeconds(int64_t s) { advanceNs(s * 1000000000); }

 private:
  std::atomic<int64_t> ns_{1000000000};
  std::atomic<time_t> wall_{1704067200};
  std::atomic<int64_t> subSecondNs_{0};  // carries partial seconds into the wall clock
};

}  // namespace cdnlab
