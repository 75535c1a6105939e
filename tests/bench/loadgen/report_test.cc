// Output: the progress line's format, the tables, and the JSON document's shape.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "bench/loadgen/report.h"

namespace cdnlab::loadgen {
namespace {

Results sample() {
  Results r({"berlin", "sydney"});
  Sample s;
  s.hit = true;
  s.bodyBytes = 1024;
  s.latencyUs = 12000;
  r.record(0, "fra", 0, s);
  s.hit = false;
  s.latencyUs = 250000;
  r.record(1, "syd", 1, s);
  return r;
}

TEST(Report, ProgressLine) {
  EXPECT_EQ(progressLine(12, 30, 2400, 0.612, 183.44), "  12s/30s  requests 2400  hit 61.2%  p99 183.4ms");
}

TEST(Report, TablesNamePopsRegionsAndOffload) {
  RunInfo info;
  info.mode = "open";
  info.durationS = 2;
  Offload o;
  o.originRequests = 1;
  o.clientRequests = 2;
  o.originBytes = 1024;
  o.clientBytes = 2048;
  info.offload = o;
  std::string t = renderTables(sample(), info);
  for (const char* word : {"per PoP", "fra", "syd", "per client region", "berlin", "sydney", "p99.9", "origin offload",
                           "requests 50.0%"})
    EXPECT_NE(t.find(word), std::string::npos) << word << "\n" << t;
}

TEST(Report, JsonShape) {
  RunInfo info;
  info.seed = 77;
  info.mode = "closed";
  info.durationS = 2;
  std::string json = renderJson(sample(), info);
  rapidjson::Document d;
  ASSERT_FALSE(d.Parse(json.c_str()).HasParseError()) << json;
  EXPECT_EQ(d["run"]["seed"].GetUint64(), 77u);
  EXPECT_STREQ(d["run"]["mode"].GetString(), "closed");
  EXPECT_EQ(d["total"]["requests"].GetUint64(), 2u);
  EXPECT_DOUBLE_EQ(d["total"]["hit_ratio"].GetDouble(), 0.5);
  for (const char* k : {"p50", "p90", "p99", "p99.9"}) EXPECT_TRUE(d["total"]["latency_ms"].HasMember(k)) << k;
  EXPECT_TRUE(d["pops"].HasMember("fra"));
  EXPECT_TRUE(d["pops"].HasMember("syd"));
  EXPECT_EQ(d["regions"]["sydney"]["requests"].GetUint64(), 1u);
  EXPECT_TRUE(d["offload"].IsNull());
  ASSERT_TRUE(d["series"].IsArray());
  ASSERT_EQ(d["series"].Size(), 2u);
  EXPECT_EQ(d["series"][1]["second"].GetUint64(), 1u);
  EXPECT_NEAR(d["series"][1]["p99_ms"].GetDouble(), 250.0, 2.0);
}

}  // namespace
}  // namespace cdnlab::loadgen
