// Which functions `up` provisions and how their state reads on one line (the polling itself runs
// against a real Lambda service in tests/e2e/test_shop_live.py and test_up_default.py).
#include <gtest/gtest.h>

#include "bench/run/default_topology.h"
#include "bench/run/provisioned.h"

namespace cdnlab::bench::run {
namespace {

TEST(Provisioned, TheShopProvisionsEveryFunction) {
  auto topo = geo::loadTopologyString(defaultTopologyYaml(), kDefaultTopologyName);
  ASSERT_TRUE(topo) << config::formatErrors(topo.errors());
  EXPECT_EQ(provisionedFunctions(*topo), (std::vector<std::string>{"get-product", "list-category", "place-order"}));
  // Provisioned equal to reserved for the reads: no on-demand environment next to them.
  for (const auto& f : topo->app.functions) {
    if (f.name == "place-order") continue;
    EXPECT_EQ(f.reservedConcurrency.value_or(-1), f.provisionedConcurrency) << f.name;
  }
}

TEST(Provisioned, NoLambdaServiceNothingToWaitFor) {
  auto topo = geo::loadTopologyFile(std::string(CDNLAB_SOURCE_DIR) + "/configs/catalog.yaml");
  ASSERT_TRUE(topo) << config::formatErrors(topo.errors());
  EXPECT_TRUE(provisionedFunctions(*topo).empty());
  auto states = readProvisioned(*topo);
  ASSERT_TRUE(states.ok());
  EXPECT_TRUE(states->empty());
}

TEST(Provisioned, DescribedAsAvailableOverRequested) {
  std::vector<ProvisionedState> s = {{"get-product", 8, 3, "IN_PROGRESS", ""}, {"place-order", 1, 1, "READY", ""}};
  EXPECT_EQ(describeProvisioned(s), "get-product 3/8, place-order 1/1");
  EXPECT_EQ(describeProvisioned({}), "");
}

}  // namespace
}  // namespace cdnlab::bench::run
