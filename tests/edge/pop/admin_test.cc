// The admin endpoints without sockets: purge scopes, the bearer token, /metrics.
#include "edge/pop/admin.h"

#include <gtest/gtest.h>

namespace cdnlab::edge::pop {
namespace {

class AdminTest : public ::testing::Test {
 protected:
  AdminTest() {
    config_.upstream = "http://127.0.0.1:9000";
    EXPECT_TRUE(config_.validate().ok());
    store_ = std::move(cache::CacheStore::create(PopCore::storeConfig(config_)).value());
    core_ = std::make_unique<PopCore>(config_, clock_, *store_, collapser_, metrics_);
  }
  void put(const std::string& target) {
    http::Request req;
    req.method = "GET";
    req.target = target;
    cache::RequestView v{"GET", "http", core_->keyHost(), target, &req.headers};
    http::Headers h;
    h.add("Cache-Control", "max-age=60");
    auto e = cache::makeEntry(cache::makeCacheKey(v, core_->keyConfig()), v, 200, h, Buffer(std::string("body")),
                              core_->nowMs(), core_->nowMs(), core_->freshness());
    ASSERT_TRUE(e.ok());
    store_->insert(e.value(), core_->nowMs());
  }
  http::Response call(std::string method, std::string target, std::string auth = "") {
    http::Request req;
    req.method = std::move(method);
    req.target = target;
    req.path = target.substr(0, target.find('?'));
    if (target.find('?') != std::string::npos) req.query = target.substr(target.find('?') + 1);
    if (!auth.empty()) req.headers.add("Authorization", auth);
    return handleAdmin(*core_, "tok", req);
  }
  FakeClock clock_;
  PopConfig config_;
  std::unique_ptr<cache::CacheStore> store_;
  cache::Collapser collapser_;
  Metrics metrics_;
  std::unique_ptr<PopCore> core_;
};

TEST_F(AdminTest, PurgeNeedsTheToken) {
  put("/obj/1");
  EXPECT_EQ(call("POST", "/purge?url=/obj/1").status, 401);
  EXPECT_EQ(call("POST", "/purge?url=/obj/1", "Bearer nope").status, 401);
  EXPECT_EQ(store_->stats().objects, 1u);
  auto r = call("POST", "/purge?url=/obj/1", "Bearer tok");
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(std::string(r.body.view()).find("\"objects\":1"), std::string::npos) << r.body.view();
  EXPECT_EQ(store_->stats().objects, 0u);
}

TEST_F(AdminTest, PurgeScopes) {
  for (auto t : {"/obj/1", "/obj/10", "/obj/2", "/img/1"}) put(t);
  auto full = call("POST", "/purge?url=http%3A%2F%2Flocalhost%3A8080%2Fobj%2F2", "Bearer tok");
  EXPECT_NE(std::string(full.body.view()).find("\"objects\":1"), std::string::npos) << full.body.view();
  auto prefix = call("POST", "/purge?prefix=/obj/1", "Bearer tok");
  EXPECT_NE(std::string(prefix.body.view()).find("\"objects\":2"), std::string::npos) << prefix.body.view();
  auto all = call("POST", "/purge?all=1", "Bearer tok");
  EXPECT_NE(std::string(all.body.view()).find("\"objects\":1"), std::string::npos) << all.body.view();
  EXPECT_EQ(call("POST", "/purge", "Bearer tok").status, 400);
  EXPECT_EQ(call("GET", "/purge?all=1", "Bearer tok").status, 405);
  EXPECT_EQ(metrics_.purgedObjects.load(), 4u);
}

TEST_F(AdminTest, MetricsAndUnknownPaths) {
  put("/obj/1");
  auto m = call("GET", "/metrics");
  EXPECT_EQ(m.status, 200);
  EXPECT_NE(std::string(m.body.view()).find("cdnlab_cache_objects 1\n"), std::string::npos);
  EXPECT_EQ(call("GET", "/nope").status, 404);
}

TEST(QueryParam, DecodesAndRejectsMalformed) {
  EXPECT_EQ(queryParam("a=1&url=%2Fobj%2F1", "url").value_or("?"), "/obj/1");
  EXPECT_EQ(queryParam("url=a+b", "url").value_or("?"), "a b");
  EXPECT_FALSE(queryParam("url=%2", "url").has_value());
  EXPECT_FALSE(queryParam("other=1", "url").has_value());
  EXPECT_EQ(queryParam("all", "all").value_or("?"), "");
}

}  // namespace
}  // namespace cdnlab::edge::pop
