#include "bench/loadgen/driver.h"

#include <arpa/inet.h>
#include <uv.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <climits>
#include <cmath>
#include <cstring>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "bench/loadgen/response_reader.h"
#include "bench/loadgen/rng.h"
#include "bench/loadgen/scheduler.h"
#include "common/http/client.h"
#include "geo/latency_model.h"

namespace cdnlab::loadgen {

namespace {

int64_t nowNs() { return static_cast<int64_t>(uv_hrtime()); }

// What the watching thread reads once a second; the worker adds under the lock (one
// uncontended lock per response, far below the cost of the syscalls around it).
struct Live {
  std::mutex m;
  uint64_t total = 0;
  uint64_t requests = 0;
  uint64_t hits = 0;
  Histogram latencyUs;
};

// Run-wide timing and the request budget, shared by all workers.
struct Shared {
  const LoadPlan* plan = nullptr;
  int64_t startNs = 0;
  int64_t warmupEndNs = 0;
  int64_t measureEndNs = INT64_MAX;
  std::atomic<int64_t> budget{INT64_MAX};  // measured requests still to send
  std::atomic<int64_t> interruptedAtNs{0};  // when the interrupt flag was seen; 0: never
};

class Worker;
struct Region;

// Receiving: the response is in, the latency model's transfer time for its body is running.
enum class ConnState { Closed, Connecting, Idle, Delaying, Busy, Receiving, Closing };

// One keep-alive connection of a region to its PoP. Lives as long as its worker; the TCP
// handle is re-initialised for each new connection once the previous one's close completed.
struct Conn {
  Worker* worker = nullptr;
  Region* region = nullptr;
  uv_tcp_t tcp;
  uv_connect_t connectReq;
  uv_write_t writeReq;
  uv_timer_t timer;  // the latency-model delay before a write, then the response timeout
  ConnState state = ConnState::Closed;
  int routeGen = -1;  // which route of the region it was opened for
  bool fresh = false;  // connected, no request sent yet: the first one pays the handshake RTT
  bool reading = false;
  bool cooling = false;  // closed loop: wait a moment before reconnecting after a failure
  bool failed = false;   // the last request on this connection failed
  PendingRequest current;
  Sample answered;  // while Receiving: what is recorded when the transfer time is over
  bool closeAfter = false;  // the peer closed while Receiving
  ResponseReader reader;
  uv_buf_t out;
  char request[1024];  // a GET's line and headers, or a POST's with its body (at most 256 bytes)
  size_t requestLen = 0;
  char buf[16384];
};

struct Region {
  size_t index = 0;
  const RegionPlan* plan = nullptr;
  std::optional<OpenLoopScheduler> scheduler;  // open loop
  std::optional<Workload> workload;            // closed loop
  uv_timer_t arrivalTimer;
  uv_timer_t routeTimer;  // retries a failed router lookup
  std::vector<std::unique_ptr<Conn>> conns;
  size_t maxConns = 0;
  uint32_t nextSource = 0;
  // The current route: where the region's clients send requests.
  bool routed = false;
  int routeGen = 0;
  sockaddr_in popAddr{};
  int pop = -1;            // index in plan.pops, -1 when the PoP is not in the plan
  std::string routeName;   // PoP id (or host:port) for results when no X-Served-By came back
  std::string tail;        // " HTTP/1.1\r\nHost: h:p\r\n...\r\n\r\n", built once per route
  int64_t routeExpiresNs = 0;
  bool resolving = false;
  std::unique_ptr<http::HttpClient> router;
};

bool isIpv4(const std::string& host, sockaddr_in* out, int port) {
  std::memset(out, 0, sizeof *out);
  out->sin_family = AF_INET;
  out->sin_port = htons(static_cast<uint16_t>(port));
  return inet_pton(AF_INET, host.c_str(), &out->sin_addr) == 1;
}

std::string ipString(uint32_t hostOrder) {
  in_addr a;
  a.s_addr = htonl(hostOrder);
  char s[INET_ADDRSTRLEN];
  inet_ntop(AF_INET, &a, s, sizeof s);
  return s;
}

// max-age=N from a Cache-Control value, in ms; -1 when absent.
int64_t maxAgeMs(std::string_view cc) {
  size_t at = cc.find("max-age=");
  if (at == std::string_view::npos) return -1;
  int64_t v = 0;
  bool any = false;
  for (size_t i = at + 8; i < cc.size() && cc[i] >= '0' && cc[i] <= '9'; ++i) {
    v = v * 10 + (cc[i] - '0');
    any = true;
    if (v > 86400 * 365) break;
  }
  return any ? v * 1000 : -1;
}

class Worker {
 public:
  Worker(Shared& shared, int id, int threads)
      : shared_(shared),
        plan_(*shared.plan),
        id_(id),
        threads_(threads),
        model_(shared.plan->latency),
        jitterRng_(streamSeed(shared.plan->seed, "jitter", static_cast<uint64_t>(id))) {}

