// Function log streams in memory and on disk (see log_store.h).
#include "lambda/log_store.h"

#include <fcntl.h>
#include <unistd.h>

#include <filesystem>

#include "lambda/codec.h"

namespace cdnlab::lambda {

void LogStore::append(const std::string& function, const std::string& stream, std::string_view text, int64_t timeMs) {
  auto& q = lines_[function];
  q.push_back(LogLine{nextSeq_++, timeMs, stream, std::string(text)});
  while (q.size() > maxLines_) q.pop_front();
  if (dir_.empty()) return;
  std::string path = dir_ + "/" + function + ".log";
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) {
    std::error_code ec;
    std::filesystem::create_directories(dir_, ec);
    fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) return;
  }
  std::string rec = isoTimestamp(timeMs) + " " + stream + " " + std::string(text) + "\n";
  ssize_t w = ::write(fd, rec.data(), rec.size());
  (void)w;  // logging is best effort: a full disk must not fail invocations
  ::close(fd);
}

std::vector<LogLine> LogStore::since(const std::string& function, uint64_t after, size_t max) const {
  std::vector<LogLine> out;
  auto it = lines_.find(function);
  if (it == lines_.end()) return out;
  for (const auto& l : it->second) {
    if (l.seq <= after) continue;
    out.push_back(l);
    if (out.size() >= max) break;
  }
  return out;
}

void LogStore::dropFunction(const std::string& function) { lines_.erase(function); }

}  // namespace cdnlab::lambda
