// Where the geo tests find their test data and scratch space.
#pragma once

#include <unistd.h>

#include <cstdlib>
#include <string>

namespace cdnlab::geo::testpaths {

// MaxMind's own test databases (tests/data/maxmind, with their source and license;
// CDNLAB_GEO_TESTDATA overrides).
inline std::string maxmindTestData() {
  if (const char* env = std::getenv("CDNLAB_GEO_TESTDATA")) return env;
  return std::string(CDNLAB_SOURCE_DIR) + "/tests/data/maxmind";
}

inline std::string repoRoot() {
  return CDNLAB_SOURCE_DIR;  // the repository, from CMake (__FILE__ may be relative)
}

// A fresh file name in the temp dir, unique per process and call.
inline std::string tempPath(const std::string& stem) {
  static int counter = 0;
  const char* dir = std::getenv("TMPDIR");
  return std::string(dir ? dir : "/tmp") + "/cdnlab-geo-" + std::to_string(getpid()) + "-" +
         std::to_string(++counter) + "-" + stem;
}

}  // namespace cdnlab::geo::testpaths
