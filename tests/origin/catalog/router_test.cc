// The catalog origin's routes without a socket: what each request gets back.
#include "origin/catalog/router.h"

#include <gtest/gtest.h>

namespace cdnlab::origin::catalog {
namespace {

class RouterTest : public ::testing::Test {
 protected:
  RouterTest() : catalog_(config()) {}
  static CatalogConfig config() {
    CatalogConfig c;
    c.objects = 100;
    c.seed = 5;
    c.uncacheableShare = 0;
    return c;
  }
  Routed get(const std::string& path, const std::string& method = "GET",
             std::initializer_list<std::pair<const char*, std::string>> hdrs = {}) {
    http::Request r;
    r.method = method;
    r.target = path;
    r.path = path.substr(0, path.find('?'));
    for (auto& [n, v] : hdrs) r.headers.add(n, v);
    return route(catalog_, metrics_, r);
  }
  std::string header(const Routed& r, const char* name) {
    auto v = r.response.headers.get(name);
    return v ? std::string(*v) : std::string("(absent)");
  }
  Catalog catalog_;
  OriginMetrics metrics_;
};

TEST_F(RouterTest, ObjectGetsItsHeadersAndBytes) {
  ObjectInfo o = catalog_.object(1);
  Routed r = get("/obj/1");
  EXPECT_TRUE(r.objectRequest);
  EXPECT_EQ(r.response.status, 200);
  EXPECT_EQ(r.response.body.size(), o.size);
  EXPECT_TRUE(r.response.body.view() == catalog_.body(o).view());
  EXPECT_EQ(header(r, "Content-Type"), "application/octet-stream");
  EXPECT_EQ(header(r, "Cache-Control"), o.cacheControl);
  EXPECT_EQ(header(r, "ETag"), o.etag);
  EXPECT_EQ(header(r, "Last-Modified"), http::httpDate(o.lastModified));
  EXPECT_EQ(header(r, "Surrogate-Key"), "obj-" + std::to_string(o.id) + " group-" + std::to_string(o.id % 10));
  EXPECT_EQ(get("/obj/1?x=1").response.status, 200);  // the query is ignored
  EXPECT_EQ(get("/obj/1", "HEAD").response.status, 200);
}

TEST_F(RouterTest, ConditionalRequestsGet304WithValidators) {
  ObjectInfo o = catalog_.object(2);
  Routed r = get("/obj/2", "GET", {{"If-None-Match", o.etag}});
  EXPECT_EQ(r.response.status, 304);
  EXPECT_TRUE(r.response.body.empty());
  EXPECT_EQ(header(r, "ETag"), o.etag);
  EXPECT_EQ(header(r, "Cache-Control"), o.cacheControl);
  EXPECT_EQ(get("/obj/2", "GET", {{"If-Modified-Since", http::httpDate(o.lastModified)}}).response.status, 304);
  EXPECT_EQ(get("/obj/2", "GET", {{"If-None-Match", "\"other\""}}).response.status, 200);
  EXPECT_EQ(get("/obj/2", "HEAD", {{"If-None-Match", o.etag}}).response.status, 304);
}

TEST_F(RouterTest, UnknownObjectsAndPathsAreBrieflyCacheable404s) {
  for (const char* p : {"/obj/100", "/obj/18446744073709551615", "/obj/99999999999999999999", "/obj/007",
                        "/obj/-1", "/obj/", "/obj/1/x", "/obj/1a", "/", "/objects/1"}) {
    Routed r = get(p);
    EXPECT_EQ(r.response.status, 404) << p;
    EXPECT_EQ(header(r, "Cache-Control"), "max-age=10") << p;
  }
  EXPECT_EQ(get("/obj/99").response.status, 200);
  EXPECT_EQ(get("/obj/0").response.status, 200);
}

TEST_F(RouterTest, OtherMethodsGet405WithAllow) {
  for (const char* m : {"POST", "PUT", "DELETE", "OPTIONS", "PATCH"}) {
    Routed r = get("/obj/1", m);
    EXPECT_EQ(r.response.status, 405) << m;
    EXPECT_EQ(header(r, "Allow"), "GET, HEAD");
  }
  EXPECT_EQ(get("/metrics", "POST").response.status, 405);
}

TEST_F(RouterTest, MetricsRenderCounters) {
  metrics_.count(200, 1000);
  metrics_.count(200, 24);
  metrics_.count(304, 0);
  metrics_.count(404, 10);
  metrics_.count(503, 0);
  Routed r = get("/metrics");
  EXPECT_FALSE(r.objectRequest);
  EXPECT_EQ(r.response.status, 200);
  std::string text(r.response.body.view());
  EXPECT_NE(text.find("cdnlab_origin_requests_total{status=\"200\"} 2\n"), std::string::npos) << text;
  EXPECT_NE(text.find("cdnlab_origin_requests_total{status=\"304\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("cdnlab_origin_requests_total{status=\"other\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("cdnlab_origin_not_modified_total 1\n"), std::string::npos);
  EXPECT_NE(text.find("cdnlab_origin_body_bytes_total 1034\n"), std::string::npos);
  EXPECT_NE(text.find("cdnlab_origin_catalog_objects 100\n"), std::string::npos);
  EXPECT_EQ(metrics_.requests(), 5u);
}

}  // namespace
}  // namespace cdnlab::origin::catalog
