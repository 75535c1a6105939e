// Turning a load JSON file into the HTML report on disk: the glue `cdnlab report` and `cdnlab
// demo` share (file I/O and choosing the topology; the page itself is report/html_report.*).
#pragma once

#include <string>

namespace cdnlab::cli {

struct ReportRequest {
  std::string jsonFile;      // what `cdnlab load --json` wrote
  std::string outFile;       // the HTML to write
  std::string topologyFile;  // empty: the run's own target when it is a readable topology, else the embedded default
};

// 0 written, 1 the JSON is missing or not a load result, 2 the topology file is invalid.
// Says what it wrote (or why not) on stdout / stderr.
int writeRunReport(const ReportRequest& request);

}  // namespace cdnlab::cli
