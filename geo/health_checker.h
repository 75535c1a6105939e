// Periodic health checks of the edge PoPs for the router: every interval, a GET <path> (or a
// TCP connect) to each PoP, driven by a libuv timer on the router's loop; results go to
// RouterCore::recordCheck, so a killed PoP stops being chosen once its check fails.
//
// Lifecycle (libuv style): construct on the loop thread, start(), stop() then close(); the
// object must outlive close()'s completion (call the loop until closed() is true, or let
// HttpServer's worker stop run the loop).
#pragma once

#include <uv.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/http/client.h"
#include "geo/router_core.h"

namespace cdnlab::geo {

class HealthChecker {
 public:
  // `onChange(popIndex)` fires (on the loop) when a PoP's health flips; may be empty.
  HealthChecker(uv_loop_t* loop, RouterCore& core, std::function<void(size_t)> onChange = {});
  ~HealthChecker();
  HealthChecker(const HealthChecker&) = delete;
  HealthChecker& operator=(const HealthChecker&) = delete;

  // Checks every PoP now, then every interval.
  void start();
  // Stops the timer and the HTTP client; checks in flight are dropped (not recorded).
  void close();

  uint64_t rounds() const { return rounds_; }

 private:
  struct TcpProbe;
  static void onTimer(uv_timer_t* t);
  void checkAll();
  void checkHttp(size_t i);
  void checkTcp(size_t i);
  void finish(size_t i, bool ok, uint64_t startNs, std::string error);
  std::pair<std::string, int> target(size_t i) const;

  uv_loop_t* loop_;
  RouterCore& core_;
  std::function<void(size_t)> onChange_;
  uv_timer_t* timer_;  // heap: freed in its close callback, which may run after we are gone
  std::unique_ptr<http::HttpClient> client_;
  std::vector<bool> inFlight_;
  std::shared_ptr<bool> alive_;  // probes check it before touching `this`
  uint64_t rounds_ = 0;
  bool closed_ = false;
};

}  // namespace cdnlab::geo
