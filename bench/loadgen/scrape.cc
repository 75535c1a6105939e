#include "bench/loadgen/scrape.h"

#include <uv.h>

#include <memory>

#include "bench/loadgen/prometheus_text.h"
#include "common/http/client.h"

namespace cdnlab::loadgen {

Result<std::string> fetchText(const Endpoint& e, const std::string& path, int timeoutMs) {
  uv_loop_t loop;
  if (int rc = uv_loop_init(&loop); rc < 0) return Error{rc, uv_strerror(rc)};
  std::optional<Result<std::string>> out;
  {
    http::ClientOptions o;
    o.connectTimeoutMs = static_cast<uint64_t>(timeoutMs);
    o.responseTimeoutMs = static_cast<uint64_t>(timeoutMs);
    auto client = std::make_unique<http::HttpClient>(&loop, o);
    http::ClientRequest req;
    req.host = e.host;
    req.port = e.port;
    req.target = path;
    client->request(std::move(req), [&out](Result<http::ClientResponse> r) {
      if (!r.ok()) out = Result<std::string>(r.error());
      else if (r->status >= 400) out = Result<std::string>(Error{r->status, "HTTP " + std::to_string(r->status)});
      else out = Result<std::string>(std::string(r->body.view()));
    });
    while (!out && uv_run(&loop, UV_RUN_ONCE) != 0) {
    }
    client.reset();  // closes its handles; the loop below lets them finish
  }
  uv_run(&loop, UV_RUN_DEFAULT);
  uv_loop_close(&loop);
  if (!out) return Error{1, "no response"};
  return std::move(*out);
}

Result<OriginCounters> scrapeOrigin(const Endpoint& origin) {
  auto text = fetchText(origin, "/metrics");
  if (!text.ok()) return text.error();
  auto req = metricSum(*text, "cdnlab_origin_requests_total");
  auto bytes = metricSum(*text, "cdnlab_origin_body_bytes_total");
  if (!req || !bytes) return Error{1, "no cdnlab_origin_* counters in the origin's /metrics"};
  return OriginCounters{*req, *bytes};
}

}  // namespace cdnlab::loadgen
