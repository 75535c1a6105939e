// UTC times as text (see utc_time.h).
#include "gateway/utc_time.h"

#include <ctime>

namespace cdnlab::gateway {

std::string formatUtc(int64_t epochMs, const char* format) {
  time_t t = static_cast<time_t>(epochMs / 1000);
  struct tm tm;
  gmtime_r(&t, &tm);
  char buf[64];
  size_t n = std::strftime(buf, sizeof buf, format, &tm);
  return std::string(buf, n);
}

}  // namespace cdnlab::gateway
