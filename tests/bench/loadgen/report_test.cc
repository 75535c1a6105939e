// Output: the progress line's format, the tables, and the JSON document's shape.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "bench/loadgen/report.h"

namespace cdnlab::loadgen {
namespace {

Results sample() {
  Results r({"berlin", "sydney"});
  Sample s;
  s.outcome = Outcome::Hit;
  s.bodyBytes = 1024;
  s.latencyUs = 12000;
  r.record(0, "fra", 0, s);
  s.outcome = Outcome::Miss;
  s.shield = Outcome::Miss;
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
  info.errorCauses = {{"connection refused", 3}};
  info.notSent = 4;
  std::string t = renderTables(sample(), info);
  for (const char* word : {"per PoP", "fra", "syd", "per client region", "berlin", "sydney", "p99.9", "origin offload",
                           "requests 50.0%", "shield tier", "requests by outcome", "latency by outcome", "p10",
                           "3 connection refused", "4 arrivals never sent"})
    EXPECT_NE(t.find(word), std::string::npos) << word << "\n" << t;
}

TEST(Report, NothingMeasuredShowsDashesNotZeros) {
  RunInfo info;
  info.mode = "open";
  std::string t = renderTables(Results({"berlin"}), info);
  EXPECT_EQ(t.find("0.0%"), std::string::npos) << t;
  rapidjson::Document d;
  std::string json = renderJson(Results({"berlin"}), info);
  ASSERT_FALSE(d.Parse(json.c_str()).HasParseError()) << json;
  EXPECT_FALSE(d["total"].HasMember("hit_ratio"));
  EXPECT_FALSE(d["total"].HasMember("latency_ms"));
}

TEST(Report, JsonShape) {
  RunInfo info;
  info.seed = 77;
  info.mode = "closed";
  info.durationS = 2;
  info.startedAt = utcTimestamp();
  info.config.regions = {{"berlin", 0, 0.5}, {"sydney", 0, 0.5}};
  std::string json = renderJson(sample(), info);
  rapidjson::Document d;
  ASSERT_FALSE(d.Parse(json.c_str()).HasParseError()) << json;
  EXPECT_EQ(d["run"]["seed"].GetUint64(), 77u);
  EXPECT_STREQ(d["run"]["mode"].GetString(), "closed");
  EXPECT_EQ(std::string(d["run"]["started_at"].GetString()).size(), 20u);  // 2026-12-01T00:16:06Z
  EXPECT_FALSE(d["run"].HasMember("rate"));  // closed loop: no rate

  EXPECT_EQ(d["total"]["requests"].GetUint64(), 2u);
  EXPECT_DOUBLE_EQ(d["total"]["hit_ratio"].GetDouble(), 0.5);
  for (const char* k : {"p50", "p90", "p99", "p99.9"}) EXPECT_TRUE(d["total"]["latency_ms"].HasMember(k)) << k;
  EXPECT_TRUE(d["pops"].HasMember("fra"));
  EXPECT_TRUE(d["pops"].HasMember("syd"));
  EXPECT_EQ(d["regions"]["sydney"]["requests"].GetUint64(), 1u);
  EXPECT_FALSE(d.HasMember("offload"));  // not measured: absent
  EXPECT_EQ(d["total"]["outcomes"]["Hit"].GetUint64(), 1u);
  EXPECT_EQ(d["total"]["outcomes"]["Miss"].GetUint64(), 1u);
  EXPECT_TRUE(d["total"]["latency_ms_by_outcome"].HasMember("Hit"));
  EXPECT_FALSE(d["total"]["latency_ms_by_outcome"].HasMember("Revalidated"));
  EXPECT_TRUE(d["total"]["latency_ms"].HasMember("p10"));
  EXPECT_EQ(d["shield"]["requests"].GetUint64(), 1u);
  ASSERT_TRUE(d["pops"]["syd"]["series"].IsArray());
  EXPECT_EQ(d["pops"]["syd"]["series"].Size(), 2u);
  EXPECT_EQ(d["regions"]["sydney"]["series"][1]["requests"].GetUint64(), 1u);
  EXPECT_FALSE(d["regions"]["sydney"]["series"][0].HasMember("mean_ms"));  // nothing in second 0
  EXPECT_TRUE(d["run"].HasMember("config"));
  EXPECT_TRUE(d["run"]["config"]["regions"].IsArray());
  ASSERT_TRUE(d["series"].IsArray());
  ASSERT_EQ(d["series"].Size(), 2u);
  EXPECT_EQ(d["series"][1]["second"].GetUint64(), 1u);
  EXPECT_NEAR(d["series"][1]["p99_ms"].GetDouble(), 250.0, 2.0);
}

}  // namespace
}  // namespace cdnlab::loadgen
