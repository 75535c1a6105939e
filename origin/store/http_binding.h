// The store's HTTP face: DynamoDB's JSON protocol over common/http's HttpServer.
//   POST /  X-Amz-Target: DynamoDB_20120810.<Op>  ->  Service::handleRequest
//   GET  /  -> "healthy: dynamodb.<region>.amazonaws.com " (what DynamoDB's endpoint answers)
//   GET  /metrics -> Prometheus text (store_metrics.h)
// Every answer carries x-amzn-RequestId and x-amz-crc32 (CRC32 of the body; botocore checks it).
// A write's answer leaves only after its WAL record is durable: the binding asks the engine to
// call back when the ticket is durable and posts the response to the request's own loop thread,
// so a worker thread never blocks on the group-commit fsync.
#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "common/http/server.h"
#include "origin/store/service.h"
#include "origin/store/store_metrics.h"

namespace cdnlab::store {

class HttpBinding {
 public:
  HttpBinding(Service& service, std::string region) : service_(service), region_(std::move(region)) {}

  // The handler to give HttpServer; call attach() with that server before it starts.
  http::Handler handler();
  void attach(http::HttpServer* server) { server_ = server; }

  // Builds the HTTP response for a service answer (headers included).
  static http::Response toHttp(ApiResponse&& r);

 private:
  void handle(const http::RequestContextPtr& ctx);

  Service& service_;
  std::string region_;
  http::HttpServer* server_ = nullptr;
  std::shared_ptr<StoreMetrics> metrics_ = std::make_shared<StoreMetrics>();  // GET /metrics
};

// A request id in DynamoDB's style (52 upper-case letters and digits).
std::string newRequestId();

}  // namespace cdnlab::store
