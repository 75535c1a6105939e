// What the `cdnlab up` plan tests share: a topology from YAML text, a component of a plan by
// name, and whether a component's arguments hold `flag value`.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "bench/run/run_plan.h"
#include "common/config/error.h"
#include "geo/topology.h"

namespace cdnlab::bench::run {

inline geo::Topology load(const char* yaml) {
  auto t = geo::loadTopologyString(yaml, "test.yaml");
  EXPECT_TRUE(t.ok()) << config::formatErrors(t.errors());
  return std::move(*t);
}

inline const Component& find(const std::vector<Component>& plan, const std::string& name) {
  auto it = std::find_if(plan.begin(), plan.end(), [&](const Component& c) { return c.name == name; });
  EXPECT_NE(it, plan.end()) << name;
  return *it;
}

inline bool hasFlag(const Component& c, const std::string& flag, const std::string& value) {
  for (size_t i = 0; i + 1 < c.args.size(); ++i)
    if (c.args[i] == flag && c.args[i + 1] == value) return true;
  return false;
}

}  // namespace cdnlab::bench::run
