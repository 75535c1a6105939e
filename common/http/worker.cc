// Server worker: accept loop, cross-thread posts and graceful stop (see worker.h).
#include "common/http/worker.h"

#include <unistd.h>

#include <utility>

#include "common/http/connection.h"
#include "common/log.h"

namespace cdnlab::http {

Worker::Worker(HttpServer* server, int index)
    : server_(server),
      index_(index),
      acceptor_(&loop_, server->stats_, [this](int fd) { onSocket(fd); }),
      readBuf_(64 * 1024, '\0') {}

Worker::~Worker() {
  if (!loopReady_) return;
  if (handlesOpen_) closeHandles();  // init() succeeded but the thread never ran (start failed)
  // Every handle an owner opened on this loop (onWorkerStart) must be closed by onWorkerStop;
  // one left open keeps the loop's memory and is named here so it can be found.
  if (uv_loop_close(&loop_) != 0) {
    uv_walk(&loop_, [](uv_handle_t* h, void* arg) {
      LOG_ERROR("worker %d: libuv %s handle still open at exit", *static_cast<int*>(arg), uv_handle_type_name(h->type));
    }, &index_);
  }
}

void Worker::closeHandles() {
  handlesOpen_ = false;
  acceptor_.close();
  uv_close(reinterpret_cast<uv_handle_t*>(&async_), nullptr);
  uv_close(reinterpret_cast<uv_handle_t*>(&grace_), nullptr);
  uv_run(&loop_, UV_RUN_DEFAULT);
  std::lock_guard<std::mutex> lock(mu_);
  asyncClosed_ = true;
}

Result<bool> Worker::init(int fd) {
  int rc = uv_loop_init(&loop_);
  if (rc != 0) ::close(fd);
  if (rc != 0) return Error{rc, std::string("uv_loop_init: ") + uv_strerror(rc)};
  loop_.data = this;
  uv_async_init(&loop_, &async_, &Worker::onAsync);
  async_.data = this;
  uv_timer_init(&loop_, &grace_);
  grace_.data = this;
  loopReady_ = true;
  handlesOpen_ = true;
  Result<bool> r = acceptor_.start(fd);  // closes fd on error
  if (!r.ok()) {
    closeHandles();
    return Error{r.error().code, "listen: " + r.error().message};
  }
  return true;
}

void Worker::run() {
  handlesOpen_ = false;  // from here on the loop thread closes them (stop)
  if (server_->onWorkerStart_) server_->onWorkerStart_(WorkerInfo{&loop_, index_});
  uv_run(&loop_, UV_RUN_DEFAULT);
}

bool Worker::post(std::function<void()> fn) {
  std::lock_guard<std::mutex> lock(mu_);
  if (asyncClosed_) return false;
  posted_.push_back(std::move(fn));
  uv_async_send(&async_);
  return true;
}

void Worker::stopAsync(uint64_t graceMs) {
  post([this, graceMs] { beginStop(graceMs); });
}

void Worker::onAsync(uv_async_t* a) {
  auto* self = static_cast<Worker*>(a->data);
  std::vector<std::function<void()>> batch;
  {
    std::lock_guard<std::mutex> lock(self->mu_);
    batch.swap(self->posted_);
  }
  for (auto& fn : batch) fn();
}

// Exact connection balance (as Envoy's exact balancer does). SO_REUSEPORT hashes each
// connection's addresses to a worker, so 64 keep-alive connections split 40/24 about as often as
// 32/32, and for as long as they live the busier worker's connections wait longer for their turn:
// it sets the tail latency, and a loaded core limits them while the other has room. So a worker
// that accepts a connection while another serves fewer hands the socket over to that one (a
// post to its loop, once per connection; requests never cross threads).
void Worker::onSocket(int fd) {
  if (stopping_) {
    ::close(fd);
    return;
  }
  Worker* target = leastLoaded();
  target->load_.fetch_add(1, std::memory_order_relaxed);
  if (target == this) return adopt(fd);
  // Owns the socket until the target adopts it: a post dropped by a worker that stopped
  // meanwhile closes it instead of leaking it.
  struct HandedSocket {
    HandedSocket(int f, Worker* w) : fd(f), to(w) {}
    HandedSocket(const HandedSocket&) = delete;
    HandedSocket& operator=(const HandedSocket&) = delete;
    int fd;
    Worker* to;
    ~HandedSocket() {
      if (fd < 0) return;
      ::close(fd);
      to->load_.fetch_sub(1, std::memory_order_relaxed);
    }
  };
  auto handed = std::make_shared<HandedSocket>(fd, target);
  server_->stats_.connectionsHandedOver.fetch_add(1, std::memory_order_relaxed);
  if (!target->post([handed] { handed->to->adopt(std::exchange(handed->fd, -1)); })) {
    // The target has stopped meanwhile: serve the socket here after all.
    target->load_.fetch_sub(1, std::memory_order_relaxed);
    load_.fetch_add(1, std::memory_order_relaxed);
    adopt(std::exchange(handed->fd, -1));
  }
}

Worker* Worker::leastLoaded() {
  Worker* best = this;
  size_t least = load_.load(std::memory_order_relaxed);
  for (auto& w : server_->workers_) {
    size_t l = w->load_.load(std::memory_order_relaxed);
    if (l < least) {
      least = l;
      best = w.get();
    }
  }
  return best;
}

void Worker::adopt(int fd) {
  if (stopping_) {
    ::close(fd);
    load_.fetch_sub(1, std::memory_order_relaxed);
    return;
  }
  auto* conn = new Connection(this);
  conn->open(fd);  // counted in load_ until remove()
}

ServerWrite* Worker::takeWrite() {
  if (freeWrites_.empty()) return new ServerWrite{};
  ServerWrite* w = freeWrites_.back().release();
  freeWrites_.pop_back();
  return w;
}

void Worker::releaseWrite(ServerWrite* w) {
  constexpr size_t kMaxFree = 1024;
  constexpr size_t kMaxHeadCapacity = 16 * 1024;  // don't hoard a rare huge head
  if (freeWrites_.size() >= kMaxFree || w->head.capacity() > kMaxHeadCapacity || w->cipher.capacity() > 4 * kMaxHeadCapacity) {
    delete w;
    return;
  }
  w->conn = nullptr;
  w->head.clear();
  w->cipher.clear();
  w->block = Buffer();
  w->body = Buffer();  // releases the body reference now, not when reused
  freeWrites_.emplace_back(w);
}

void Worker::add(Connection* c) {
  c->next = connections_;
  if (connections_) connections_->prev = c;
  connections_ = c;
  ++connectionCount_;
  server_->stats_.accepted.fetch_add(1, std::memory_order_relaxed);
  server_->stats_.openConnections.fetch_add(1, std::memory_order_relaxed);
}

void Worker::remove(Connection* c) {
  if (c->prev) c->prev->next = c->next;
  else connections_ = c->next;
  if (c->next) c->next->prev = c->prev;
  --connectionCount_;
  load_.fetch_sub(1, std::memory_order_relaxed);
  server_->stats_.openConnections.fetch_sub(1, std::memory_order_relaxed);
  acceptor_.resume();  // a descriptor was just freed: a listener paused on EMFILE can use it
  finishStopIfDone();
}

const char* Worker::date() {
  time_t now = time(nullptr);
  if (now != dateSecond_) {
    dateSecond_ = now;
    formatHttpDate(now, date_);
    date_[29] = '\0';
  }
  return date_;
}

void Worker::beginStop(uint64_t graceMs) {
  if (stopping_) return;
  stopping_ = true;
  acceptor_.close();
  // Idle connections close now; busy ones after their in-flight responses are written.
  for (Connection* c = connections_; c;) {
    Connection* next = c->next;
    c->drain();
    c = next;
  }
  uv_timer_start(&grace_, &Worker::onGrace, graceMs, 0);
  finishStopIfDone();
}

void Worker::onGrace(uv_timer_t* t) {
  auto* self = static_cast<Worker*>(t->data);
  if (self->connectionCount_ > 0)
    LOG_WARN("worker %d: closing %zu connections still busy after the stop grace period", self->index_,
             self->connectionCount_);
  for (Connection* c = self->connections_; c;) {
    Connection* next = c->next;
    c->close();
    c = next;
  }
}

void Worker::finishStopIfDone() {
  if (!stopping_ || stopped_ || connectionCount_ > 0) return;
  stopped_ = true;
  if (server_->onWorkerStop_) server_->onWorkerStop_(WorkerInfo{&loop_, index_});
  {
    std::lock_guard<std::mutex> lock(mu_);
    asyncClosed_ = true;
  }
  uv_timer_stop(&grace_);
  uv_close(reinterpret_cast<uv_handle_t*>(&grace_), nullptr);
  uv_close(reinterpret_cast<uv_handle_t*>(&async_), nullptr);
  // Posted functions that never ran are dropped with the vector.
}

}  // namespace cdnlab::http
