// Blocking HTTP calls for the deploy step (see http_call.h).
#include "bench/run/http_call.h"

#include <strings.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <optional>

#include "common/http/client.h"

namespace cdnlab::bench::run {

std::string HttpReply::header(const std::string& name) const {
  for (const auto& [k, v] : headers)
    if (::strcasecmp(k.c_str(), name.c_str()) == 0) return v;
  return "";
}

HttpSession::HttpSession(int timeoutMs) {
  uv_loop_init(&loop_);
  http::ClientOptions o;
  o.connectTimeoutMs = static_cast<uint64_t>(timeoutMs);
  o.responseTimeoutMs = static_cast<uint64_t>(timeoutMs);
  o.maxConnectionsPerUpstream = 8;
  // Management calls are not all idempotent (CreateTable): never send one twice.
  o.retryIdempotent = false;
  client_ = std::make_unique<http::HttpClient>(&loop_, o);
}

HttpSession::~HttpSession() {
  client_.reset();  // closes its handles; the loop lets them finish
  uv_run(&loop_, UV_RUN_DEFAULT);
  uv_loop_close(&loop_);
}

Result<HttpReply> HttpSession::call(HttpCall c) {
  std::vector<HttpCall> one;
  one.push_back(std::move(c));
  return std::move(callAll(std::move(one)).front());
}

std::vector<Result<HttpReply>> HttpSession::callAll(std::vector<HttpCall> calls) {
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<std::optional<Result<HttpReply>>> out(calls.size());
  size_t pending = calls.size();
  for (size_t i = 0; i < calls.size(); ++i) {
    http::ClientRequest req;
    req.host = calls[i].to.host;
    req.port = calls[i].to.port;
    req.method = calls[i].method;
    req.target = calls[i].target;
    for (const auto& [k, v] : calls[i].headers) req.headers.add(k, v);
    if (!calls[i].body.empty() || calls[i].method == "POST" || calls[i].method == "PUT")
      req.body = Buffer(std::move(calls[i].body));
    client_->request(std::move(req), [&out, &pending, i](Result<http::ClientResponse> r) {
      if (!r.ok()) {
        out[i] = Result<HttpReply>(r.error());
      } else {
        HttpReply reply;
        reply.status = r->status;
        for (const auto& h : r->headers) reply.headers.emplace_back(h.name, h.value);
        reply.body = std::string(r->body.view());
        out[i] = Result<HttpReply>(std::move(reply));
      }
      --pending;
    });
  }
  while (pending > 0 && uv_run(&loop_, UV_RUN_ONCE) != 0) {
  }
  if (std::getenv("CDNLAB_TRACE_DEPLOY"))
    for (const auto& c : calls) std::fprintf(stderr, "deploy: %s %s%s %.1f ms\n", c.method.c_str(), c.to.str().c_str(), c.target.c_str(),
                 std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  std::vector<Result<HttpReply>> replies;
  for (auto& o : out) replies.push_back(o ? std::move(*o) : Result<HttpReply>(Error{1, "no response"}));
  return replies;
}

}  // namespace cdnlab::bench::run
