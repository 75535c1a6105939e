// System and fake clocks (see clock.h).
#include "common/clock.h"

namespace cdnlab {

int64_t SystemClock::nowNs() const {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return int64_t{ts.tv_sec} * 1000000000 + ts.tv_nsec;
}

time_t SystemClock::wallSeconds() const { return time(nullptr); }

SystemClock& SystemClock::instance() {
  static SystemClock clock;
  return clock;
}

void FakeClock::advanceNs(int64_t ns) {
  ns_.fetch_add(ns);
  // Carry whole seconds of accumulated advance into the wall clock.
  int64_t sub = subSecondNs_.fetch_add(ns) + ns;
  int64_t whole = sub / 1000000000;
  if (whole != 0) {
    subSecondNs_.fetch_sub(whole * 1000000000);
    wall_.fetch_add(static_cast<time_t>(whole));
  }
}

}  // namespace cdnlab
