// HTTP <-> Service glue (see http_binding.h).
#include "origin/store/http_binding.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <random>
#include <string_view>

#include "origin/store/crc32.h"
#include "origin/store/response_encoding.h"

namespace cdnlab::store {

std::string newRequestId() {
  // Each random byte picks one of the 36 characters by a table (byte % 36: the first four are a
  // little likelier, which an identifier does not mind): seven 64-bit draws for 52 characters,
  // where a base-36 division per character cost ~1,100 instructions per answer.
  static constexpr auto kDigitOfByte = [] {
    std::array<char, 256> t{};
    constexpr std::string_view alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    for (size_t b = 0; b < t.size(); ++b) t[b] = alphabet[b % alphabet.size()];
    return t;
  }();
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  std::string id(52, 'A');
  for (size_t i = 0; i < id.size();) {
    uint64_t r = rng();
    for (int k = 0; k < 8 && i < id.size(); ++k, r >>= 8) id[i++] = kDigitOfByte[r & 0xff];
  }
  return id;
}

http::Response HttpBinding::toHttp(ApiResponse&& r) {
  http::Response resp;
  resp.status = r.status;
  resp.headers.reserve(3);  // the three below, without the vector growing twice
  resp.headers.add("Content-Type", r.contentType);
  resp.headers.add("x-amzn-RequestId", newRequestId());
  resp.headers.add("x-amz-crc32", std::to_string(crc32(r.body)));
  resp.body = Buffer(std::move(r.body));  // the answer's bytes are not copied again
  return resp;
}

namespace {

// A header value fit to be sent back as it came: printable ASCII and spaces only.
bool echoable(std::string_view v) {
  return std::all_of(v.begin(), v.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
}

// CORS as DynamoDB answers browsers: a request with an Origin is allowed from any origin and may
// read the answer's identifying headers; a preflight (OPTIONS) is granted the method and headers it
// asks for. Without an Origin no CORS header is sent.
void addCors(const http::Request& req, http::Response& resp) {
  auto origin = req.headers.get("origin");
  if (!origin) return;
  resp.headers.add("Access-Control-Allow-Origin", "*");
  resp.headers.add("Access-Control-Expose-Headers", "x-amzn-RequestId,x-amzn-ErrorType,x-amzn-ErrorMessage,x-amz-crc32,Date");
  if (req.method != "OPTIONS") return;
  resp.headers.add("Access-Control-Max-Age", "172800");
  if (auto m = req.headers.get("access-control-request-method"); m && echoable(*m))
    resp.headers.add("Access-Control-Allow-Methods", std::string(*m));
  if (auto h = req.headers.get("access-control-request-headers"); h && echoable(*h))
    resp.headers.add("Access-Control-Allow-Headers", std::string(*h));
}

// An answer of 4 KB or more goes out gzip- or deflate-encoded when the client accepts it, as
// DynamoDB's do; x-amz-crc32 then covers the bytes sent.
void encodeForClient(const http::Request& req, http::Response& resp) {
  if (resp.body.size() < kCompressAnswersFrom) return;
  auto accept = req.headers.get("accept-encoding");
  if (!accept) return;
  auto coding = chooseContentCoding(*accept);
  if (!coding) return;
  auto encoded = encodeBody(resp.body.view(), *coding);
  if (!encoded) return;
  resp.headers.set("x-amz-crc32", std::to_string(crc32(*encoded)));
  resp.headers.add("Content-Encoding", *coding);
  resp.body = Buffer(std::move(*encoded));
}

}  // namespace

http::Handler HttpBinding::handler() {
  return [this](const http::RequestContextPtr& ctx) { handle(ctx); };
}

void HttpBinding::handle(const http::RequestContextPtr& ctx) {
  const http::Request& req = ctx->request();
  if (req.method == "GET" && req.path == "/metrics") {
    ctx->respond(http::Response(200, metrics_->render(), "text/plain; version=0.0.4"));
    return;
  }
  // DynamoDB's health check: a GET of "/" answers "healthy: <the endpoint's host>"; other paths
  // are refused like any request that is not an API call.
  if ((req.method == "GET" || req.method == "HEAD") && req.path == "/") {
    auto host = req.headers.get("host");
    std::string name = host && isPlausibleHost(*host) ? std::string(*host) : "dynamodb." + region_ + ".amazonaws.com";
    http::Response resp(200, "healthy: " + name + " ", "text/plain");
    resp.headers.add("x-amzn-RequestId", newRequestId());
    addCors(req, resp);
    ctx->respond(std::move(resp));
    return;
  }
  if (req.method == "OPTIONS" && req.headers.get("origin")) {  // a CORS preflight
    http::Response resp(200, "", "text/plain");
    resp.headers.add("x-amzn-RequestId", newRequestId());
    addCors(req, resp);
    ctx->respond(std::move(resp));
    return;
  }
  if (req.method != "POST") {
    ApiResponse r;
    r.status = 400;
    r.body = Service::errorBody(coralError("UnknownOperationException", ""));
    http::Response resp = toHttp(std::move(r));
    addCors(req, resp);
    ctx->respond(std::move(resp));
    return;
  }
  std::string target(req.headers.get("x-amz-target").value_or(""));
  // Headers are looked up by SigV4 only. A repeated field is signed as its values joined with ","
  // in arrival order; each lookup returns its own copy.
  HeaderLookup lookup = [&req](std::string_view name) -> std::optional<std::string> {
    std::optional<std::string> joined;
    for (const auto& h : req.headers) {
      if (h.name.size() != name.size() ||
          !std::equal(name.begin(), name.end(), h.name.begin(),
                      [](char a, char b) { return a == std::tolower(static_cast<unsigned char>(b)); }))
        continue;
      if (joined) joined->push_back(',');
      else joined.emplace();
      joined->append(h.value);
    }
    return joined;
  };
  const auto started = std::chrono::steady_clock::now();
  capacityMeter() = {};
  ApiResponse r = service_.handleRequest(target, req.body, lookup, req.method, req.path, req.query);
  CapacityMeter units = capacityMeter();
  if (target.find(".Transact") != std::string::npos) {  // a transaction reads and writes every item twice
    units.readUnits *= 2;
    units.writeUnits *= 2;
  }
  auto record = [metrics = metrics_, target = std::move(target), status = r.status, units, started] {
    const auto us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started);
    metrics->record(target, status, units, static_cast<uint64_t>(us.count()));
  };
  if (r.durableTicket == 0 || server_ == nullptr) {
    if (r.durableTicket) service_.engine().waitDurable(r.durableTicket);
    http::Response resp = toHttp(std::move(r));
    encodeForClient(req, resp);
    addCors(req, resp);
    ctx->respond(std::move(resp));
    record();
    return;
  }
  int worker = ctx->workerIndex();
  uint64_t ticket = r.durableTicket;
  auto resp = std::make_shared<http::Response>(toHttp(std::move(r)));
  encodeForClient(req, *resp);
  addCors(req, *resp);
  http::HttpServer* server = server_;
  service_.engine().onDurable(ticket, [server, worker, ctx, resp, record = std::move(record)] {
    // Runs on the committer thread: hand the answer back to the request's loop.
    record();
    server->post(worker, [ctx, resp] { ctx->respond(std::move(*resp)); });
  });
}

}  // namespace cdnlab::store
