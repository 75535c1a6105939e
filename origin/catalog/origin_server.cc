#include "origin/catalog/origin_server.h"

#include <cmath>
#include <thread>
#include <unordered_set>

#include "origin/catalog/router.h"

namespace cdnlab::origin::catalog {

// A response waiting for its service time. Owned by its Worker's `pending` set until the timer
// fires or the worker stops; freed in the uv_close callback (libuv: memory is reusable only there).
struct CatalogOrigin::Delayed {
  uv_timer_t timer;
  CatalogOrigin* origin;
  Worker* worker;
  http::RequestContextPtr ctx;
  http::Response response;
};

struct CatalogOrigin::Worker {
  uv_loop_t* loop = nullptr;
  std::uint64_t draws = 0;  // request counter: the service-time draw of each request
  std::unordered_set<Delayed*> pending;
};

void CatalogOrigin::freeDelayed(uv_handle_t* h) { delete static_cast<Delayed*>(h->data); }

CatalogOrigin::CatalogOrigin(std::shared_ptr<const Catalog> catalog, http::ServerOptions options)
    : catalog_(std::move(catalog)) {
  if (options.workers <= 0) options.workers = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  if (options.serverName.empty()) options.serverName = "cdnlab-origin";
  // Sized before start: each worker thread writes only its own slot.
  workers_.resize(static_cast<size_t>(options.workers));
  server_ = std::make_unique<http::HttpServer>(options, [this](const http::RequestContextPtr& ctx) { handle(ctx); });
  metrics_.exportServer(&server_->stats());
  server_->onWorkerStart([this](const http::WorkerInfo& info) {
    workers_[info.index] = std::make_unique<Worker>();
    workers_[info.index]->loop = info.loop;
  });
  server_->onWorkerStop([this](const http::WorkerInfo& info) {
    // Connections are gone: cancel what still waits for its service time.
    Worker& w = *workers_[info.index];
    for (Delayed* d : w.pending) {
      uv_timer_stop(&d->timer);
      uv_close(reinterpret_cast<uv_handle_t*>(&d->timer), freeDelayed);
    }
    w.pending.clear();
  });
}

CatalogOrigin::~CatalogOrigin() { stop(0); }

Result<int> CatalogOrigin::start() { return server_->start(); }

void CatalogOrigin::stop(std::uint64_t graceMs) { server_->stop(graceMs); }

void CatalogOrigin::send(const http::RequestContextPtr& ctx, http::Response response) {
  if (!ctx->alive()) return;  // client went away while we waited: nothing was sent
  bool noBody = ctx->request().isHead() || http::statusHasNoBody(response.status);
  metrics_.count(response.status, noBody ? 0 : response.body.size());
  ctx->respond(std::move(response));
}

void CatalogOrigin::handle(const http::RequestContextPtr& ctx) {
  Routed routed = route(*catalog_, metrics_, ctx->request());
  if (!routed.objectRequest) {
    // /metrics is not counted: scraping it must not change origin offload figures.
    ctx->respond(std::move(routed.response));
    return;
  }
  Worker& w = *workers_[ctx->workerIndex()];
  double ms = catalog_->serviceTimeMs(w.draws++ * 1024 + static_cast<std::uint64_t>(ctx->workerIndex()));
  auto delayMs = static_cast<std::uint64_t>(std::llround(ms));
  if (delayMs == 0) {
    send(ctx, std::move(routed.response));
    return;
  }
  // libuv timers have millisecond resolution: the service time is rounded to whole ms.
  auto* d = new Delayed{{}, this, &w, ctx, std::move(routed.response)};
  uv_timer_init(w.loop, &d->timer);
  d->timer.data = d;
  w.pending.insert(d);
  uv_timer_start(
      &d->timer,
      [](uv_timer_t* t) {
        auto* d = static_cast<Delayed*>(t->data);
        d->worker->pending.erase(d);
        d->origin->send(d->ctx, std::move(d->response));
        uv_close(reinterpret_cast<uv_handle_t*>(t), freeDelayed);
      },
      delayMs, 0);
}

}  // namespace cdnlab::origin::catalog
