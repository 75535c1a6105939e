// Atomic replacement of a state file: the new contents land whole, an old file is replaced, and
// a place that cannot be written gives an error naming it instead of a half-written file.
#include "common/atomic_file.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <unistd.h>

namespace cdnlab {
namespace {

std::string readAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(AtomicFile, WritesAndReplacesWhole) {
  auto dir = std::filesystem::temp_directory_path() / ("cdnlab-atomic-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::string path = (dir / "state.json").string();
  ASSERT_TRUE(writeFileAtomically(path, "{\"v\":1}").ok());
  EXPECT_EQ(readAll(path), "{\"v\":1}");
  std::string big(1 << 20, 'x');
  ASSERT_TRUE(writeFileAtomically(path, big).ok());
  EXPECT_EQ(readAll(path), big);
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));  // renamed, not left behind
  std::filesystem::remove_all(dir);
}

TEST(AtomicFile, UnwritablePlaceIsAnErrorNamingIt) {
  auto r = writeFileAtomically("/nonexistent-cdnlab-dir/state.json", "x");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("/nonexistent-cdnlab-dir/state.json.tmp"), std::string::npos);
}

}  // namespace
}  // namespace cdnlab