  Results results;
  Live live;
  uint64_t queueFull = 0;
  uint64_t notSent = 0;
  uint64_t reroutes = 0;
  std::array<uint64_t, kFailureCauseCount> failures{};
  int64_t lastDoneNs = 0;
  std::string setupError;

  void run() {
    if (int rc = uv_loop_init(&loop_); rc < 0) {
      setupError = std::string("uv_loop_init: ") + uv_strerror(rc);
      return;
    }
    std::vector<std::string> names;
    for (const auto& r : plan_.regions) names.push_back(r.name);
    results = Results(names);
    setUp();
    if (shared_.interruptedAtNs.load() != 0) interrupt();  // Ctrl-C while this thread started
    uv_run(&loop_, UV_RUN_DEFAULT);
    uv_loop_close(&loop_);
  }

  // Called from the watching thread: wakes the loop, which stops sending (thread-safe).
  void wake() {
    std::lock_guard<std::mutex> g(asyncMutex_);
    if (asyncLive_) uv_async_send(&async_);
  }

 private:
  void interrupt() {
    if (finished_) return;
    beginStop(1000);
  }

  void setUp() {
    uv_async_init(&loop_, &async_, [](uv_async_t* a) { static_cast<Worker*>(a->data)->interrupt(); });
    async_.data = this;
    {
      std::lock_guard<std::mutex> g(asyncMutex_);
      asyncLive_ = true;
    }
    const bool closed = plan_.closedLoop;
    double sumShare = 0;
    for (const auto& r : plan_.regions) sumShare += r.share;
    regions_.reserve(plan_.regions.size());
    for (size_t i = 0; i < plan_.regions.size(); ++i) {
      const RegionPlan& rp = plan_.regions[i];
      auto reg = std::make_unique<Region>();
      Region& r = *reg;
      r.index = i;
      r.plan = &rp;
      auto zipf = std::make_shared<const ZipfSampler>(plan_.objects, rp.zipfAlpha);
      auto pop = std::make_shared<const Popularity>(plan_.objects, plan_.perRegionRanking, plan_.seed, rp.name);
      Workload wl(zipf, pop, streamSeed(plan_.seed, rp.name, 2 * static_cast<uint64_t>(id_) + 1));
      size_t conns = 0;
      if (closed) {
        // The region's share of all connections (at least one), split across the threads.
        size_t regionConns = std::max<size_t>(
            1, static_cast<size_t>(std::llround(plan_.connections * (sumShare > 0 ? rp.share / sumShare : 1.0))));
        conns = regionConns / threads_ + (static_cast<size_t>(id_) < regionConns % threads_ ? 1 : 0);
        r.workload.emplace(std::move(wl));
      } else {
        conns = static_cast<size_t>(std::max(1, plan_.connections));
        double rate = rp.rate / threads_;
        if (rate > 0)
          r.scheduler.emplace(PoissonArrivals(rate, streamSeed(plan_.seed, rp.name, 2 * static_cast<uint64_t>(id_)),
                                              shared_.startNs),
                              std::move(wl));
      }
      r.maxConns = conns;
      r.nextSource = static_cast<uint32_t>(id_) * 97;  // threads start on different sources
      uv_timer_init(&loop_, &r.arrivalTimer);
      uv_timer_init(&loop_, &r.routeTimer);
      r.arrivalTimer.data = r.routeTimer.data = this;
      if (plan_.target) {
        setRoute(r, *plan_.target, plan_.targetPop, -1);
      } else if (plan_.router) {
        http::ClientOptions o;
        if (rp.sourceCount) o.sourceAddress = ipString(rp.firstSource);
        o.connectTimeoutMs = 1000;
        o.responseTimeoutMs = 2000;
        r.router = std::make_unique<http::HttpClient>(&loop_, o);
      }
      regions_.push_back(std::move(reg));
    }
    uv_timer_init(&loop_, &stopTimer_);
    stopTimer_.data = this;
    if (shared_.measureEndNs != INT64_MAX) {
      uint64_t ms = static_cast<uint64_t>(std::max<int64_t>(0, shared_.measureEndNs - nowNs()) / 1000000);
      uv_timer_start(&stopTimer_, [](uv_timer_t* t) { static_cast<Worker*>(t->data)->beginStop(); }, ms, 0);
    }
    for (auto& r : regions_) {
      if (r->scheduler) scheduleArrivals(*r);
      dispatch(*r);
    }
  }

