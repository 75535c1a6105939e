// Function code on disk: zip checking and extraction with libzip (see code_store.h).
#include "lambda/code_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <vector>

#include "lambda/codec.h"

namespace cdnlab::lambda {

namespace fs = std::filesystem;

namespace {

struct ZipCloser {
  void operator()(zip_t* z) const { zip_discard(z); }
};
struct ZipFileCloser {
  void operator()(zip_file_t* f) const { zip_fclose(f); }
};

// An entry name is safe when it is relative and no component is "." or "..".
bool safeEntryName(std::string_view name) {
  if (name.empty() || name[0] == '/' || name.find('\\') != std::string_view::npos ||
      name.find('\0') != std::string_view::npos)
    return false;
  size_t start = 0;
  while (start <= name.size()) {
    size_t slash = name.find('/', start);
    std::string_view part = name.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    if (part == ".." || part == ".") return false;
    if (part.empty() && slash != std::string_view::npos && slash != name.size() - 1) return false;  // "a//b"
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return true;
}

bool writeAll(int fd, const char* p, size_t n) {
  while (n > 0) {
    ssize_t w = ::write(fd, p, n);
    if (w < 0) return false;
    p += w;
    n -= static_cast<size_t>(w);
  }
  return true;
}

}  // namespace

Result<bool> extractZip(std::string_view bytes, const std::string& dir, const ZipLimits& limits) {
  zip_error_t zerr;
  zip_error_init(&zerr);
  zip_source_t* src = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &zerr);
  if (!src) return Error{1, "could not read the zip"};
  std::unique_ptr<zip_t, ZipCloser> z(zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &zerr));
  if (!z) {
    zip_source_free(src);
    std::string why = zip_error_strerror(&zerr);
    zip_error_fini(&zerr);
    return Error{1, "not a valid zip archive (" + why + ")"};
  }
  zip_int64_t n = zip_get_num_entries(z.get(), 0);
  if (n < 0 || static_cast<uint64_t>(n) > limits.maxEntries)
    return Error{1, "the zip has more than " + std::to_string(limits.maxEntries) + " entries"};
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Error{2, "cannot create " + dir + ": " + ec.message()};
  uint64_t total = 0;
  std::vector<char> buf(64 * 1024);
  for (zip_int64_t i = 0; i < n; ++i) {
    const char* raw = zip_get_name(z.get(), static_cast<zip_uint64_t>(i), ZIP_FL_ENC_RAW);
    if (!raw) return Error{1, "entry " + std::to_string(i) + " has no name"};
    std::string name = raw;
    if (!safeEntryName(name)) return Error{1, "entry '" + name + "' has an unsafe path"};
    zip_uint8_t opsys = 0;
    zip_uint32_t attr = 0;
    zip_file_get_external_attributes(z.get(), static_cast<zip_uint64_t>(i), 0, &opsys, &attr);
    mode_t mode = opsys == ZIP_OPSYS_UNIX ? static_cast<mode_t>(attr >> 16) : 0;
    if (opsys == ZIP_OPSYS_UNIX && S_ISLNK(mode)) return Error{1, "entry '" + name + "' is a symbolic link"};
    fs::path target = fs::path(dir) / name;
    if (name.back() == '/') {
      fs::create_directories(target, ec);
      if (ec) return Error{2, "cannot create " + target.string() + ": " + ec.message()};
      continue;
    }
    fs::create_directories(target.parent_path(), ec);
    if (ec) return Error{1, "entry '" + name + "': cannot create its directory"};
    std::unique_ptr<zip_file_t, ZipFileCloser> zf(zip_fopen_index(z.get(), static_cast<zip_uint64_t>(i), 0));
    if (!zf) return Error{1, "entry '" + name + "' cannot be read (" + zip_strerror(z.get()) + ")"};
    // Executable bits come from the zip (a `provided` bootstrap must be executable); owner may always read/write.
    mode_t perms = static_cast<mode_t>((mode & 0755) | 0600);
    int fd = ::open(target.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, perms);
    if (fd < 0) return Error{1, "entry '" + name + "' cannot be written (duplicate name?)"};
    while (true) {
      zip_int64_t got = zip_fread(zf.get(), buf.data(), buf.size());
      if (got < 0) {
        ::close(fd);
        return Error{1, "entry '" + name + "' is corrupt"};
      }
      if (got == 0) break;
      total += static_cast<uint64_t>(got);
      if (total > limits.maxUnzippedBytes) {
        ::close(fd);
        return Error{1, "unzipped size exceeds " + std::to_string(limits.maxUnzippedBytes) + " bytes"};
      }
      if (!writeAll(fd, buf.data(), static_cast<size_t>(got))) {
        ::close(fd);
        return Error{2, "write failed for " + target.string()};
      }
    }
    ::fchmod(fd, perms);  // the umask may have dropped bits
    ::close(fd);
  }
  return true;
}

