// Acceptor: a worker's accept loop on its listening socket. It accepts itself (accept4 on a
// uv_poll_t) rather than through uv_listen, because it must be able to stop: when the process
// or the system runs out of file descriptors (EMFILE / ENFILE) there is nothing to accept into,
// and retrying at once spins the loop thread so that nothing else (reads, timers, stop) runs.
// Instead the acceptor counts the error and pauses for kPauseMs, or until the worker frees a
// descriptor (resume()); pending connections wait in the kernel's backlog meanwhile, as nginx
// does. Connections already accepted keep being served, and idle timeouts keep firing.
#pragma once

#include <uv.h>

#include <cstdint>
#include <functional>

#include "common/http/server.h"
#include "common/result.h"

namespace cdnlab::http {

class Acceptor {
 public:
  // One accept from the listening fd: a new non-blocking, close-on-exec socket, or -errno.
  // Replaceable so that tests can drive the error paths.
  using AcceptFn = std::function<int(int listenFd)>;
  static int systemAccept(int listenFd);

  static constexpr uint64_t kPauseMs = 100;  // how long the listener rests after EMFILE/ENFILE
  static constexpr int kMaxPerWakeup = 128;  // accepts per readiness event, so reads get a turn

  // onSocket gets each accepted socket and owns it from then on.
  Acceptor(uv_loop_t* loop, ServerStats& stats, std::function<void(int fd)> onSocket,
           AcceptFn accept = &Acceptor::systemAccept);
  Acceptor(const Acceptor&) = delete;
  Acceptor& operator=(const Acceptor&) = delete;

  // Takes ownership of the listening `fd` (bound and listening) and starts accepting. On error
  // the fd is closed.
  Result<bool> start(int fd);
  // Stops accepting and closes the listening socket; the handles close on the next loop turn.
  // Idempotent. The acceptor must outlive that loop turn.
  void close();
  // A descriptor was freed: if paused, try accepting now rather than when the pause ends.
  void resume();
  bool paused() const { return paused_; }
  bool open() const { return open_; }

 private:
  static void onReadable(uv_poll_t* p, int status, int events);
  static void onPauseEnd(uv_timer_t* t);
  void acceptSome();
  void pause();

  uv_loop_t* loop_;
  ServerStats& stats_;
  std::function<void(int)> onSocket_;
  AcceptFn accept_;
  uv_poll_t poll_;
  uv_timer_t pauseTimer_;
  int fd_ = -1;
  bool open_ = false;
  bool paused_ = false;
};

}  // namespace cdnlab::http
