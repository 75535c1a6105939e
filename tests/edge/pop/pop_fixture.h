// The edge request path without sockets, shared by the PoP's unit tests: a fake clock, a fake
// upstream that the test answers by hand, the real cache store and collapser.
#pragma once

#include "edge/pop/core.h"

#include <gtest/gtest.h>

#include <deque>
#include <mutex>

namespace cdnlab::edge::pop {

class FakeIo : public Io {
 public:
  struct Pending {
    UpstreamRequest request;
    std::function<void(UpstreamResult)> done;
  };
  void fetch(UpstreamRequest request, std::function<void(UpstreamResult)> done) override {
    pending.push_back({std::move(request), std::move(done)});
  }
  void post(std::function<void()> fn) override {
    std::lock_guard lock(mu_);
    posted_.push_back(std::move(fn));
  }
  // Runs what wakers posted (as the worker's loop would).
  size_t runPosted() {
    std::deque<std::function<void()>> now;
    {
      std::lock_guard lock(mu_);
      now.swap(posted_);
    }
    for (auto& fn : now) fn();
    return now.size();
  }
  // Answers the oldest pending upstream request.
  void answer(int status, std::vector<std::pair<std::string, std::string>> headers, std::string body = "") {
    ASSERT_FALSE(pending.empty());
    Pending p = std::move(pending.front());
    pending.pop_front();
    UpstreamResponse r;
    r.status = status;
    for (auto& [k, v] : headers) r.headers.add(k, v);
    r.body = Buffer(std::move(body));
    p.done(std::move(r));
  }
  void fail(int status, std::string why) {
    ASSERT_FALSE(pending.empty());
    Pending p = std::move(pending.front());
    pending.pop_front();
    p.done(Error{status, std::move(why)});
  }
  std::deque<Pending> pending;

 private:
  std::mutex mu_;
  std::deque<std::function<void()>> posted_;
};

struct Reply {
  bool done = false;
  http::Response response;
  Outcome outcome = Outcome::Error;
  std::string header(std::string_view name) const {
    if (auto v = response.headers.get(name)) return std::string(*v);
    // Stored fields travel in the pre-serialized block.
    std::string block(response.headerBlock.view());
    std::string needle = std::string(name) + ": ";
    size_t at = block.find(needle);
    if (at == std::string::npos) return "";
    size_t end = block.find("\r\n", at);
    return block.substr(at + needle.size(), end - at - needle.size());
  }
};
using ReplyPtr = std::shared_ptr<Reply>;

class FsmTest : public ::testing::Test {
 protected:
  FsmTest() {
    config_.id = "test1";
    config_.upstream = "http://127.0.0.1:9";
    config_.capacityBytes = 1 << 20;
    rebuild();
  }

  // Builds the store, collapser and core from config_ (again, after a test changed config_).
  void rebuild() {
    EXPECT_TRUE(config_.validate().ok());
    core_.reset();
    store_ = std::move(cache::CacheStore::create(PopCore::storeConfig(config_)).value());
    collapser_ = std::make_unique<cache::Collapser>(PopCore::collapseConfig(config_));
    core_ = std::make_unique<PopCore>(config_, clock_, *store_, *collapser_, metrics_);
  }

  ReplyPtr request(std::string method, std::string target,
                   std::vector<std::pair<std::string, std::string>> headers = {}, std::string body = "") {
    http::Request req;
    req.method = std::move(method);
    req.target = target;
    req.path = target.substr(0, target.find('?'));
    req.headers.add("Host", "127.0.0.1:8080");
    for (auto& [k, v] : headers) req.headers.add(k, v);
    req.body = std::move(body);
    auto reply = std::make_shared<Reply>();
    startTransaction(*core_, io_, std::move(req), [reply](Transaction& tx) {
      reply->done = true;
      reply->response = tx.response;
      reply->outcome = *tx.outcome;
    });
    return reply;
  }

  // GET that misses and is answered by the fake upstream with `headers` and `body`.
  ReplyPtr fill(std::string target, std::vector<std::pair<std::string, std::string>> headers,
                std::string body = "hello") {
    auto r = request("GET", target);
    EXPECT_EQ(io_.pending.size(), 1u);
    io_.answer(200, std::move(headers), std::move(body));
    EXPECT_TRUE(r->done);
    EXPECT_EQ(r->outcome, Outcome::Miss);
    return r;
  }

  FakeClock clock_;
  PopConfig config_;
  std::unique_ptr<cache::CacheStore> store_;
  std::unique_ptr<cache::Collapser> collapser_;
  Metrics metrics_;
  std::unique_ptr<PopCore> core_;
  FakeIo io_;
};

}  // namespace cdnlab::edge::pop