  // ---- routes --------------------------------------------------------------------------

  void setRoute(Region& r, const Endpoint& e, int pop, int64_t ttlMs) {
    if (!isIpv4(e.host, &r.popAddr, e.port)) return;
    r.routed = true;
    ++r.routeGen;
    r.pop = pop;
    r.routeName = pop >= 0 ? plan_.pops[pop].id : e.host + ":" + std::to_string(e.port);
    r.tail = " HTTP/1.1\r\nHost: " + e.host + ":" + std::to_string(e.port) + "\r\nUser-Agent: cdnlab-load\r\n\r\n";
    r.routeExpiresNs = ttlMs >= 0 ? nowNs() + ttlMs * 1000000 : INT64_MAX;
  }

  void resolve(Region& r) {
    if (r.resolving || !r.router || finished_) return;
    r.resolving = true;
    http::ClientRequest req;
    req.host = plan_.router->host;
    req.port = plan_.router->port;
    req.target = "/";
    Region* rp = &r;
    r.router->request(std::move(req), [this, rp](Result<http::ClientResponse> res) { routed(*rp, res); });
  }

  void routed(Region& r, Result<http::ClientResponse>& res) {
    r.resolving = false;
    if (finished_) return;
    std::string path;
    std::optional<Endpoint> where;
    int64_t ttl = plan_.routerTtlMs;
    if (res.ok() && res->status >= 300 && res->status < 400) {
      if (auto loc = res->headers.get("Location")) {
        auto e = parseUrl(std::string(*loc), &path);
        if (e.ok()) where = *e;
      }
      if (auto cc = res->headers.get("Cache-Control")) {
        int64_t m = maxAgeMs(*cc);
        if (m >= 0) ttl = m;
      }
    }
    if (!where) {  // router down or odd answer: try again shortly; requests stay queued
      uv_timer_start(&r.routeTimer, [](uv_timer_t* t) {
        Worker* w = static_cast<Worker*>(t->data);
        for (auto& reg : w->regions_)
          if (&reg->routeTimer == t) w->dispatch(*reg);
      }, 200, 0);
      return;
    }
    int pop = -1;
    for (size_t i = 0; i < plan_.pops.size(); ++i)
      if (plan_.pops[i].address.host == where->host && plan_.pops[i].address.port == where->port)
        pop = static_cast<int>(i);
    setRoute(r, *where, pop, ttl);
    dispatch(r);
  }

  // ---- scheduling ----------------------------------------------------------------------

  void scheduleArrivals(Region& r) {
    if (stopping_) return;
    int64_t next = r.scheduler->admit(nowNs(), shared_.measureEndNs);
    if (next >= shared_.measureEndNs) return;
    int64_t waitNs = next - nowNs();
    uint64_t ms = waitNs > 0 ? static_cast<uint64_t>((waitNs + 999999) / 1000000) : 0;
    uv_timer_start(&r.arrivalTimer, [](uv_timer_t* t) {
      Worker* w = static_cast<Worker*>(t->data);
      for (auto& reg : w->regions_)
        if (&reg->arrivalTimer == t) {
          w->scheduleArrivals(*reg);
          w->dispatch(*reg);
        }
    }, ms, 0);
  }

  // A request meant for intendedNs may go out: false once the run's budget or time is spent.
  bool claim(int64_t intendedNs) {
    if (intendedNs >= shared_.measureEndNs) return false;
    if (intendedNs < shared_.warmupEndNs) return true;
    if (plan_.requests == 0) return true;
    return shared_.budget.fetch_sub(1, std::memory_order_relaxed) > 0;
  }

