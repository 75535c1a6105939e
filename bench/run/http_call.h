// Blocking HTTP requests from the calling thread, for `cdnlab up`'s deploy step (management API
// calls to the store, the Lambda service and the gateway). A session runs its own libuv loop
// with the common HttpClient (keep-alive connections reused across calls); never used on a
// request path.
#pragma once

#include <uv.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/config/units.h"
#include "common/result.h"

namespace cdnlab::http {
class HttpClient;
}

namespace cdnlab::bench::run {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct HttpCall {
  config::HostPort to;
  std::string method = "GET";
  std::string target = "/";
  HeaderList headers;
  std::string body;
};

struct HttpReply {
  int status = 0;
  HeaderList headers;
  std::string body;
  std::string header(const std::string& name) const;  // case-insensitive; "" when absent
};

class HttpSession {
 public:
  explicit HttpSession(int timeoutMs = 10000);
  ~HttpSession();
  HttpSession(const HttpSession&) = delete;
  HttpSession& operator=(const HttpSession&) = delete;

  // Any status is a reply; only transport failures (refused, timeout, malformed) are errors.
  Result<HttpReply> call(HttpCall c);
  // All of them in flight at once (up to the client's per-upstream connection cap); replies in
  // the order of the calls.
  std::vector<Result<HttpReply>> callAll(std::vector<HttpCall> calls);

 private:
  uv_loop_t loop_;
  std::unique_ptr<http::HttpClient> client_;
};

}  // namespace cdnlab::bench::run
