// The four edge-function steps without sockets: the real request path, cache and native worker
// pool, a fake upstream answered by hand, and a fake worker loop whose posted completions the
// test runs (waiting on a condition variable, bounded, never sleeping).
#include <gtest/gtest.h>

#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>

#include "edge/pop/core.h"
#include "lambda/native/registry.h"

namespace cdnlab::edge::pop {
namespace {

class LoopIo : public Io {
 public:
  void fetch(UpstreamRequest request, std::function<void(UpstreamResult)> done) override {
    fetched.push_back(std::move(request));
    pending.push_back(std::move(done));
  }
  void post(std::function<void()> fn) override {
    std::lock_guard lock(mu_);
    posted_.push_back(std::move(fn));
    cv_.notify_all();
  }
  // Runs posted functions until `until()` holds (bounded: 10 s).
  bool runUntil(const std::function<bool()>& until) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!until()) {
      std::function<void()> fn;
      {
        std::unique_lock lock(mu_);
        if (!cv_.wait_until(lock, deadline, [&] { return !posted_.empty(); })) return false;
        fn = std::move(posted_.front());
        posted_.pop_front();
      }
      fn();
    }
    return true;
  }
  void answer(int status, std::vector<std::pair<std::string, std::string>> headers, std::string body) {
    ASSERT_FALSE(pending.empty());
    auto done = std::move(pending.front());
    pending.pop_front();
    UpstreamResponse r;
    r.status = status;
    for (auto& [k, v] : headers) r.headers.add(k, v);
    r.body = Buffer(std::move(body));
    done(std::move(r));
  }
  std::vector<UpstreamRequest> fetched;
  std::deque<std::function<void(UpstreamResult)>> pending;

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> posted_;
};

int answerJson(const cdnlab_native_context* ctx, const char* json) {
  size_t n = std::strlen(json);
  std::memcpy(ctx->alloc_response(ctx->host, n), json, n);
  return CDNLAB_NATIVE_OK;
}