  void dispatch(Region& r) {
    if (stopping_ || finished_) return;
    if (!r.routed || (r.router && nowNs() >= r.routeExpiresNs)) {
      resolve(r);
      if (!r.routed) return;  // requests wait for the router's answer
    }
    if (r.scheduler) {
      while (!r.scheduler->empty()) {
        Conn* c = freeConn(r);
        if (!c) break;
        PendingRequest p = r.scheduler->pop();
        if (!claim(p.intendedNs)) {
          beginStop();
          return;
        }
        start(*c, p);
      }
    } else if (r.workload) {
      for (auto& c : r.conns) {
        if (c->state != ConnState::Idle && c->state != ConnState::Closed) continue;
        if (c->cooling) continue;
        if (c->state == ConnState::Idle && c->routeGen != r.routeGen) {
          closeConn(*c);
          continue;
        }
        int64_t now = nowNs();
        if (!claim(now)) {
          beginStop();
          return;
        }
        start(*c, {now, r.workload->nextObject()});
        if (stopping_) return;
      }
      while (r.conns.size() < r.maxConns) {
        r.conns.push_back(newConn(r));
        int64_t now = nowNs();
        if (!claim(now)) {
          beginStop();
          return;
        }
        start(*r.conns.back(), {now, r.workload->nextObject()});
      }
    }
  }

  std::unique_ptr<Conn> newConn(Region& r) {
    auto c = std::make_unique<Conn>();
    c->worker = this;
    c->region = &r;
    uv_timer_init(&loop_, &c->timer);
    c->timer.data = c.get();
    return c;
  }

  // An idle connection on the current route, or a closed one to reopen, or a new one while
  // under the cap. Idle connections to an old route are closed (their PoP was replaced).
  Conn* freeConn(Region& r) {
    Conn* closedOne = nullptr;
    for (auto& c : r.conns) {
      if (c->state == ConnState::Idle) {
        if (c->routeGen == r.routeGen) return c.get();
        closeConn(*c);
      } else if (c->state == ConnState::Closed && !closedOne) {
        closedOne = c.get();
      }
    }
    if (closedOne) return closedOne;
    if (r.conns.size() < r.maxConns) {
      r.conns.push_back(newConn(r));
      return r.conns.back().get();
    }
    return nullptr;
  }

  // ---- one request ---------------------------------------------------------------------

  void start(Conn& c, PendingRequest p) {
    Region& r = *c.region;
    c.current = p;
    ++inflight_;
    // Pre-serialized bytes: the path is the only part that changes per request.
    char* o = c.request;
    size_t room = sizeof c.request;
    int n;
    const PathClass* post = nullptr;  // a POST class of the mix: headers and body follow the tail
    if (!plan_.targetPath.empty() && plan_.targetPath != "/") {
      n = std::snprintf(o, room, "GET %s", plan_.targetPath.c_str());
    } else if (!plan_.mix.empty()) {
      // The class is drawn independently of the (Zipf-ranked) object id: splitmix64 of a counter.
      uint64_t z = (++mixSeq_ + plan_.seed + (static_cast<uint64_t>(id_) << 40)) * 0x9E3779B97F4A7C15ull;
      z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
      z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
      z ^= z >> 31;
      const PathClass& cls = plan_.mix[pickClass(plan_.mix, static_cast<double>(z >> 11) * 0x1.0p-53)];
      n = std::snprintf(o, room, "%s %s", cls.post ? "POST" : "GET", mixPath(cls, p.objectId).c_str());
      if (cls.post) post = &cls;
    } else
      n = std::snprintf(o, room, "GET /obj/%llu", static_cast<unsigned long long>(p.objectId));
    size_t len = static_cast<size_t>(std::max(0, std::min<int>(n, static_cast<int>(room) - 1)));
    size_t t = std::min(r.tail.size(), room - len);
    if (post && t == r.tail.size()) {
      // The tail ends the header block ("\r\n\r\n"): keep its last line break for after the
      // body's headers.
      t -= 2;
      std::memcpy(o + len, r.tail.data(), t);
      const std::string body = mixBody(*post, p.objectId);
      int h = std::snprintf(o + len + t, room - len - t, "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
                            body.size(), body.c_str());
      t += static_cast<size_t>(std::max(0, std::min<int>(h, static_cast<int>(room - len - t) - 1)));
    } else {
      std::memcpy(o + len, r.tail.data(), t);
    }
    c.requestLen = len + t;
    if (c.state == ConnState::Closed) {
      open(c);
    } else {
      c.fresh = false;
      delayThenWrite(c);
    }
  }