Result<CodeRef> CodeStore::store(const std::string& function, std::string_view zip) {
  std::string digest = sha256(zip);
  std::string hex = hexEncode(digest);
  fs::path base = fs::path(root_) / "functions" / function / "code";
  CodeRef ref;
  ref.sha256 = base64Encode(digest);
  ref.size = static_cast<int64_t>(zip.size());
  ref.zipPath = (base / (hex + ".zip")).string();
  ref.dir = (base / hex).string();
  std::error_code ec;
  if (fs::exists(ref.dir, ec) && fs::exists(ref.zipPath, ec)) return ref;
  std::string tmp = (base / (hex + ".tmp")).string();
  fs::remove_all(tmp, ec);
  auto extracted = extractZip(zip, tmp, limits_);
  if (!extracted) {
    fs::remove_all(tmp, ec);
    return extracted.error();
  }
  int fd = ::open(ref.zipPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0 || !writeAll(fd, zip.data(), zip.size())) {
    if (fd >= 0) ::close(fd);
    fs::remove_all(tmp, ec);
    return Error{2, "cannot write " + ref.zipPath};
  }
  ::close(fd);
  fs::remove_all(ref.dir, ec);
  fs::rename(tmp, ref.dir, ec);
  if (ec) return Error{2, "cannot move code into " + ref.dir + ": " + ec.message()};
  return ref;
}

void CodeStore::removeFunction(const std::string& function) {
  std::error_code ec;
  fs::remove_all(fs::path(root_) / "functions" / function / "code", ec);
}

Result<CodeRef> CodeStore::directory(const std::string& path) const {
  if (path.empty() || path[0] != '/') return Error{1, "S3Key must be the absolute path of a directory: " + path};
  std::error_code ec;
  const fs::path dir = fs::canonical(path, ec);
  if (ec || !fs::is_directory(dir, ec)) return Error{1, "S3Key is not a directory this service can read: " + path};
  // The files in name order, each as "name\0size\0sha256(content)": the digest changes when a file is
  // added, removed, renamed or edited.
  std::vector<fs::path> files;
  uint64_t total = 0;
  for (auto it = fs::recursive_directory_iterator(dir, fs::directory_options::skip_permission_denied, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_regular_file(ec) || it->is_symlink(ec)) continue;
    files.push_back(it->path());
    if (files.size() > limits_.maxEntries) return Error{1, path + " holds more than " + std::to_string(limits_.maxEntries) + " files"};
  }
  if (ec) return Error{1, "cannot list " + path + ": " + ec.message()};
  std::sort(files.begin(), files.end());
  std::string manifest;
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    const std::string content = bytes.str();
    total += content.size();
    if (total > limits_.maxUnzippedBytes) return Error{1, path + " holds more than " + std::to_string(limits_.maxUnzippedBytes) + " bytes"};
    manifest += fs::relative(f, dir).string();
    manifest += '\0';
    manifest += std::to_string(content.size());
    manifest += '\0';
    manifest += sha256(content);
  }
  CodeRef ref;
  ref.sha256 = base64Encode(sha256(manifest));
  ref.size = static_cast<int64_t>(total);
  ref.dir = dir.string();
  ref.localDirectory = true;
  return ref;
}

}  // namespace cdnlab::lambda
