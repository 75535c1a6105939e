// Acceptor: accept4 on readiness, pause on descriptor exhaustion (see acceptor.h).
#include "common/http/acceptor.h"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <string>

namespace cdnlab::http {

int Acceptor::systemAccept(int listenFd) {
  int fd = accept4(listenFd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
  return fd >= 0 ? fd : -errno;
}

Acceptor::Acceptor(uv_loop_t* loop, ServerStats& stats, std::function<void(int fd)> onSocket, AcceptFn accept)
    : loop_(loop), stats_(stats), onSocket_(std::move(onSocket)), accept_(std::move(accept)) {}

Result<bool> Acceptor::start(int fd) {
  int rc = uv_poll_init_socket(loop_, &poll_, fd);
  if (rc != 0) {
    ::close(fd);
    return Error{rc, std::string("uv_poll_init_socket: ") + uv_strerror(rc)};
  }
  uv_timer_init(loop_, &pauseTimer_);
  poll_.data = this;
  pauseTimer_.data = this;
  fd_ = fd;
  open_ = true;
  rc = uv_poll_start(&poll_, UV_READABLE, &Acceptor::onReadable);
  if (rc != 0) {
    close();
    return Error{rc, std::string("uv_poll_start: ") + uv_strerror(rc)};
  }
  return true;
}

void Acceptor::close() {
  if (!open_) return;
  open_ = false;
  paused_ = false;
  // uv_close stops the poll at once, so the fd may be closed right after.
  uv_close(reinterpret_cast<uv_handle_t*>(&poll_), nullptr);
  uv_close(reinterpret_cast<uv_handle_t*>(&pauseTimer_), nullptr);
  ::close(fd_);
  fd_ = -1;
}

void Acceptor::onReadable(uv_poll_t* p, int status, int /*events*/) {
  auto* self = static_cast<Acceptor*>(p->data);
  if (status < 0) {
    // The poll itself failed (EBADF and the like): count it and rest rather than spin.
    self->stats_.acceptErrorsOther.fetch_add(1, std::memory_order_relaxed);
    self->pause();
    return;
  }
  self->acceptSome();
}

void Acceptor::acceptSome() {
  for (int i = 0; i < kMaxPerWakeup && open_ && !paused_; ++i) {
    int fd = accept_(fd_);
    if (fd >= 0) {
      onSocket_(fd);
      continue;
    }
    switch (-fd) {
      case EAGAIN:
#if EWOULDBLOCK != EAGAIN
      case EWOULDBLOCK:
#endif
        return;  // backlog empty
      case EINTR:
      case ECONNABORTED:  // the client gave up while queued: nothing to do
      case EPERM:         // a firewall rule refused this one; the next may pass
      case EPROTO:
        continue;
      case EMFILE:
        stats_.acceptErrorsEmfile.fetch_add(1, std::memory_order_relaxed);
        pause();
        return;
      case ENFILE:
        stats_.acceptErrorsEnfile.fetch_add(1, std::memory_order_relaxed);
        pause();
        return;
      default:  // ENOBUFS, ENOMEM, ...: resources short too; retrying at once would spin
        stats_.acceptErrorsOther.fetch_add(1, std::memory_order_relaxed);
        pause();
        return;
    }
  }
}

void Acceptor::pause() {
  if (!open_ || paused_) return;
  paused_ = true;
  stats_.acceptPauses.fetch_add(1, std::memory_order_relaxed);
  uv_poll_stop(&poll_);
  uv_timer_start(&pauseTimer_, &Acceptor::onPauseEnd, kPauseMs, 0);
}

void Acceptor::onPauseEnd(uv_timer_t* t) { static_cast<Acceptor*>(t->data)->resume(); }

void Acceptor::resume() {
  if (!open_ || !paused_) return;
  paused_ = false;
  uv_timer_stop(&pauseTimer_);
  uv_poll_start(&poll_, UV_READABLE, &Acceptor::onReadable);
  // Level-triggered: a backlog that filled while paused reports readable on the next poll.
}

}  // namespace cdnlab::http
