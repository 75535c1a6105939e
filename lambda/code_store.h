// CodeStore: where function code lives on disk. A ZipFile upload is checked (every entry name,
// sizes as actually read, no links) and extracted once per content hash to
// <root>/functions/<name>/code/<sha256 hex>/ next to the zip itself, which GetFunction serves back.
// Zips are untrusted input: a bad one is an error naming the entry, never a crash or a write
// outside the directory.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"
#include "lambda/function_model.h"

namespace cdnlab::lambda {

// The bucket name that marks a local directory as the code (LocalStack uses the same).
inline constexpr const char* kHotReloadBucket = "hot-reload";

struct ZipLimits {
  uint64_t maxUnzippedBytes = 262144000;  // AWS: 250 MB unzipped
  uint64_t maxEntries = 20000;
};

class CodeStore {
 public:
  CodeStore(std::string root, ZipLimits limits = {}) : root_(std::move(root)), limits_(limits) {}
  // Stores and extracts `zip` for `function`; the same bytes again reuse the directory.
  // Error::message says what was wrong with the zip.
  Result<CodeRef> store(const std::string& function, std::string_view zip);
  // Code that stays in a local directory (LocalStack's hot-reload convention: Code.S3Bucket
  // "hot-reload", S3Key the directory's absolute path). Nothing is copied: each new execution
  // environment starts from the directory as it is then, so edits are picked up by the next cold
  // start. CodeSha256 / CodeSize describe the files when this is called (names and contents, no
  // links followed). Errors name what is wrong with the path.
  Result<CodeRef> directory(const std::string& path) const;
  // Removes every stored code of `function`.
  void removeFunction(const std::string& function);
  const std::string& root() const { return root_; }

 private:
  std::string root_;
  ZipLimits limits_;
};

// Extracts `zip` into the (new, empty) directory `dir`. Exposed for tests.
Result<bool> extractZip(std::string_view zip, const std::string& dir, const ZipLimits& limits);

}  // namespace cdnlab::lambda
