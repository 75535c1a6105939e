#include "geo/router_core.h"

#include <gtest/gtest.h>

#include <cstdio>

#include "geo/geo_build.h"
#include "geo/router_server.h"
#include "tests/geo/test_paths.h"

namespace cdnlab::geo {
namespace {

const char* const kTopo = R"(
router:
  trusted_forwarders: [127.0.0.1, 127.0.9.0/24]
  fallback_pop: iad
  health_check: {unhealthy_after: 2, healthy_after: 1}
origin: {city: Ashburn, lat: 39.0438, lon: -77.4874, address: 127.0.2.1:9000, catalog: c.yaml}
pops:
  - {id: shield, city: New York, lat: 40.71, lon: -74.0, address: 127.0.3.1:8080, tier: shield, upstream: origin, capacity: 8MiB}
  - {id: fra, city: Frankfurt, lat: 50.1109, lon: 8.6821, address: 127.0.3.2:8080, upstream: shield, capacity: 4MiB}
  - {id: iad, city: Ashburn, lat: 39.0438, lon: -77.4874, address: 127.0.3.4:8080, upstream: shield, capacity: 4MiB}
  - {id: sin, city: Singapore, lat: 1.3521, lon: 103.8198, address: 127.0.3.6:8080, upstream: shield, capacity: 4MiB}
regions:
  - {name: berlin, city: Berlin, country: DE, lat: 52.52, lon: 13.405, block: 127.10.0.0/16, share: 1}
  - {name: tokyo, city: Tokyo, country: JP, lat: 35.6762, lon: 139.6503, block: 127.16.0.0/16, share: 1}
)";

class RouterCoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto t = loadTopologyString(kTopo, "router.yaml");
    ASSERT_TRUE(t.ok()) << config::formatErrors(t.errors());
    topo_ = std::make_unique<Topology>(std::move(*t));
    path_ = testpaths::tempPath("router.mmdb");
    ASSERT_TRUE(writeRegionDatabase(*topo_, path_));
    std::vector<std::unique_ptr<GeoDb>> dbs;
    dbs.push_back(std::move(*GeoDb::open(path_)));
    // MaxMind's City test DB as a second source of real-world addresses, when present.
    auto mm = GeoDb::open(testpaths::maxmindTestData() + "/GeoIP2-City-Test.mmdb");
    haveMaxMind_ = mm.ok();
    if (mm.ok()) dbs.push_back(std::move(*mm));
    core_ = std::make_unique<RouterCore>(*topo_, std::move(dbs));
  }
  void TearDown() override { std::remove(path_.c_str()); }

  std::string popFor(const char* peer, std::optional<std::string_view> xff = std::nullopt) {
    auto d = core_->route(peer, xff, "/obj/1");
    return d.pop ? d.pop->spec.id : "<" + std::to_string(d.status) + ">";
  }

  std::unique_ptr<Topology> topo_;
  std::unique_ptr<RouterCore> core_;
  std::string path_;
  bool haveMaxMind_ = false;
};

TEST_F(RouterCoreTest, RoutesByRegionBlock) {
  auto d = core_->route("127.10.0.5", std::nullopt, "/obj/7?x=1");
  ASSERT_EQ(d.status, 302);
  EXPECT_EQ(d.pop->spec.id, "fra");
  EXPECT_EQ(d.location, "http://127.0.3.2:8080/obj/7?x=1");
  ASSERT_TRUE(d.client.record);
  EXPECT_EQ(d.client.record->region, "berlin");
  EXPECT_FALSE(d.usedFallback);
  EXPECT_EQ(popFor("127.16.200.1"), "sin");
}

TEST_F(RouterCoreTest, UnknownClientGoesToFallback) {
  auto d = core_->route("127.0.0.1", std::nullopt, "/");
  EXPECT_TRUE(d.usedFallback);
  EXPECT_EQ(d.pop->spec.id, "iad");
  EXPECT_FALSE(d.client.record);
}

