// Minimal leveled logging to stderr, one line per call, thread-safe (one write(2) per line).
// The level is global and set once at startup (e.g. from --log-level or CDNLAB_LOG).
#pragma once

#include <string_view>

namespace cdnlab {

enum class LogLevel { Debug = 0, Info = 1, Warn = 2, Error = 3, Off = 4 };

void setLogLevel(LogLevel level);
LogLevel logLevel();
// "debug", "info", "warn", "error", "off"; returns false (level unchanged) for anything else.
bool setLogLevel(std::string_view name);
bool logEnabled(LogLevel level);
// printf-style; prefix "<UTC time> <LEVEL> ".
void logf(LogLevel level, const char* fmt, ...) __attribute__((format(printf, 2, 3)));

}  // namespace cdnlab

#define CDNLAB_LOG(level, ...)                                      \
  do {                                                              \
    if (::cdnlab::logEnabled(level)) ::cdnlab::logf(level, __VA_ARGS__); \
  } while (0)
#define LOG_DEBUG(...) CDNLAB_LOG(::cdnlab::LogLevel::Debug, __VA_ARGS__)
#define LOG_INFO(...) CDNLAB_LOG(::cdnlab::LogLevel::Info, __VA_ARGS__)
#define LOG_WARN(...) CDNLAB_LOG(::cdnlab::LogLevel::Warn, __VA_ARGS__)
#define LOG_ERROR(...) CDNLAB_LOG(::cdnlab::LogLevel::Error, __VA_ARGS__)
