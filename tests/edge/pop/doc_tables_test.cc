// docs/request-path.md carries the tables generated from steps.h, verbatim.
#include "edge/pop/doc_tables.h"
#include "edge/pop/metrics.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

namespace cdnlab::edge::pop {
namespace {

std::string sourceRoot() {
  return CDNLAB_SOURCE_DIR;  // the repository, from CMake (__FILE__ may be relative)
}

TEST(DocTables, RequestPathDocMatchesTheStepTable) {
  std::ifstream in(sourceRoot() + "/docs/request-path.md");
  ASSERT_TRUE(in) << "docs/request-path.md missing";
  std::stringstream ss;
  ss << in.rdbuf();
  EXPECT_NE(ss.str().find(requestPathTables()), std::string::npos)
      << "docs/request-path.md is out of date; paste this in:\n"
      << requestPathTables();
}

TEST(Metrics, EveryOutcomeIsExported) {
  Metrics m;
  m.countOutcome(Outcome::Collapsed);
  m.latency.record(0.0003);
  std::string text = m.renderPrometheus("p1", StoreGauges{10, 1, 100, 0});
  for (const auto& o : kOutcomes)
    EXPECT_NE(text.find("cdnlab_requests_total{outcome=\"" + std::string(o.name) + "\"}"), std::string::npos);
  EXPECT_NE(text.find("cdnlab_requests_total{outcome=\"Collapsed\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("cdnlab_request_duration_seconds_bucket{le=\"0.0005\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("cdnlab_request_duration_seconds_bucket{le=\"0.00025\"} 0\n"), std::string::npos);
  EXPECT_NE(text.find("cdnlab_cache_bytes 10\n"), std::string::npos);
}

}  // namespace
}  // namespace cdnlab::edge::pop