TEST_F(RouterCoreTest, ForwardedForOnlyFromTrustedPeers) {
  // Untrusted peer (a Berlin client) claiming to be in Tokyo: ignored.
  EXPECT_EQ(core_->clientAddress("127.10.0.5", "127.16.0.1"), "127.10.0.5");
  EXPECT_EQ(popFor("127.10.0.5", "127.16.0.1"), "fra");
  // Trusted peer: the forwarded client counts.
  EXPECT_EQ(popFor("127.0.0.1", "127.16.0.1"), "sin");
  // Rightmost untrusted entry wins; entries the client prepended are not believed.
  EXPECT_EQ(core_->clientAddress("127.0.0.1", "127.16.0.1, 127.10.0.9"), "127.10.0.9");
  // Trusted hops are skipped.
  EXPECT_EQ(core_->clientAddress("127.0.0.1", "127.16.0.1, 127.0.9.7"), "127.16.0.1");
  // Garbage stops the walk at the last good hop.
  EXPECT_EQ(core_->clientAddress("127.0.0.1", "nonsense"), "127.0.0.1");
  EXPECT_EQ(core_->clientAddress("127.0.0.1", "127.16.0.1, junk"), "127.0.0.1");
  EXPECT_EQ(core_->clientAddress("127.0.0.1", ""), "127.0.0.1");
}

TEST_F(RouterCoreTest, RealWorldAddressesThroughTrustedForwarder) {
  if (!haveMaxMind_) GTEST_SKIP() << "no MaxMind test data";
  EXPECT_EQ(popFor("127.0.0.1", "81.2.69.160"), "fra");       // London -> nearest here is Frankfurt
  EXPECT_EQ(popFor("127.0.0.1", "175.16.199.7"), "sin");      // Changchun
  EXPECT_EQ(popFor("127.0.0.1", "216.160.83.57"), "iad");     // Milton, WA
  EXPECT_EQ(popFor("127.0.0.1", "2001:480:10::1"), "iad");    // San Diego (IPv6)
  EXPECT_EQ(popFor("127.10.0.5", "175.16.199.7"), "fra");     // untrusted: its own block counts
}

TEST_F(RouterCoreTest, HealthFlipsAfterConfiguredChecks) {
  // unhealthy_after: 2 -> one failure is not enough.
  size_t fra = 0;
  for (size_t i = 0; i < core_->pops().size(); ++i)
    if (core_->pops()[i].spec.id == "fra") fra = i;
  EXPECT_FALSE(core_->recordCheck(fra, false, 500, "refused"));
  EXPECT_EQ(popFor("127.10.0.5"), "fra");
  EXPECT_TRUE(core_->recordCheck(fra, false, 500, "refused"));
  EXPECT_FALSE(core_->pops()[fra].healthy);
  // Berlin fails over to the next nearest healthy PoP (Ashburn).
  auto d = core_->route("127.10.0.5", std::nullopt, "/a");
  EXPECT_EQ(d.pop->spec.id, "iad");
  EXPECT_TRUE(d.selection->failedOver);
  EXPECT_TRUE(core_->recordCheck(fra, true, 1, ""));
  EXPECT_EQ(popFor("127.10.0.5"), "fra");
}

TEST_F(RouterCoreTest, NoHealthyPopIs503) {
  for (size_t i = 0; i < core_->pops().size(); ++i)
    for (int k = 0; k < 2; ++k) core_->recordCheck(i, false, 1, "down");
  EXPECT_EQ(popFor("127.10.0.5"), "<503>");
}

TEST_F(RouterCoreTest, PopsJsonHasHealthAndCounters) {
  popFor("127.10.0.5");
  const std::string json = core_->popsJson();
  EXPECT_NE(json.find(R"("id":"fra")"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("healthy":true)"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("routed":1)"), std::string::npos) << json;
  EXPECT_EQ(json.find("shield"), std::string::npos) << "shields are not routed to: " << json;
}

TEST(RouterServer, PeerHost) {
  EXPECT_EQ(peerHost("127.10.0.5:4242"), "127.10.0.5");
  EXPECT_EQ(peerHost("[::1]:80"), "::1");
  EXPECT_EQ(peerHost("127.0.0.1"), "127.0.0.1");
}

}  // namespace
}  // namespace cdnlab::geo
