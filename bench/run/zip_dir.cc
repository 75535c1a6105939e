// Zipping a code directory in memory (see zip_dir.h).
#include "bench/run/zip_dir.h"

#include <sys/stat.h>
#include <zip.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace cdnlab::bench::run {
namespace {

namespace fs = std::filesystem;

struct Entry {
  std::string name;
  std::string path;
};

std::string readAll(const std::string& path, bool& ok) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  ok = static_cast<bool>(in) || in.eof();
  return s.str();
}

std::string zipError(zip_error_t* e) {
  std::string m = zip_error_strerror(e);
  zip_error_fini(e);
  return m;
}

}  // namespace

Result<std::string> zipDirectory(const std::string& dir, const std::vector<std::pair<std::string, std::string>>& extra) {
  std::vector<Entry> entries;
  if (!dir.empty()) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) return Error{1, dir + ": not a directory"};
    for (auto it = fs::recursive_directory_iterator(dir, fs::directory_options::none, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (!it->is_regular_file(ec) || it->is_symlink(ec)) continue;
      entries.push_back({fs::relative(it->path(), dir, ec).generic_string(), it->path().string()});
    }
    if (ec) return Error{1, dir + ": " + ec.message()};
  }
  // Sorted: the same directory gives the same zip (and the same CodeSha256).
  std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) { return a.name < b.name; });
  for (const auto& [name, path] : extra) entries.push_back({name, path});

  zip_error_t err;
  zip_error_init(&err);
  zip_source_t* out = zip_source_buffer_create(nullptr, 0, 0, &err);
  if (!out) return Error{1, "zip: " + zipError(&err)};
  zip_t* z = zip_open_from_source(out, ZIP_TRUNCATE, &err);
  if (!z) {
    zip_source_free(out);
    return Error{1, "zip: " + zipError(&err)};
  }
  zip_source_keep(out);  // read back after zip_close
  std::vector<std::string> contents;  // alive until zip_close reads them
  contents.reserve(entries.size());
  for (const auto& e : entries) {
    bool ok = false;
    contents.push_back(readAll(e.path, ok));
    if (!ok) {
      zip_discard(z);
      zip_source_free(out);
      return Error{1, e.path + ": cannot read"};
    }
    zip_source_t* src = zip_source_buffer(z, contents.back().data(), contents.back().size(), 0);
    zip_int64_t idx = src ? zip_file_add(z, e.name.c_str(), src, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE) : -1;
    if (idx < 0) {
      if (src) zip_source_free(src);
      std::string m = zip_strerror(z);
      zip_discard(z);
      zip_source_free(out);
      return Error{1, "zip " + e.name + ": " + m};
    }
    // Fastest deflate: the archive only crosses the loopback once, and `up` time matters more.
    zip_set_file_compression(z, static_cast<zip_uint64_t>(idx), ZIP_CM_DEFLATE, 1);
    struct stat st{};
    const mode_t mode = ::stat(e.path.c_str(), &st) == 0 ? st.st_mode : (S_IFREG | 0644);
    zip_file_set_external_attributes(z, static_cast<zip_uint64_t>(idx), 0, ZIP_OPSYS_UNIX,
                                     static_cast<zip_uint32_t>(mode) << 16);
    // A fixed time: the same files give the same bytes.
    zip_file_set_mtime(z, static_cast<zip_uint64_t>(idx), 315532800, 0);
  }
  if (zip_close(z) < 0) {
    std::string m = zip_strerror(z);
    zip_discard(z);
    zip_source_free(out);
    return Error{1, "zip: " + m};
  }
  std::string bytes;
  zip_stat_t st;
  if (zip_source_stat(out, &st) == 0 && zip_source_open(out) == 0) {
    bytes.resize(st.size);
    zip_int64_t n = zip_source_read(out, bytes.data(), st.size);
    zip_source_close(out);
    if (n < 0 || static_cast<zip_uint64_t>(n) != st.size) bytes.clear();
  }
  zip_source_free(out);
  if (bytes.empty()) return Error{1, "zip: cannot read the archive back"};
  return bytes;
}

}  // namespace cdnlab::bench::run
