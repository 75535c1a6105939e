#include "geo/health_checker.h"

#include <chrono>
#include <cstring>

namespace cdnlab::geo {
namespace {

uint64_t toMs(config::Duration d) { return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(d).count()); }

}  // namespace

// One TCP connect attempt with its own timeout timer. Owns itself: freed once both handles
// have closed, whatever happened to the checker meanwhile.
struct HealthChecker::TcpProbe {
  uv_tcp_t tcp;
  uv_connect_t req;
  uv_timer_t timer;
  int open = 0;  // handles not yet closed
  bool done = false;
  std::function<void(bool, std::string)> result;

  static void onClose(uv_handle_t* h) {
    auto* p = static_cast<TcpProbe*>(h->data);
    if (--p->open == 0) delete p;
  }
  void complete(bool ok, std::string error) {
    if (done) return;
    done = true;
    result(ok, std::move(error));
    uv_close(reinterpret_cast<uv_handle_t*>(&timer), onClose);
    uv_close(reinterpret_cast<uv_handle_t*>(&tcp), onClose);  // cancels a pending connect
  }
};

HealthChecker::HealthChecker(uv_loop_t* loop, RouterCore& core, std::function<void(size_t)> onChange)
    : loop_(loop), core_(core), onChange_(std::move(onChange)), timer_(new uv_timer_t),
      inFlight_(core.pops().size(), false), alive_(std::make_shared<bool>(true)) {
  uv_timer_init(loop_, timer_);
  timer_->data = this;
  const auto& hc = core.topology().router.healthCheck;
  http::ClientOptions opts;
  opts.connectTimeoutMs = toMs(hc.timeout);
  opts.responseTimeoutMs = toMs(hc.timeout);
  opts.maxConnectionsPerUpstream = 2;
  opts.retryIdempotent = false;  // a failed check is the signal; never hide it behind a retry
  client_ = std::make_unique<http::HttpClient>(loop_, opts);
}

HealthChecker::~HealthChecker() { close(); }

void HealthChecker::start() {
  const uint64_t interval = std::max<uint64_t>(1, toMs(core_.topology().router.healthCheck.interval));
  uv_timer_start(timer_, onTimer, 0, interval);
}

void HealthChecker::close() {
  if (closed_) return;
  closed_ = true;
  *alive_ = false;
  uv_timer_stop(timer_);
  uv_close(reinterpret_cast<uv_handle_t*>(timer_), [](uv_handle_t* h) { delete reinterpret_cast<uv_timer_t*>(h); });
  client_->close();
}

void HealthChecker::onTimer(uv_timer_t* t) { static_cast<HealthChecker*>(t->data)->checkAll(); }

void HealthChecker::checkAll() {
  ++rounds_;
  const bool tcp = core_.topology().router.healthCheck.mode == HealthCheckSpec::Mode::Tcp;
  for (size_t i = 0; i < core_.pops().size(); ++i) {
    if (inFlight_[i]) continue;  // the previous check is still waiting for its timeout
    inFlight_[i] = true;
    tcp ? checkTcp(i) : checkHttp(i);
  }
}

std::pair<std::string, int> HealthChecker::target(size_t i) const {
  const PopSpec& spec = core_.pops()[i].spec;
  const config::HostPort& hp = spec.admin ? *spec.admin : spec.address;
  return {hp.host, hp.port};
}

void HealthChecker::checkHttp(size_t i) {
  auto [host, port] = target(i);
  http::ClientRequest req;
  req.host = host;
  req.port = port;
  req.target = core_.topology().router.healthCheck.path;
  req.headers.add("User-Agent", "cdnlab-router-healthcheck");
  const uint64_t start = uv_hrtime();
  std::weak_ptr<bool> alive = alive_;
  client_->request(std::move(req), [this, i, start, alive](Result<http::ClientResponse> r) {
    auto a = alive.lock();
    if (!a || !*a) return;
    if (!r.ok()) return finish(i, false, start, r.error().message);
    if (r->status >= 500) return finish(i, false, start, "status " + std::to_string(r->status));
    finish(i, true, start, {});
  });
}

void HealthChecker::checkTcp(size_t i) {
  auto [host, port] = target(i);
  const uint64_t start = uv_hrtime();
  auto* p = new TcpProbe;
  std::weak_ptr<bool> alive = alive_;
  p->result = [this, i, start, alive](bool ok, std::string error) {
    auto a = alive.lock();
    if (a && *a) finish(i, ok, start, std::move(error));
  };
  sockaddr_in addr{};
  if (uv_ip4_addr(host.c_str(), port, &addr) != 0) {
    delete p;
    return finish(i, false, start, "bad address " + host);
  }
  uv_tcp_init(loop_, &p->tcp);
  uv_timer_init(loop_, &p->timer);
  p->tcp.data = p->timer.data = p->req.data = p;
  p->open = 2;
  const int rc = uv_tcp_connect(&p->req, &p->tcp, reinterpret_cast<const sockaddr*>(&addr), [](uv_connect_t* req, int status) {
    auto* probe = static_cast<TcpProbe*>(req->data);
    if (status == UV_ECANCELED) return;  // closed by complete() after a timeout
    probe->complete(status == 0, status == 0 ? "" : uv_strerror(status));
  });
  if (rc != 0) return p->complete(false, uv_strerror(rc));
  uv_timer_start(&p->timer, [](uv_timer_t* t) { static_cast<TcpProbe*>(t->data)->complete(false, "connect timed out"); },
                 toMs(core_.topology().router.healthCheck.timeout), 0);
}

void HealthChecker::finish(size_t i, bool ok, uint64_t startNs, std::string error) {
  inFlight_[i] = false;
  const double ms = static_cast<double>(uv_hrtime() - startNs) / 1e6;
  if (core_.recordCheck(i, ok, ms, std::move(error)) && onChange_) onChange_(i);
}

}  // namespace cdnlab::geo