  void open(Conn& c) {
    Region& r = *c.region;
    uv_tcp_init(&loop_, &c.tcp);
    c.tcp.data = &c;
    c.state = ConnState::Connecting;
    c.routeGen = r.routeGen;
    c.reading = false;
    c.closeAfter = false;
    uv_tcp_nodelay(&c.tcp, 1);
    if (r.plan->sourceCount) {
      sockaddr_in src;
      isIpv4(ipString(r.plan->firstSource + (r.nextSource++ % r.plan->sourceCount)), &src, 0);
      if (int rc = uv_tcp_bind(&c.tcp, reinterpret_cast<const sockaddr*>(&src), 0); rc < 0) {
        failSoon(c);
        return;
      }
    }
    c.connectReq.data = &c;
    int rc = uv_tcp_connect(&c.connectReq, &c.tcp, reinterpret_cast<const sockaddr*>(&r.popAddr), [](uv_connect_t* req, int status) {
      Conn& c = *static_cast<Conn*>(req->data);
      Worker& w = *c.worker;
      if (c.state != ConnState::Connecting) return;  // closed meanwhile (run ending)
      if (status < 0) {
        w.fail(c, true, status == UV_ECONNREFUSED ? FailureCause::Refused : FailureCause::ConnectFailed);
        return;
      }
      c.fresh = true;
      w.delayThenWrite(c);
    });
    if (rc < 0) fail(c, true, rc == UV_ECONNREFUSED ? FailureCause::Refused : FailureCause::ConnectFailed);
  }

  // A failure found inside a call made from dispatch(): reported from the loop instead, so
  // dispatch() never re-enters itself while walking the region's connections.
  void failSoon(Conn& c) {
    c.state = ConnState::Busy;
    uv_timer_start(&c.timer, [](uv_timer_t* t) {
      Conn& c = *static_cast<Conn*>(t->data);
      if (c.state == ConnState::Busy) c.worker->fail(c, true, FailureCause::ConnectFailed);
    }, 0, 0);
  }

  // The latency model's RTT of the connection's hop (client region -> its PoP); 0 when off.
  double hopRttMs(const Conn& c) const {
    if (!plan_.latencyModel || c.region->pop < 0 || static_cast<size_t>(c.region->pop) >= c.region->plan->rttMs.size())
      return 0;
    return c.region->plan->rttMs[c.region->pop];
  }

  void delayThenWrite(Conn& c) {
    const double rtt = hopRttMs(c);
    // One round trip (two on a new connection: the handshake), plus this exchange's jitter.
    double delayMs = rtt > 0 ? rtt * (c.fresh ? 2 : 1) + model_.jitterMs(rtt, jitterRng_.uniform()) : 0;
    uint64_t ms = static_cast<uint64_t>(std::llround(delayMs));
    if (ms == 0) {
      write(c);
      return;
    }
    c.state = ConnState::Delaying;
    uv_timer_start(&c.timer, [](uv_timer_t* t) {
      Conn& c = *static_cast<Conn*>(t->data);
      if (c.state == ConnState::Delaying) c.worker->write(c);
    }, ms, 0);
  }

  void write(Conn& c) {
    c.state = ConnState::Busy;
    c.reader.reset();
    if (!c.reading) {
      c.reading = true;
      uv_read_start(reinterpret_cast<uv_stream_t*>(&c.tcp),
                    [](uv_handle_t* h, size_t, uv_buf_t* b) {
                      Conn& c = *static_cast<Conn*>(h->data);
                      *b = uv_buf_init(c.buf, sizeof c.buf);
                    },
                    [](uv_stream_t* s, ssize_t n, const uv_buf_t*) {
                      Conn& c = *static_cast<Conn*>(s->data);
                      c.worker->onRead(c, n);
                    });
    }
    uv_timer_start(&c.timer, [](uv_timer_t* t) {
      Conn& c = *static_cast<Conn*>(t->data);
      if (c.state == ConnState::Busy) c.worker->fail(c, false, FailureCause::Timeout);
    }, static_cast<uint64_t>(plan_.responseTimeoutMs), 0);
    // Most requests fit the socket buffer at once: try that before queueing a write.
    uv_buf_t b = uv_buf_init(c.request, static_cast<unsigned>(c.requestLen));
    int n = uv_try_write(reinterpret_cast<uv_stream_t*>(&c.tcp), &b, 1);
    if (n == static_cast<int>(c.requestLen)) return;
    size_t done = n > 0 ? static_cast<size_t>(n) : 0;
    if (n < 0 && n != UV_EAGAIN) {
      failSoon(c);
      return;
    }
    c.out = uv_buf_init(c.request + done, static_cast<unsigned>(c.requestLen - done));
    c.writeReq.data = &c;
    int rc = uv_write(&c.writeReq, reinterpret_cast<uv_stream_t*>(&c.tcp), &c.out, 1, [](uv_write_t* w, int status) {
      Conn& c = *static_cast<Conn*>(w->data);
      if (status < 0 && c.state == ConnState::Busy) c.worker->fail(c, true, FailureCause::Closed);
    });
    if (rc < 0) failSoon(c);
  }

