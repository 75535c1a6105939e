// The catalog origin as a running server: HttpServer workers answer with route() (router.h),
// after the configured service time, which is a libuv timer on the worker's loop (a request
// waiting for its service time costs a timer, never a thread). Counts what it answers in
// OriginMetrics, served at /metrics.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "common/http/server.h"
#include "common/result.h"
#include "origin/catalog/catalog.h"
#include "origin/catalog/metrics.h"

namespace cdnlab::origin::catalog {

class CatalogOrigin {
 public:
  // `options.workers` 0 = one per core.
  CatalogOrigin(std::shared_ptr<const Catalog> catalog, http::ServerOptions options);
  ~CatalogOrigin();
  CatalogOrigin(const CatalogOrigin&) = delete;
  CatalogOrigin& operator=(const CatalogOrigin&) = delete;

  // Binds and starts the workers; returns the bound port.
  Result<int> start();
  // Graceful: stops accepting, in-flight requests (including those waiting for their service
  // time) finish within graceMs; timers still pending after that are cancelled. Idempotent.
  void stop(std::uint64_t graceMs = 5000);

  const OriginMetrics& metrics() const { return metrics_; }
  const Catalog& catalog() const { return *catalog_; }

 private:
  struct Worker;
  struct Delayed;
  void handle(const http::RequestContextPtr& ctx);
  void send(const http::RequestContextPtr& ctx, http::Response response);
  static void freeDelayed(uv_handle_t* handle);

  std::shared_ptr<const Catalog> catalog_;
  OriginMetrics metrics_;
  std::vector<std::unique_ptr<Worker>> workers_;  // index = worker index; touched only on that loop
  std::unique_ptr<http::HttpServer> server_;
};

}  // namespace cdnlab::origin::catalog
