// One server worker: a thread, its libuv loop, its SO_REUSEPORT listening socket and its
// connections (internal to HttpServer).
#pragma once

#include <uv.h>

#include <atomic>
#include <ctime>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/http/acceptor.h"
#include "common/http/server.h"

namespace cdnlab::http {

class Connection;
struct ServerWrite;

class Worker {
 public:
  Worker(HttpServer* server, int index);
  ~Worker();
  // Loop thread not running yet: creates the loop and handles, and listens on `fd` (already
  // bound; the worker owns it from here). On error everything is torn down again.
  Result<bool> init(int fd);
  void run();                      // thread body
  void stopAsync(uint64_t graceMs);  // any thread
  bool post(std::function<void()> fn);

  HttpServer* server() const { return server_; }
  uv_loop_t* loop() { return &loop_; }
  int index() const { return index_; }
  bool stopping() const { return stopping_; }
  char* readBuffer() { return readBuf_.data(); }
  size_t readBufferSize() const { return readBuf_.size(); }
  // "Date: ..." value, reformatted at most once a second.
  const char* date();

  // Write requests come from a small free list: no allocation per response in steady state.
  ServerWrite* takeWrite();
  void releaseWrite(ServerWrite* w);

  void add(Connection* c);
  void remove(Connection* c);  // from the connection's close callback

 private:
  void onSocket(int fd);
  Worker* leastLoaded();      // the worker holding the fewest connections (this one on a tie)
  void adopt(int fd);         // on this worker's thread: serve a socket another worker accepted
  static void onAsync(uv_async_t* a);
  static void onGrace(uv_timer_t* t);
  void beginStop(uint64_t graceMs);
  void finishStopIfDone();
  void closeHandles();

  HttpServer* server_;
  int index_;
  uv_loop_t loop_;
  Acceptor acceptor_;
  uv_async_t async_;
  uv_timer_t grace_;
  bool loopReady_ = false;
  bool handlesOpen_ = false;
  // Connections this worker serves or is being handed; other workers read it to balance.
  // Declared before posted_: a hand-over dropped with posted_ still gives its count back.
  std::atomic<size_t> load_{0};
  std::mutex mu_;
  std::vector<std::function<void()>> posted_;  // guarded by mu_
  bool asyncClosed_ = false;                   // guarded by mu_
  bool stopping_ = false;
  bool stopped_ = false;
  Connection* connections_ = nullptr;
  size_t connectionCount_ = 0;
  std::string readBuf_;
  std::vector<std::unique_ptr<ServerWrite>> freeWrites_;
  time_t dateSecond_ = 0;
  char date_[30] = {};
};

}  // namespace cdnlab::http
