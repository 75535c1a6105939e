// HttpServer: binding the SO_REUSEPORT sockets, starting and stopping the workers (see server.h).
#include "common/http/server.h"

#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/http/worker.h"
#include "common/version.h"

namespace cdnlab::http {

Result<bool> ServerOptions::setListen(std::string_view hostPort) {
  size_t colon = hostPort.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == hostPort.size())
    return Error{0, "listen address must be host:port, got '" + std::string(hostPort) + "'"};
  std::string_view h = hostPort.substr(0, colon);
  if (h.size() >= 2 && h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
  int p = 0;
  for (char c : hostPort.substr(colon + 1)) {
    if (c < '0' || c > '9' || p > 65535) return Error{0, "bad port in '" + std::string(hostPort) + "'"};
    p = p * 10 + (c - '0');
  }
  if (p > 65535) return Error{0, "bad port in '" + std::string(hostPort) + "'"};
  host = std::string(h);
  port = p;
  return true;
}

namespace {

// A non-blocking listening socket with SO_REUSEPORT, so every worker can bind the same port and
// the kernel spreads connections across them. Returns the fd or a negative errno.
int bindReusePort(const sockaddr* addr, socklen_t len, int backlog) {
  int fd = socket(addr->sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return -errno;
  int on = 1;
  if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) != 0 ||
      setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &on, sizeof on) != 0 || bind(fd, addr, len) != 0 ||
      listen(fd, backlog) != 0) {
    int err = errno;
    ::close(fd);
    return -err;
  }
  return fd;
}

// Whether another socket already serves the address. The workers' sockets all set
// SO_REUSEPORT, and so would a second cdnlab process's: the kernel would then silently split
// connections between the two. A plain bind (SO_REUSEADDR only, so TIME_WAIT does not count)
// fails with EADDRINUSE whenever anything is bound there; it is closed again at once.
int probeExclusive(const sockaddr* addr, socklen_t len) {
  int fd = socket(addr->sa_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -errno;
  int on = 1;
  int rc = 0;
  if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) != 0 || bind(fd, addr, len) != 0) rc = -errno;
  ::close(fd);
  return rc;
}

}  // namespace

HttpServer::HttpServer(ServerOptions options, Handler handler)
    : options_(std::move(options)), handler_(std::move(handler)) {}

HttpServer::~HttpServer() {
  stop(0);
  workers_.clear();
}

Result<int> HttpServer::start() {
  if (running_ || !workers_.empty()) return Error{0, "server already started (a server starts once)"};
  sockaddr_storage ss{};
  socklen_t len;
  if (uv_ip4_addr(options_.host.c_str(), options_.port, reinterpret_cast<sockaddr_in*>(&ss)) == 0) {
    len = sizeof(sockaddr_in);
  } else if (uv_ip6_addr(options_.host.c_str(), options_.port, reinterpret_cast<sockaddr_in6*>(&ss)) == 0) {
    len = sizeof(sockaddr_in6);
  } else {
    return Error{0, "listen host must be a numeric IP address, got '" + options_.host + "'"};
  }
  int n = options_.workers > 0 ? options_.workers : static_cast<int>(std::thread::hardware_concurrency());
  if (n <= 0) n = 1;
  // A peer closing mid-write must surface as EPIPE on the write, not kill the process.
  signal(SIGPIPE, SIG_IGN);

  if (options_.port != 0) {
    if (int rc = probeExclusive(reinterpret_cast<sockaddr*>(&ss), len); rc < 0) {
      std::string why = rc == -EADDRINUSE ? "address already in use (another server listens there; two servers never share "
                                            "an address)"
                                          : strerror(-rc);
      return Error{-rc, "cannot listen on " + options_.host + ":" + std::to_string(options_.port) + ": " + why};
    }
  }

  std::vector<std::unique_ptr<Worker>> workers;
  for (int i = 0; i < n; ++i) {
    int fd = bindReusePort(reinterpret_cast<sockaddr*>(&ss), len, options_.backlog);
    if (fd < 0) {
      return Error{-fd, "cannot listen on " + options_.host + ":" + std::to_string(options_.port) + ": " + strerror(-fd)};
    }
    if (i == 0 && options_.port == 0) {
      // Port 0: the first worker got an ephemeral port; the others bind that same port.
      sockaddr_storage bound{};
      socklen_t blen = sizeof bound;
      getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &blen);
      int p = ss.ss_family == AF_INET ? ntohs(reinterpret_cast<sockaddr_in*>(&bound)->sin_port)
                                      : ntohs(reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port);
      options_.port = p;
      if (ss.ss_family == AF_INET) reinterpret_cast<sockaddr_in*>(&ss)->sin_port = htons(static_cast<uint16_t>(p));
      else reinterpret_cast<sockaddr_in6*>(&ss)->sin6_port = htons(static_cast<uint16_t>(p));
    }
    auto w = std::make_unique<Worker>(this, i);
    Result<bool> r = w->init(fd);
    if (!r.ok()) return r.error();  // init closed fd
    workers.push_back(std::move(w));
  }
  port_ = options_.port;
  workers_ = std::move(workers);
  if (options_.serverName.empty()) options_.serverName = versionString();

  // Workers never take SIGINT/SIGTERM: the main thread waits for them (signals.h).
  sigset_t block, old;
  sigemptyset(&block);
  sigaddset(&block, SIGINT);
  sigaddset(&block, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &block, &old);
  for (auto& w : workers_) threads_.emplace_back([wp = w.get()] { wp->run(); });
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  running_ = true;
  return port_;
}

void HttpServer::stop(uint64_t graceMs) {
  if (!running_) return;
  running_ = false;
  for (auto& w : workers_) w->stopAsync(graceMs);
  for (auto& t : threads_) t.join();
  threads_.clear();
  // Workers (and their closed loops) stay until the destructor, so a post() racing with stop()
  // from another thread finds a worker that says no rather than freed memory.
}

bool HttpServer::post(int index, std::function<void()> fn) {
  if (index < 0 || index >= static_cast<int>(workers_.size())) return false;
  return workers_[index]->post(std::move(fn));
}

}  // namespace cdnlab::http
