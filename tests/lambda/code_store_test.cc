// Zip extraction as untrusted input: files and executable bits land where they should; unsafe
// names, links, oversize content and non-zips are refused with the entry named; the same bytes
// stored twice reuse one directory.
#include "lambda/code_store.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace cdnlab::lambda {
namespace {

namespace fs = std::filesystem;

struct Entry {
  std::string name;
  std::string data;
  mode_t mode = 0100644;
};

class CodeStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("cdnlab-codestore-" + std::to_string(::getpid()) + "-" +
                                         ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  void TearDown() override { fs::remove_all(root_); }

  // Builds a zip with libzip (written to a file, read back as bytes).
  std::string makeZip(const std::vector<Entry>& entries) {
    std::string path = (root_ / "in.zip").string();
    int err = 0;
    zip_t* z = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
    EXPECT_NE(z, nullptr);
    for (const auto& e : entries) {
      zip_source_t* src = zip_source_buffer(z, e.data.data(), e.data.size(), 0);
      zip_int64_t idx = zip_file_add(z, e.name.c_str(), src, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE);
      EXPECT_GE(idx, 0) << e.name;
      zip_file_set_external_attributes(z, static_cast<zip_uint64_t>(idx), 0, ZIP_OPSYS_UNIX,
                                       static_cast<zip_uint32_t>(e.mode) << 16);
    }
    EXPECT_EQ(zip_close(z), 0);
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

  fs::path root_;
};

TEST_F(CodeStoreTest, ExtractsFilesDirectoriesAndExecBits) {
  CodeStore store(root_.string());
  auto zip = makeZip({{"index.mjs", "export const handler = 1;"}, {"lib/util.js", "x"}, {"bootstrap", "#!/bin/sh", 0100755}});
  auto ref = store.store("fn", zip);
  ASSERT_TRUE(ref.ok()) << ref.error().message;
  EXPECT_EQ(ref->size, static_cast<int64_t>(zip.size()));
  EXPECT_EQ(ref->sha256.size(), 44u);  // base64 of 32 bytes
  EXPECT_TRUE(fs::exists(fs::path(ref->dir) / "lib" / "util.js"));
  EXPECT_EQ(::access((fs::path(ref->dir) / "bootstrap").c_str(), X_OK), 0);
  EXPECT_NE(::access((fs::path(ref->dir) / "index.mjs").c_str(), X_OK), 0);
  auto again = store.store("fn", zip);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->dir, ref->dir);
}

TEST_F(CodeStoreTest, RefusesUnsafeNamesLinksAndGarbage) {
  ZipLimits limits;
  for (const char* bad : {"../escape.js", "a/../../b", "/abs.js"}) {
    auto r = extractZip(makeZip({{bad, "x"}}), (root_ / "out1").string(), limits);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_NE(r.error().message.find("unsafe path"), std::string::npos) << r.error().message;
    fs::remove_all(root_ / "out1");
  }
  auto link = extractZip(makeZip({{"evil", "/etc/passwd", 0120777}}), (root_ / "out2").string(), limits);
  ASSERT_FALSE(link.ok());
  EXPECT_NE(link.error().message.find("symbolic link"), std::string::npos);
  auto garbage = extractZip("definitely not a zip", (root_ / "out3").string(), limits);
  ASSERT_FALSE(garbage.ok());
  EXPECT_NE(garbage.error().message.find("not a valid zip"), std::string::npos);
  EXPECT_FALSE(fs::exists(root_.parent_path() / "escape.js"));
}

TEST_F(CodeStoreTest, UnzippedSizeIsCountedAsRead) {
  ZipLimits limits;
  limits.maxUnzippedBytes = 1000;
  auto r = extractZip(makeZip({{"big", std::string(5000, 'a')}}), (root_ / "out").string(), limits);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("exceeds"), std::string::npos);
}

}  // namespace
}  // namespace cdnlab::lambda
