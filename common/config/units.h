// Parsing of the unit-bearing scalars that configs use: byte sizes ("512MiB"), durations ("250ms")
// and host:port addresses. Pure functions over strings, so the config reader, the CLI flags and
// the tests share one definition of each format.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cdnlab::config {

using Duration = std::chrono::nanoseconds;

// "512MiB", "64KiB", "1GB", "1.5MiB", "100B", "4096" (plain integer = bytes). Binary units
// (KiB, MiB, GiB, TiB) are powers of 1024, decimal units (kB/KB, MB, GB, TB) powers of 1000,
// as in IEC 80000-13. The value must be >= 0, a whole number of bytes and fit in 64 bits.
// Returns nullopt on anything else; `why` (if given) says what was wrong.
std::optional<std::uint64_t> parseByteSize(std::string_view text, std::string* why = nullptr);

// "10s", "250ms", "1h", "1d", "1.5s", "100us", "20ns", "5m"; "0" alone is allowed. A unit is
// required otherwise: a bare "10" is ambiguous (seconds? milliseconds?), so it is rejected.
std::optional<Duration> parseDuration(std::string_view text, std::string* why = nullptr);

// Human forms for messages and docs: 1048576 -> "1MiB", 1500 -> "1500B"; 250ms -> "250ms".
std::string formatByteSize(std::uint64_t bytes);
std::string formatDuration(Duration d);

struct HostPort {
  std::string host;  // IPv4 literal, hostname, or IPv6 literal without brackets
  std::uint16_t port = 0;
  std::string str() const;  // brackets an IPv6 host again: "[::1]:80"
  bool operator==(const HostPort&) const = default;
};

// "127.0.0.1:9000", "localhost:0", "[::1]:8080". The port is required (0 = ephemeral).
std::optional<HostPort> parseHostPort(std::string_view text, std::string* why = nullptr);

}  // namespace cdnlab::config