  void onRead(Conn& c, ssize_t n) {
    if (n == 0) return;
    if (n < 0) {  // EOF or reset
      if (c.state == ConnState::Busy) {
        fail(c, true, FailureCause::Closed);
      } else if (c.state == ConnState::Receiving) {
        // The answer is complete; the connection closes once its transfer time is over.
        uv_read_stop(reinterpret_cast<uv_stream_t*>(&c.tcp));
        c.closeAfter = true;
      } else {
        closeConn(c);
      }
      return;
    }
    if (c.state == ConnState::Receiving) return;  // bytes after the answer: ignored until delivered
    if (c.state != ConnState::Busy) {  // bytes nobody asked for: not a server we understand
      closeConn(c);
      return;
    }
    ResponseReader::Step s = c.reader.feed(c.buf, static_cast<size_t>(n));
    if (s.event == ResponseReader::Event::Complete) complete(c);
    else if (s.event == ResponseReader::Event::Error) fail(c, false, FailureCause::BadResponse);
  }

  void record(Conn& c, const Sample& s, std::string_view pop) {
    int64_t now = nowNs();
    lastDoneNs = std::max(lastDoneNs, now);
    int64_t intended = c.current.intendedNs;
    if (intended < shared_.warmupEndNs || intended >= shared_.measureEndNs) return;
    size_t second = static_cast<size_t>((intended - shared_.warmupEndNs) / 1000000000);
    results.record(c.region->index, pop, second, s);
    std::lock_guard<std::mutex> g(live.m);
    ++live.total;
    ++live.requests;
    if (s.hit()) ++live.hits;
    if (!s.error()) live.latencyUs.record(s.latencyUs);
  }

  void complete(Conn& c) {
    uv_timer_stop(&c.timer);
    c.failed = false;
    Sample s;
    s.outcome = parseOutcome(lastElement(c.reader.xCache()));
    if (std::string_view up = upstreamElement(c.reader.xCache()); !up.empty()) s.shield = parseOutcome(up);
    if (c.reader.status() >= 500) {
      s.outcome = Outcome::Error;
      countFailure(c, FailureCause::ServerError);
    }
    s.bodyBytes = c.reader.bodyBytes();
    // The body's transfer time over the client's last mile (size / bandwidth, plus slow
    // start's extra round trips): the connection stays busy and the latency includes it.
    const double transferMs =
        s.error() ? 0 : model_.transferMs(s.bodyBytes, hopRttMs(c), c.region->plan->bandwidthMbps);
    const uint64_t waitMs = static_cast<uint64_t>(std::llround(transferMs));
    c.answered = s;
    if (waitMs == 0) {
      delivered(c);
      return;
    }
    c.state = ConnState::Receiving;
    uv_timer_start(&c.timer, [](uv_timer_t* t) {
      Conn& c = *static_cast<Conn*>(t->data);
      if (c.state == ConnState::Receiving) c.worker->delivered(c);
    }, waitMs, 0);
  }

  void delivered(Conn& c) {
    Sample s = c.answered;
    s.latencyUs = latencyFromIntendedUs(c.current.intendedNs, nowNs());
    std::string_view pop = lastElement(c.reader.servedBy());
    record(c, s, pop.empty() ? std::string_view(c.region->routeName) : pop);
    c.state = ConnState::Idle;
    if (!c.reader.keepAlive() || c.closeAfter) closeConn(c);
    finishedOne(*c.region);
  }

  // The request on c failed. reroute: the PoP itself looks gone (refused / reset), so a geo
  // client asks the router again, which is how a killed PoP's clients move elsewhere.
  void countFailure(Conn& c, FailureCause cause) {
    int64_t intended = c.current.intendedNs;
    if (intended >= shared_.warmupEndNs && intended < shared_.measureEndNs) ++failures[static_cast<size_t>(cause)];
  }

