// LogStore: what CloudWatch Logs is for a real function, kept by the service: per function, the
// lines of every environment's log stream (START/END/REPORT and the function's own output) in
// arrival order with a sequence number, so `cdnlab lambda logs NAME --follow` can ask for "what
// came after N". Memory is bounded per function (oldest lines dropped); with a data directory
// every line is also appended to <data>/logs/<function>.log.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace cdnlab::lambda {

struct LogLine {
  uint64_t seq = 0;
  int64_t timeMs = 0;
  std::string stream;
  std::string text;
};

class LogStore {
 public:
  // dir empty: memory only.
  explicit LogStore(std::string dir, size_t maxLinesPerFunction = 10000)
      : dir_(std::move(dir)), maxLines_(maxLinesPerFunction) {}
  void append(const std::string& function, const std::string& stream, std::string_view text, int64_t timeMs);
  // Lines of `function` with seq > after, at most `max`.
  std::vector<LogLine> since(const std::string& function, uint64_t after, size_t max) const;
  void dropFunction(const std::string& function);

 private:
  std::string dir_;
  size_t maxLines_;
  uint64_t nextSeq_ = 1;
  std::map<std::string, std::deque<LogLine>> lines_;
};

}  // namespace cdnlab::lambda
