// The libuv side of the PoP (see pop_server.h): listeners, per-worker upstream clients, timers.
#include "edge/pop/pop_server.h"

#include "common/http/client.h"
#include "common/log.h"
#include "edge/pop/admin.h"

#include <cmath>
#include <memory>
#include <thread>
#include <unordered_set>

namespace cdnlab::edge::pop {

namespace {
uint64_t toMs(Duration d) { return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(d).count()); }
// Collapse waits are bounded by Collapser::expire; checking often keeps the bound tight.
constexpr uint64_t kTickMs = 50;
// Items the TTL sweep inspects per tick: bounded so one tick never stalls worker 0's clients.
constexpr uint32_t kSweepWork = 4096;
}  // namespace

// One worker's Io: the upstream client pool bound to its loop, and posting onto that loop.
class WorkerIo final : public Io {
 public:
  WorkerIo(http::HttpServer& http, const PopConfig& config, const http::WorkerInfo& w)
      : http_(http), config_(config), index_(w.index), client_(w.loop, clientOptions(config)) {}

  static http::ClientOptions clientOptions(const PopConfig& config) {
    http::ClientOptions o;
    o.connectTimeoutMs = toMs(config.upstreamConnectTimeout);
    o.responseTimeoutMs = toMs(config.upstreamTimeout);
    return o;
  }

