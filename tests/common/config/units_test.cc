// Byte sizes, durations and host:port addresses: the accepted forms and the rejected garbage.
#include "common/config/units.h"

#include <gtest/gtest.h>

namespace cdnlab::config {
namespace {

using namespace std::chrono_literals;

TEST(ByteSize, ParsesBinaryDecimalAndPlainForms) {
  EXPECT_EQ(parseByteSize("512MiB"), 512ull << 20);
  EXPECT_EQ(parseByteSize("64KiB"), 65536u);
  EXPECT_EQ(parseByteSize("1GB"), 1000000000u);
  EXPECT_EQ(parseByteSize("1GiB"), 1ull << 30);
  EXPECT_EQ(parseByteSize("2TiB"), 2ull << 40);
  EXPECT_EQ(parseByteSize("10kB"), 10000u);
  EXPECT_EQ(parseByteSize("10KB"), 10000u);
  EXPECT_EQ(parseByteSize("4096"), 4096u);
  EXPECT_EQ(parseByteSize("100B"), 100u);
  EXPECT_EQ(parseByteSize("1.5KiB"), 1536u);
  EXPECT_EQ(parseByteSize(" 8 MiB "), 8ull << 20);
  EXPECT_EQ(parseByteSize("0"), 0u);
}

TEST(ByteSize, RejectsGarbage) {
  for (const char* bad : {"", "MiB", "12XB", "-1", "1.2.3MiB", "1e3", "0.5B", "99999999999TiB", "ten", "1 M iB",
                          "1mib"}) {
    std::string why;
    EXPECT_FALSE(parseByteSize(bad, &why).has_value()) << bad;
    EXPECT_FALSE(why.empty()) << bad;
  }
}

TEST(Duration, ParsesUnits) {
  EXPECT_EQ(parseDuration("10s"), Duration(10s));
  EXPECT_EQ(parseDuration("250ms"), Duration(250ms));
  EXPECT_EQ(parseDuration("1h"), Duration(1h));
  EXPECT_EQ(parseDuration("1d"), Duration(24h));
  EXPECT_EQ(parseDuration("5m"), Duration(5min));
  EXPECT_EQ(parseDuration("100us"), Duration(100us));
  EXPECT_EQ(parseDuration("20ns"), Duration(20ns));
  EXPECT_EQ(parseDuration("1.5s"), Duration(1500ms));
  EXPECT_EQ(parseDuration("0"), Duration::zero());
}

TEST(Duration, RejectsGarbage) {
  for (const char* bad : {"", "10", "s", "10 sec", "-5s", "10x", "1e3ms", "1..5s", "999999999999d"}) {
    std::string why;
    EXPECT_FALSE(parseDuration(bad, &why).has_value()) << bad;
    EXPECT_FALSE(why.empty()) << bad;
  }
}

TEST(Format, RoundTripsSizesAndDurations) {
  EXPECT_EQ(formatByteSize(512ull << 20), "512MiB");
  EXPECT_EQ(formatByteSize(1500), "1500B");
  EXPECT_EQ(formatDuration(250ms), "250ms");
  EXPECT_EQ(formatDuration(2h), "2h");
  EXPECT_EQ(formatDuration(90s), "90s");
}

TEST(HostPortTest, ParsesIPv4NameAndIPv6) {
  EXPECT_EQ(parseHostPort("127.0.0.1:9000"), (HostPort{"127.0.0.1", 9000}));
  EXPECT_EQ(parseHostPort("localhost:0"), (HostPort{"localhost", 0}));
  EXPECT_EQ(parseHostPort("[::1]:8080"), (HostPort{"::1", 8080}));
  EXPECT_EQ(HostPort({"::1", 80}).str(), "[::1]:80");
  EXPECT_EQ(HostPort({"127.0.0.1", 80}).str(), "127.0.0.1:80");
}

TEST(HostPortTest, RejectsGarbage) {
  for (const char* bad : {"", "127.0.0.1", ":80", "host:", "host:65536", "host:-1", "host:8x", "::1:80", "[::1]80",
                          "ho st:80"}) {
    std::string why;
    EXPECT_FALSE(parseHostPort(bad, &why).has_value()) << bad;
    EXPECT_FALSE(why.empty()) << bad;
  }
}

}  // namespace
}  // namespace cdnlab::config