  void fail(Conn& c, bool reroute, FailureCause cause) {
    uv_timer_stop(&c.timer);
    c.failed = true;
    countFailure(c, cause);
    Sample s;
    s.outcome = Outcome::Error;
    s.latencyUs = latencyFromIntendedUs(c.current.intendedNs, nowNs());
    record(c, s, c.region->routeName);
    closeConn(c);
    Region& r = *c.region;
    if (reroute && r.router && c.routeGen == r.routeGen && r.routed) {
      r.routed = false;
      ++reroutes;
    }
    finishedOne(r);
  }

  void finishedOne(Region& r) {
    --inflight_;
    if (stopping_) {
      if (inflight_ == 0) finish();
      return;
    }
    dispatch(r);
  }

  void closeConn(Conn& c) {
    if (c.state == ConnState::Closed || c.state == ConnState::Closing) return;
    uv_timer_stop(&c.timer);
    c.state = ConnState::Closing;
    uv_close(reinterpret_cast<uv_handle_t*>(&c.tcp), [](uv_handle_t* h) {
      Conn& c = *static_cast<Conn*>(h->data);
      c.state = ConnState::Closed;
      Worker& w = *c.worker;
      if (w.stopping_ || !c.region->workload) return;
      if (!c.failed) {
        w.dispatch(*c.region);  // closed loop: reconnect at once
        return;
      }
      // After a failure, pause before reconnecting: a dead target must not turn the closed
      // loop into a busy loop of refused connections.
      c.cooling = true;
      uv_timer_start(&c.timer, [](uv_timer_t* t) {
        Conn& c = *static_cast<Conn*>(t->data);
        c.cooling = false;
        c.worker->dispatch(*c.region);
      }, 50, 0);
    });
  }

  // ---- the end ---------------------------------------------------------------------------

  // No new requests; in-flight ones may finish for a short grace, then everything closes.
  void beginStop(uint64_t graceMs = 3000) {
    if (stopping_) return;
    stopping_ = true;
    for (auto& r : regions_) {
      uv_timer_stop(&r->arrivalTimer);
      if (r->scheduler) {
        queueFull += r->scheduler->dropped();
        // Arrivals of the measured window that never got a connection are load the target
        // did not absorb: count them rather than let them vanish.
        while (!r->scheduler->empty())
          if (r->scheduler->pop().intendedNs >= shared_.warmupEndNs) ++notSent;
      }
    }
    if (inflight_ == 0) {
      finish();
      return;
    }
    uv_timer_start(&stopTimer_, [](uv_timer_t* t) { static_cast<Worker*>(t->data)->finish(); }, graceMs, 0);
  }

  void finish() {
    if (finished_) return;
    finished_ = true;
    stopping_ = true;
    auto closeHandle = [](void* h) {
      if (!uv_is_closing(static_cast<uv_handle_t*>(h))) uv_close(static_cast<uv_handle_t*>(h), nullptr);
    };
    closeHandle(&stopTimer_);
    {
      std::lock_guard<std::mutex> g(asyncMutex_);
      asyncLive_ = false;
      closeHandle(&async_);
    }
    for (auto& r : regions_) {
      closeHandle(&r->arrivalTimer);
      closeHandle(&r->routeTimer);
      if (r->router) r->router->close();
      for (auto& c : r->conns) {
        if (c->state != ConnState::Closed && c->state != ConnState::Closing) {
          c->state = ConnState::Closing;
          uv_close(reinterpret_cast<uv_handle_t*>(&c->tcp), [](uv_handle_t* h) {
            static_cast<Conn*>(h->data)->state = ConnState::Closed;
          });
        }
        closeHandle(&c->timer);
      }
    }
    // The router clients free their handles as the loop runs on; destroy them now (they
    // only need the loop, not the object, to finish closing).
    for (auto& r : regions_) r->router.reset();
  }

