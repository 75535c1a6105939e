// Leveled logging to stderr (see log.h).
#include "common/log.h"

#include <unistd.h>

#include <atomic>
#include <cstdarg>
#include <cstdio>
#include <ctime>

namespace cdnlab {
namespace {
std::atomic<int> gLevel{static_cast<int>(LogLevel::Info)};
const char* const kNames[] = {"DEBUG", "INFO", "WARN", "ERROR", "OFF"};
}  // namespace

void setLogLevel(LogLevel level) { gLevel.store(static_cast<int>(level)); }
LogLevel logLevel() { return static_cast<LogLevel>(gLevel.load()); }
bool logEnabled(LogLevel level) { return static_cast<int>(level) >= gLevel.load(std::memory_order_relaxed); }

bool setLogLevel(std::string_view name) {
  static const std::string_view names[] = {"debug", "info", "warn", "error", "off"};
  for (int i = 0; i < 5; ++i) {
    if (name == names[i]) {
      setLogLevel(static_cast<LogLevel>(i));
      return true;
    }
  }
  return false;
}

void logf(LogLevel level, const char* fmt, ...) {
  char line[2048];
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  tm t;
  gmtime_r(&ts.tv_sec, &t);
  int n = snprintf(line, sizeof line, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ %s ", t.tm_year + 1900, t.tm_mon + 1,
                   t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec, ts.tv_nsec / 1000000, kNames[static_cast<int>(level)]);
  va_list ap;
  va_start(ap, fmt);
  int m = vsnprintf(line + n, sizeof line - n - 1, fmt, ap);
  va_end(ap);
  size_t len = n + (m < 0 ? 0 : static_cast<size_t>(m));
  if (len > sizeof line - 2) len = sizeof line - 2;
  line[len++] = '\n';
  // One write(2) per line so lines from different threads do not interleave.
  ssize_t w = write(STDERR_FILENO, line, len);
  (void)w;
}

}  // namespace cdnlab
