// Wall-clock times as text in UTC, in the formats the gateway's answers and events use
// (ISO 8601 dates, the requestContext's "12/Mar/2020:19:03:58 +0000", usage-plan days).
#pragma once

#include <cstdint>
#include <string>

namespace cdnlab::gateway {

// strftime(`format`) of the UTC time epochMs (milliseconds are dropped).
std::string formatUtc(int64_t epochMs, const char* format);

}  // namespace cdnlab::gateway