  Shared& shared_;
  const LoadPlan& plan_;
  int id_;
  int threads_;
  geo::LatencyModel model_;
  Rng jitterRng_;
  uv_loop_t loop_;
  uv_timer_t stopTimer_;
  uv_async_t async_;
  std::mutex asyncMutex_;  // async_ may be signalled from the watching thread until closed
  bool asyncLive_ = false;
  std::vector<std::unique_ptr<Region>> regions_;
  int64_t inflight_ = 0;
  uint64_t mixSeq_ = 0;  // per-thread counter behind the mix class draw
  bool stopping_ = false;
  bool finished_ = false;
};

}  // namespace

LoadDriver::LoadDriver(LoadPlan plan) : plan_(std::move(plan)) {}
LoadDriver::~LoadDriver() = default;

Result<RunOutcome> LoadDriver::run(const std::function<void(const SecondSnapshot&)>& onSecond,
                                   const std::function<void()>& onMeasureStart) {
  if (plan_.requests == 0 && plan_.durationNs <= 0) return Error{1, "a run needs --duration or --requests"};
  if (plan_.regions.empty()) return Error{1, "no client regions"};
  if (!plan_.target && !plan_.router) return Error{1, "neither a target nor a router"};
  const int threads = std::max(1, plan_.threads);
  Shared shared;
  shared.plan = &plan_;
  if (plan_.requests) shared.budget = static_cast<int64_t>(plan_.requests);
  if (plan_.warmupNs == 0) onMeasureStart();
  shared.startNs = nowNs() + 10 * 1000000;  // a moment for the threads to set up
  shared.warmupEndNs = shared.startNs + plan_.warmupNs;
  if (plan_.durationNs > 0) shared.measureEndNs = shared.warmupEndNs + plan_.durationNs;

  std::vector<std::unique_ptr<Worker>> workers;
  for (int i = 0; i < threads; ++i) workers.push_back(std::make_unique<Worker>(shared, i, threads));
  std::atomic<int> running{threads};
  std::vector<std::thread> pool;
  for (auto& w : workers)
    pool.emplace_back([&running, wp = w.get()] {
      wp->run();
      running.fetch_sub(1);
    });

  bool measuring = plan_.warmupNs == 0;
  int64_t nextTick = shared.startNs + 1000000000;
  uint64_t total = 0;
  while (running.load() > 0) {
    int64_t now = nowNs();
    if (interrupt_ && interrupt_->load() && shared.interruptedAtNs.load() == 0) {
      shared.interruptedAtNs = now;
      for (auto& w : workers) w->wake();
    }
    if (!measuring && now >= shared.warmupEndNs) {
      measuring = true;
      onMeasureStart();
    }
    if (now >= nextTick && shared.interruptedAtNs.load() == 0) {
      SecondSnapshot snap;
      Histogram h;
      for (auto& w : workers) {
        std::lock_guard<std::mutex> g(w->live.m);
        snap.requests += w->live.requests;
        snap.hits += w->live.hits;
        h.merge(w->live.latencyUs);
        total += w->live.requests;
        w->live.requests = w->live.hits = 0;
        w->live.latencyUs.reset();
      }
      snap.totalRequests = total;
      snap.warmingUp = nextTick <= shared.warmupEndNs;
      snap.elapsedS = static_cast<double>(nextTick - (snap.warmingUp ? shared.startNs : shared.warmupEndNs)) / 1e9;
      snap.p99Ms = static_cast<double>(h.percentile(99)) / 1000.0;
      // The grace for in-flight requests after the end is not a second of the measurement.
      if (nextTick <= shared.measureEndNs) onSecond(snap);
      nextTick += 1000000000;
      continue;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(std::clamp<int64_t>((nextTick - now) / 1000000, 1, 50)));
  }
  for (auto& t : pool) t.join();

  RunOutcome out;
  std::vector<std::string> names;
  for (const auto& r : plan_.regions) names.push_back(r.name);
  out.results = Results(names);
  int64_t lastDone = shared.warmupEndNs;
  for (auto& w : workers) {
    if (!w->setupError.empty()) return Error{1, w->setupError};
    out.results.merge(w->results);
    out.queueFull += w->queueFull;
    out.notSent += w->notSent;
    out.reroutes += w->reroutes;
    for (size_t i = 0; i < kFailureCauseCount; ++i) out.failures[i] += w->failures[i];
    lastDone = std::max(lastDone, w->lastDoneNs);
  }
  // The measurement ends at its planned end, at the last answer when the request budget ran
  // out first, or at the interrupt: whichever came first.
  int64_t end = plan_.durationNs > 0 ? std::min(shared.measureEndNs, lastDone) : lastDone;
  if (int64_t at = shared.interruptedAtNs.load(); at != 0) {
    out.interrupted = true;
    end = std::min(end, at);
  }
  out.measuredS = static_cast<double>(std::max<int64_t>(0, end - shared.warmupEndNs)) / 1e9;
  return out;
}

}  // namespace cdnlab::loadgen