  void fetch(UpstreamRequest request, std::function<void(UpstreamResult)> done) override {
    // Rounded, not truncated: libuv timers have 1 ms resolution, and a same-city hop (~0.5 ms)
    // should not vanish.
    const uint64_t rttMs = static_cast<uint64_t>((config_.upstreamRtt.count() + 500'000) / 1'000'000);
    if (rttMs == 0)
      return exchange(std::move(request), [done = std::move(done)](UpstreamResult r, bool) { done(std::move(r)); });
    // The latency model's upstream hop: one RTT before the request leaves, and one more after
    // a response that needed a new connection (its TCP handshake), so a kept-alive exchange
    // costs one RTT and a fresh one two, as LatencyModel::exchangeMs says.
    auto shared = std::make_shared<UpstreamRequest>(std::move(request));
    after(rttMs, [this, shared, rttMs, done = std::move(done)]() mutable {
      exchange(std::move(*shared), [this, rttMs, done = std::move(done)](UpstreamResult r, bool reused) mutable {
        // One more RTT after a new connection's handshake, and the body's transfer time.
        uint64_t waitMs = reused || !r.ok() ? 0 : rttMs;
        if (r.ok() && config_.upstreamBandwidthMbps > 0)
          waitMs += static_cast<uint64_t>(
              std::llround(static_cast<double>(r->body.size()) * 8.0 / (config_.upstreamBandwidthMbps * 1000.0)));
        if (waitMs == 0) return done(std::move(r));
        auto result = std::make_shared<UpstreamResult>(std::move(r));
        after(waitMs, [result, done = std::move(done)] { done(std::move(*result)); });
      });
    });
  }

  // One upstream request/response; `done(result, reusedConnection)`.
  void exchange(UpstreamRequest request, std::function<void(UpstreamResult, bool)> done) {
    http::ClientRequest req;
    // A cache behavior's own origin, or the PoP's upstream; the client pools per host:port.
    req.host = request.host.empty() ? config_.upstreamHost : std::move(request.host);
    req.port = request.port ? request.port : config_.upstreamPort;
    req.method = std::move(request.method);
    req.target = std::move(request.target);
    req.headers = std::move(request.headers);
    req.body = std::move(request.body);
    req.onInterim = std::move(request.onInterim);
    std::string where = req.host + ":" + std::to_string(req.port);
    client_.request(std::move(req), [done = std::move(done), where = std::move(where)](Result<http::ClientResponse> r) {
      if (!r.ok()) {
        int status = http::gatewayStatusFor(r.error());
        std::string why = "upstream " + where +
                          ": " + http::clientErrorName(static_cast<http::ClientError>(r.error().code));
        if (!r.error().message.empty()) why += " (" + r.error().message + ")";
        done(Error{status, std::move(why)}, false);
        return;
      }
      const bool reused = r->reusedConnection;
      UpstreamResponse resp;
      resp.status = r->status;
      resp.headers = std::move(r->headers);
      resp.body = std::move(r->body);
      done(std::move(resp), reused);
    });
  }

  // Runs fn after `ms` on this worker's loop (a one-shot libuv timer, never a sleep). Timers
  // still pending when the worker closes are closed with it and their fn never runs.
  void after(uint64_t ms, std::function<void()> fn) {
    auto* t = new DelayTimer{{}, std::move(fn), this};
    uv_timer_init(client_.loop(), &t->timer);
    t->timer.data = t;
    delays_.insert(t);
    uv_timer_start(&t->timer, [](uv_timer_t* h) {
      auto* d = static_cast<DelayTimer*>(h->data);
      d->io->delays_.erase(d);
      std::function<void()> run = std::move(d->fn);
      closeDelay(d);
      run();
    }, ms, 0);
  }

  void post(std::function<void()> fn) override { http_.post(index_, std::move(fn)); }

  // A libuv check handle runs right after this pass's I/O callbacks; an idle handle keeps the
  // pass's poll from blocking when the call came from a timer (before the poll phase). Both are
  // stopped again once the functions ran, so an idle worker pays nothing.
  void atPassEnd(std::function<void()> fn) override {
    if (!passEndCheck_) {
      passEndCheck_ = new uv_check_t;
      passEndIdle_ = new uv_idle_t;
      uv_check_init(client_.loop(), passEndCheck_);
      uv_idle_init(client_.loop(), passEndIdle_);
      passEndCheck_->data = this;
    }
    if (passEndFns_.empty()) {
      uv_check_start(passEndCheck_, [](uv_check_t* h) { static_cast<WorkerIo*>(h->data)->runPassEnd(); });
      uv_idle_start(passEndIdle_, [](uv_idle_t*) {});
    }
    passEndFns_.push_back(std::move(fn));
  }

  bool setBeforeWait(std::function<void()> fn) override {
    if (!beforeWait_) {
      beforeWait_ = new uv_prepare_t;
      uv_prepare_init(client_.loop(), beforeWait_);
      beforeWait_->data = this;
    }
    beforeWaitFn_ = std::move(fn);
    return true;
  }
  void armBeforeWait(bool on) override {
    if (!beforeWait_) return;
    if (on) {
      uv_prepare_start(beforeWait_, [](uv_prepare_t* h) { static_cast<WorkerIo*>(h->data)->beforeWaitFn_(); });
    } else {
      uv_prepare_stop(beforeWait_);
    }
  }

  void callService(std::string host, int port, UpstreamRequest request,
                   std::function<void(UpstreamResult)> done) override {
    http::ClientRequest req;
    req.host = std::move(host);
    req.port = port;
    req.method = std::move(request.method);
    req.target = std::move(request.target);
    req.headers = std::move(request.headers);
    req.body = std::move(request.body);
    client_.request(std::move(req), [done = std::move(done)](Result<http::ClientResponse> r) {
      if (!r.ok()) {
        done(Error{502, std::string("lambda endpoint: ") + http::clientErrorName(static_cast<http::ClientError>(r.error().code)) +
                            (r.error().message.empty() ? "" : " (" + r.error().message + ")")});
        return;
      }
      UpstreamResponse resp;
      resp.status = r->status;
      resp.headers = std::move(r->headers);
      resp.body = std::move(r->body);
      done(std::move(resp));
    });
  }

  // Worker 0's periodic work: wake collapse followers past their wait, sweep expired entries.
  void startTicker(PopCore& core) {
    core_ = &core;
    timer_ = new uv_timer_t;
    uv_timer_init(client_.loop(), timer_);
    timer_->data = this;
    uv_timer_start(timer_, [](uv_timer_t* t) { static_cast<WorkerIo*>(t->data)->tick(); }, kTickMs, kTickMs);
  }
  void tick() {
    int64_t now = core_->nowMs();
    core_->collapser().expire(now);
    int64_t mono = core_->clock().nowNs();
    if (mono - lastSweepNs_ >= std::chrono::duration_cast<std::chrono::nanoseconds>(config_.sweepInterval).count()) {
      lastSweepNs_ = mono;
      core_->store().sweepExpired(now, kSweepWork);
    }
  }
  // Called on the worker's thread when it stops; the loop runs afterwards so handles close.
  void close() {
    for (DelayTimer* d : delays_) closeDelay(d);
    delays_.clear();
    if (timer_) {
      // The handle's memory must stay valid until its close callback (libuv's lifecycle rule).
      uv_close(reinterpret_cast<uv_handle_t*>(timer_), [](uv_handle_t* h) { delete reinterpret_cast<uv_timer_t*>(h); });
      timer_ = nullptr;
    }
    passEndFns_.clear();
    if (beforeWait_) {
      uv_close(reinterpret_cast<uv_handle_t*>(beforeWait_), [](uv_handle_t* h) { delete reinterpret_cast<uv_prepare_t*>(h); });
      beforeWait_ = nullptr;
    }
    if (passEndCheck_) {
      uv_close(reinterpret_cast<uv_handle_t*>(passEndCheck_), [](uv_handle_t* h) { delete reinterpret_cast<uv_check_t*>(h); });
      uv_close(reinterpret_cast<uv_handle_t*>(passEndIdle_), [](uv_handle_t* h) { delete reinterpret_cast<uv_idle_t*>(h); });
      passEndCheck_ = nullptr;
      passEndIdle_ = nullptr;
    }
    client_.close();
  }

 private:
  void runPassEnd() {
    uv_check_stop(passEndCheck_);
    uv_idle_stop(passEndIdle_);
    std::vector<std::function<void()>> run;
    run.swap(passEndFns_);
    for (auto& fn : run) fn();
  }

  http::HttpServer& http_;
  const PopConfig& config_;
  int index_;
  http::HttpClient client_;
  PopCore* core_ = nullptr;
  uv_timer_t* timer_ = nullptr;
  int64_t lastSweepNs_ = 0;
  uv_check_t* passEndCheck_ = nullptr;  // atPassEnd()
  uv_idle_t* passEndIdle_ = nullptr;
  std::vector<std::function<void()>> passEndFns_;
  uv_prepare_t* beforeWait_ = nullptr;  // setBeforeWait()
  std::function<void()> beforeWaitFn_;

  struct DelayTimer {
    uv_timer_t timer;
    std::function<void()> fn;
    WorkerIo* io;
  };
  static void closeDelay(DelayTimer* d) {
    // The memory must stay valid until the close callback (libuv's lifecycle rule).
    uv_close(reinterpret_cast<uv_handle_t*>(&d->timer), [](uv_handle_t* h) { delete static_cast<DelayTimer*>(h->data); });
  }
  std::unordered_set<DelayTimer*> delays_;  // pending upstream-latency timers, closed on close()
};

PopServer::PopServer(const PopConfig& config, const Clock& clock) : config_(config), clock_(clock) {}

PopServer::~PopServer() {
  stop(0);
  // The pool's last completions (jobs it rejects while stopping, handlers it waits for) go to the
  // lanes, which post to their workers through http_: once the loops have stopped, a post is
  // refused, but http_ itself must still exist. So the pool goes now, before http_ and ios_.
  if (core_) core_->setFunctions(nullptr);
  functions_.reset();
}

Result<std::unique_ptr<PopServer>> PopServer::create(const PopConfig& config, const Clock& clock) {
  std::unique_ptr<PopServer> s(new PopServer(config, clock));
  auto store = cache::CacheStore::create(PopCore::storeConfig(s->config_));
  if (!store.ok()) return store.error();
  s->store_ = std::move(store.value());
  s->collapser_ = std::make_unique<cache::Collapser>(PopCore::collapseConfig(s->config_));
  s->core_ = std::make_unique<PopCore>(s->config_, s->clock_, *s->store_, *s->collapser_, s->metrics_);
  auto functions = FunctionRunner::create(s->config_);
  if (!functions.ok()) return functions.error();
  s->functions_ = std::move(functions.value());
  s->core_->setFunctions(s->functions_.get());
  if (!s->config_.accessLog.empty()) {
    auto log = AccessLog::open(s->config_.accessLog, !s->config_.behaviors.empty());
    if (!log.ok()) return log.error();
    s->accessLog_ = std::move(log.value());
  }

  http::ServerOptions opt;
  opt.host = s->config_.listen.host;
  opt.port = s->config_.listen.port;
  opt.workers = static_cast<int>(s->config_.workers ? s->config_.workers : std::max(1u, std::thread::hardware_concurrency()));
  opt.serverName = "cdnlab-pop";
  s->ios_.resize(static_cast<size_t>(opt.workers));
  PopServer* self = s.get();
  s->http_ = std::make_unique<http::HttpServer>(opt, [self](const http::RequestContextPtr& ctx) { self->handle(ctx); });
  s->http_->onWorkerStart([self](const http::WorkerInfo& w) { self->workerStart(w); });
  s->http_->onWorkerStop([self](const http::WorkerInfo& w) { self->workerStop(w); });

  if (s->config_.admin) {
    http::ServerOptions aopt;
    aopt.host = s->config_.admin->host;
    aopt.port = s->config_.admin->port;
    aopt.workers = 1;  // purges and scrapes are rare; one loop is plenty
    aopt.serverName = "cdnlab-pop-admin";
    s->admin_ = std::make_unique<http::HttpServer>(aopt, [self](const http::RequestContextPtr& ctx) {
      ctx->respond(handleAdmin(*self->core_, self->config_.adminToken, ctx->request()));
    });
  }
  s->metrics_.servers.push_back({"pop", &s->http_->stats()});
  if (s->admin_) s->metrics_.servers.push_back({"admin", &s->admin_->stats()});
  return s;
}

Result<bool> PopServer::start() {
  auto port = http_->start();
  if (!port.ok()) return Error{port.error().code, "listen " + config_.listen.str() + ": " + port.error().message};
  if (admin_) {
    auto aport = admin_->start();
    if (!aport.ok()) {
      http_->stop(0);
      return Error{aport.error().code, "admin listen " + config_.admin->str() + ": " + aport.error().message};
    }
  }
  return true;
}

void PopServer::stop(uint64_t graceMs) {
  if (stopped_) return;
  stopped_ = true;
  if (admin_) admin_->stop(0);
  if (http_) http_->stop(graceMs);
}

Result<size_t> PopServer::reloadFunctions() {
  if (!functions_)
    return Error{2, "this PoP has no edge functions to reload (start it with --edge-functions FILE, --behaviors FILE "
                    "or --edge-function)"};
  return functions_->reload(config_);
}

void PopServer::workerStart(const http::WorkerInfo& w) {
  auto io = std::make_unique<WorkerIo>(*http_, config_, w);
  if (w.index == 0) io->startTicker(*core_);
  ios_[static_cast<size_t>(w.index)] = std::move(io);
}

void PopServer::workerStop(const http::WorkerInfo& w) {
  // Close the handles now (the loop still runs to finish closing them) but keep the WorkerIo
  // until the PopServer goes: a collapse waker on another worker may still post to it.
  if (auto& io = ios_[static_cast<size_t>(w.index)]) io->close();
}

void PopServer::handle(const http::RequestContextPtr& ctx) {
  WorkerIo* io = ios_[static_cast<size_t>(ctx->workerIndex())].get();
  http::Request& in = ctx->request();
  // Move what the transaction needs; the connection keeps keepAlive / httpMinor for framing.
  http::Request req;
  req.method = in.method;
  req.target = std::move(in.target);
  req.path = std::move(in.path);
  req.query = std::move(in.query);
  req.httpMinor = in.httpMinor;
  req.headers = std::move(in.headers);
  req.body = std::move(in.body);
  req.keepAlive = in.keepAlive;
  req.peer = in.peer;
  startTransaction(
      *core_, *io, std::move(req),
      [this, ctx](Transaction& tx) {
        if (accessLog_) {  // the transaction ends here: its access-log line
          AccessRecord r = accessRecordOf(tx.request, tx.response, tx.outcome.value_or(Outcome::Error), config_.id,
                                          tx.startNs, core_->clock().nowNs(), core_->nowMs(),
                                          accessLog_->nextRequestNumber());
          // Every line of a log with the behavior field has it (a 400 before Route: "-").
          if (!config_.behaviors.empty()) r.behaviorPattern = tx.behavior ? tx.behavior->pathPattern : "";
          accessLog_->write(r);
        }
        ctx->respond(std::move(tx.response));
      },
      [ctx](int status, const http::Headers& fields) { ctx->sendInterim(status, fields); });
}

}  // namespace cdnlab::edge::pop
