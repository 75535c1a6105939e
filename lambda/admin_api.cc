// The service's own endpoints beside AWS's API: GET /metrics (Prometheus text) and
// GET /_cdnlab/logs/{name}?after=N (log lines after sequence N, for `cdnlab lambda logs`).
#include "common/parse_integer.h"
#include "lambda/codec.h"
#include "lambda/service.h"

namespace cdnlab::lambda {

http::Response LambdaService::metrics() {
  std::string text = metrics_.render([this](const std::string& fn) { return invoker_->pools().running(fn); });
  http::Response r(200, text, "text/plain; version=0.0.4");
  return r;
}

http::Response LambdaService::logs(const std::string& name, const std::string& query) {
  uint64_t after = 0;
  if (auto a = queryParam(query, "after")) {
    auto n = parseInteger<uint64_t>(*a);
    if (!n) return http::Response(400, "after must be a log sequence number, got '" + *a + "'\n", "text/plain");
    after = *n;
  }
  auto lines = logs_->since(name, after, 1000);
  JsonWriter w;
  w.startObject();
  w.key("exists").boolean(registry_->find(name) != nullptr);
  w.key("lines").startArray();
  uint64_t last = after;
  for (const auto& l : lines) {
    w.startObject().key("seq").integer(static_cast<int64_t>(l.seq)).key("time").string(isoTimestamp(l.timeMs));
    w.key("stream").string(l.stream).key("text").string(l.text).endObject();
    last = l.seq;
  }
  w.endArray();
  w.key("next").integer(static_cast<int64_t>(last));
  w.endObject();
  return http::Response(200, w.take(), "application/json");
}

}  // namespace cdnlab::lambda