void registerTestFunctions() {
  static bool once = [] {
    auto add = [](const char* name, cdnlab_native_handler h) {
      lambda::native::NativeFunction fn;
      fn.name = name;
      fn.handler = h;
      fn.initTime = std::chrono::microseconds(0);
      lambda::native::Registry::global().add(std::move(fn));
    };
    add("test-teapot", [](const cdnlab_native_context* ctx, const char*, size_t, void*) {
      return answerJson(ctx, R"({"status":"418","statusDescription":"I'm a teapot","body":"short and stout"})");
    });
    add("test-array", [](const cdnlab_native_context* ctx, const char*, size_t, void*) { return answerJson(ctx, "[]"); });
    return true;
  }();
  (void)once;
}

struct Reply {
  bool done = false;
  http::Response response;
  Outcome outcome = Outcome::Error;
  std::string header(std::string_view name) const {
    if (auto v = response.headers.get(name)) return std::string(*v);
    std::string block(response.headerBlock.view());
    std::string needle = std::string(name) + ": ";
    size_t at = block.find(needle);
    if (at == std::string::npos) return "";
    return block.substr(at + needle.size(), block.find("\r\n", at) - at - needle.size());
  }
};

class FunctionStepsTest : public ::testing::Test {
 protected:
  void startPop(std::vector<std::string> flags) {
    registerTestFunctions();
    config_.id = "fn1";
    config_.upstream = "http://127.0.0.1:9";
    config_.capacityBytes = 1 << 20;
    for (const auto& f : flags) config_.edgeFunctions.push_back(parseEdgeFunctionFlag(f).value());
    ASSERT_TRUE(config_.validate().ok());
    store_ = std::move(cache::CacheStore::create(PopCore::storeConfig(config_)).value());
    collapser_ = std::make_unique<cache::Collapser>(PopCore::collapseConfig(config_));
    core_ = std::make_unique<PopCore>(config_, clock_, *store_, *collapser_, metrics_);
    auto runner = FunctionRunner::create(config_);
    ASSERT_TRUE(runner.ok()) << runner.error().message;
    runner_ = std::move(runner.value());
    core_->setFunctions(runner_.get());
  }

  std::shared_ptr<Reply> get(std::string target) {
    http::Request req;
    req.method = "GET";
    req.target = target;
    req.path = target.substr(0, target.find('?'));
    req.query = target.find('?') == std::string::npos ? "" : target.substr(target.find('?') + 1);
    req.headers.add("Host", "127.0.0.1:8080");
    req.peer = "127.0.0.1:40000";
    auto reply = std::make_shared<Reply>();
    startTransaction(*core_, io_, std::move(req), [reply](Transaction& tx) {
      reply->done = true;
      reply->response = tx.response;
      reply->outcome = *tx.outcome;
    });
    return reply;
  }

  uint64_t count(const EdgeFunctionCounters::PerTrigger& c, lambda::edge::Trigger t) {
    return c[EdgeFunctionCounters::index(t)].load();
  }

  FakeClock clock_;
  PopConfig config_;
  Metrics metrics_;
  std::unique_ptr<cache::CacheStore> store_;
  std::unique_ptr<cache::Collapser> collapser_;
  std::unique_ptr<PopCore> core_;
  std::unique_ptr<FunctionRunner> runner_;
  LoopIo io_;
};

TEST_F(FunctionStepsTest, GeneratedAtViewerRequestSkipsCacheUpstreamAndViewerResponse) {
  startPop({"viewer-request=native:test-teapot", "viewer-response=builtin:security-headers"});
  auto r = get("/a");
  EXPECT_FALSE(r->done);  // parked on the function: the loop is free meanwhile
  ASSERT_TRUE(io_.runUntil([&] { return r->done; }));
  EXPECT_EQ(r->response.status, 418);
  EXPECT_EQ(std::string(r->response.body.view()), "short and stout");
  EXPECT_EQ(r->outcome, Outcome::Synth);
  EXPECT_TRUE(io_.fetched.empty());
  EXPECT_EQ(r->header("X-Frame-Options"), "");  // no viewer-response on a generated response
  EXPECT_EQ(count(metrics_.edgeFunctions.generated, lambda::edge::Trigger::ViewerRequest), 1u);
  EXPECT_NE(r->header("Server-Timing").find("fn;dur="), std::string::npos);
}

TEST_F(FunctionStepsTest, OriginResponseChangeIsStoredAndViewerResponseRunsOnHits) {
  startPop({"origin-response=builtin:security-headers@/s/*", "viewer-response=native:echo@/v/*"});
  auto miss = get("/s/1");
  ASSERT_TRUE(io_.pending.size() == 1);
  io_.answer(200, {{"Cache-Control", "max-age=60"}}, "body");
  ASSERT_TRUE(io_.runUntil([&] { return miss->done; }));
  EXPECT_EQ(miss->outcome, Outcome::Miss);
  EXPECT_EQ(miss->header("X-Frame-Options"), "DENY");
  auto hit = get("/s/1");
  ASSERT_TRUE(hit->done);  // no function on this path's hit: answered at once
  EXPECT_EQ(hit->outcome, Outcome::Hit);
  EXPECT_EQ(hit->header("X-Frame-Options"), "DENY");  // stored with the entry
  EXPECT_EQ(count(metrics_.edgeFunctions.invocations, lambda::edge::Trigger::OriginResponse), 1u);

  // `echo` at viewer-response returns the whole event: an object without `status` or `headers`,
  // which CloudFront reads as "no change"; it runs on the miss and again on the hit.
  auto v = get("/v/1");
  io_.answer(200, {{"Cache-Control", "max-age=60"}}, "body");
  ASSERT_TRUE(io_.runUntil([&] { return v->done; }));
  EXPECT_EQ(v->response.status, 200);
  EXPECT_EQ(count(metrics_.edgeFunctions.invocations, lambda::edge::Trigger::ViewerResponse), 1u);
  auto vhit = get("/v/1");
  ASSERT_TRUE(io_.runUntil([&] { return vhit->done; }));
  EXPECT_EQ(vhit->outcome, Outcome::Hit);
  EXPECT_EQ(count(metrics_.edgeFunctions.invocations, lambda::edge::Trigger::ViewerResponse), 2u);
}

TEST_F(FunctionStepsTest, InvalidResultIs502ForThatRequestOnly) {
  startPop({"viewer-request=native:test-array@/bad"});
  auto bad = get("/bad");
  ASSERT_TRUE(io_.runUntil([&] { return bad->done; }));
  EXPECT_EQ(bad->response.status, 502);
  EXPECT_EQ(bad->outcome, Outcome::Error);
  EXPECT_NE(std::string(bad->response.body.view()).find("failed validation"), std::string::npos);
  EXPECT_EQ(count(metrics_.edgeFunctions.invalid, lambda::edge::Trigger::ViewerRequest), 1u);
  auto good = get("/good");
  ASSERT_EQ(io_.pending.size(), 1u);
  io_.answer(200, {{"Cache-Control", "max-age=60"}}, "ok");
  ASSERT_TRUE(good->done);
  EXPECT_EQ(good->response.status, 200);
}

}  // namespace
}  // namespace cdnlab::edge::pop
