#include "geo/mmdb_writer.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>

#include <cstdio>
#include <fstream>

#include "geo/city_record.h"
#include "geo/geo_db.h"
#include "tests/geo/cities.h"
#include "tests/geo/test_paths.h"

namespace cdnlab::geo {
namespace {
using namespace testcities;

IpNetwork net(const char* cidr) {
  auto n = parseNetwork(cidr);
  EXPECT_TRUE(n) << cidr;
  return n.value_or(IpNetwork{});
}

std::string hex(const std::string& s) {
  std::string out;
  char b[4];
  for (unsigned char c : s) snprintf(b, sizeof b, "%02x", c), out += b;
  return out;
}

std::string encode(const MmdbValue& v) {
  std::string out;
  v.encode(out);
  return out;
}

// Byte patterns from the spec's examples and its control-byte rules.
TEST(MmdbValue, Encodings) {
  EXPECT_EQ(hex(encode(MmdbValue::utf8("en"))), "42656e");           // type 2 << 5 | size 2
  EXPECT_EQ(hex(encode(MmdbValue::uint16(0))), "a0");                // no payload bytes for 0
  EXPECT_EQ(hex(encode(MmdbValue::uint16(300))), "a2012c");
  EXPECT_EQ(hex(encode(MmdbValue::uint32(1u << 24))), "c401000000");
  EXPECT_EQ(hex(encode(MmdbValue::uint64(1))), "010201");            // extended: 0, then 9 - 7
  EXPECT_EQ(hex(encode(MmdbValue::boolean(true))), "0107");          // extended 14 - 7, size = value
  EXPECT_EQ(hex(encode(MmdbValue::dbl(1.0))), "683ff0000000000000");
  EXPECT_EQ(hex(encode(MmdbValue::map().set("a", MmdbValue::uint16(1)))), "e14161a101");
  EXPECT_EQ(hex(encode(MmdbValue::array().push(MmdbValue::uint16(1)))), "0104a101");
  // Sizes 29.. take 1, 2 or 3 extra bytes holding size - 29, - 285, - 65821.
  EXPECT_EQ(hex(encode(MmdbValue::utf8(std::string(29, 'x')))).substr(0, 4), "5d00");
  EXPECT_EQ(hex(encode(MmdbValue::utf8(std::string(285, 'x')))).substr(0, 6), "5e0000");
  EXPECT_EQ(hex(encode(MmdbValue::utf8(std::string(65821, 'x')))).substr(0, 8), "5f000000");
  EXPECT_EQ(hex(encode(MmdbValue::utf8(std::string(70000, 'x')))).substr(0, 8), "5f001053");
}

TEST(IpNetwork, ParseAndOverlap) {
  EXPECT_EQ(net("127.10.0.0/16").str(), "127.10.0.0/16");
  EXPECT_EQ(net("2001:db8::/32").str(), "2001:db8::/32");
  EXPECT_EQ(net("10.0.0.1").prefix, 32);
  std::string why;
  EXPECT_FALSE(parseNetwork("127.10.0.1/16", &why));
  EXPECT_NE(why.find("host bits"), std::string::npos);
  EXPECT_FALSE(parseNetwork("127.10.0.0/33", &why));
  EXPECT_FALSE(parseNetwork("127.10.0/16", &why));
  EXPECT_FALSE(parseNetwork("127.10.0.0/x", &why));
  EXPECT_TRUE(net("127.10.0.0/16").overlaps(net("127.10.3.0/24")));
  EXPECT_TRUE(net("127.10.3.0/24").overlaps(net("127.10.0.0/16")));
  EXPECT_FALSE(net("127.10.0.0/16").overlaps(net("127.11.0.0/16")));
  EXPECT_TRUE(net("127.10.0.0/16").within(net("127.0.0.0/8")));
  EXPECT_FALSE(net("128.10.0.0/16").within(net("127.0.0.0/8")));
  EXPECT_FALSE(net("126.0.0.0/7").within(net("127.0.0.0/8")));
}

class MmdbRoundTrip : public ::testing::TestWithParam<std::pair<int, int>> {};  // ip version, record size

TEST_P(MmdbRoundTrip, WriteThenReadWithLibmaxminddb) {
  const auto [ipVersion, recordSize] = GetParam();
  MmdbWriter w({.ipVersion = ipVersion, .description = {{"en", "round trip"}}, .recordSize = recordSize});
  ASSERT_TRUE(w.insert(net("127.10.0.0/16"), cityRecord("Berlin", "DE", kBerlin, "berlin")));
  ASSERT_TRUE(w.insert(net("127.11.0.0/16"), cityRecord("Tokyo", "JP", kTokyo, "tokyo")));
  // A smaller network inserted later carves a hole in a larger one.
  ASSERT_TRUE(w.insert(net("127.11.7.0/24"), cityRecord("Sydney", "AU", kSydney, "sydney")));
  ASSERT_TRUE(w.insert(net("81.2.69.160/27"), cityRecord("London", "GB", kLondon, "london")));
  auto v6 = w.insert(net("2001:db8::/32"), cityRecord("Paris", "FR", kParis, "paris"));
  EXPECT_EQ(v6.ok(), ipVersion == 6);

  const std::string path = testpaths::tempPath("rt.mmdb");
  ASSERT_TRUE(w.writeFile(path));
  auto db = GeoDb::open(path);
  ASSERT_TRUE(db) << db.error().message;
  EXPECT_EQ((*db)->ipVersion(), ipVersion);
  EXPECT_EQ((*db)->databaseType(), "cdnlab-City");

  auto expectCity = [&](const char* ip, const char* city, const char* region, int prefix) {
    auto r = (*db)->lookup(ip);
    ASSERT_TRUE(r) << ip << ": " << r.error().message;
    ASSERT_TRUE(r->has_value()) << ip << " not found";
    EXPECT_EQ((*r)->city, city) << ip;
    EXPECT_EQ((*r)->region, region) << ip;
    EXPECT_EQ((*r)->prefixLen, prefix) << ip;
    ASSERT_TRUE((*r)->location);
  };
  auto expectNone = [&](const char* ip) {
    auto r = (*db)->lookup(ip);
    ASSERT_TRUE(r) << ip << ": " << r.error().message;
    EXPECT_FALSE(r->has_value()) << ip << " unexpectedly found: " << (*r)->city;
  };
  expectCity("127.10.0.0", "Berlin", "berlin", 16);  // first and last address of the block
  expectCity("127.10.0.5", "Berlin", "berlin", 16);
  expectCity("127.10.255.255", "Berlin", "berlin", 16);
  expectCity("127.11.0.1", "Tokyo", "tokyo", 22);  // 127.11.0.0/22, left of the carved /24
  expectCity("127.11.6.255", "Tokyo", "tokyo", 24);  // the split leaves Tokyo in the siblings
  expectCity("127.11.7.9", "Sydney", "sydney", 24);
  expectCity("127.11.8.0", "Tokyo", "tokyo", 21);
  expectCity("81.2.69.170", "London", "london", 27);
  expectNone("127.9.255.255");  // just below and above the blocks
  expectNone("127.12.0.0");
  expectNone("127.0.0.1");
  expectNone("81.2.69.159");
  if (ipVersion == 6) {
    expectCity("2001:db8:1::1", "Paris", "paris", 32);
    expectNone("2001:db9::1");
  }

  auto r = (*db)->lookup("127.10.0.5");
  EXPECT_EQ((*r)->countryIso, "DE");
  EXPECT_DOUBLE_EQ((*r)->location->lat, kBerlin.lat);
  EXPECT_DOUBLE_EQ((*r)->location->lon, kBerlin.lon);

  // By sockaddr, as the router does with a connection's peer.
  sockaddr_in sin{};
  sin.sin_family = AF_INET;
  inet_pton(AF_INET, "127.11.7.200", &sin.sin_addr);
  auto bySock = (*db)->lookup(reinterpret_cast<const sockaddr*>(&sin));
  ASSERT_TRUE(bySock && bySock->has_value());
  EXPECT_EQ((*bySock)->city, "Sydney");

  EXPECT_FALSE((*db)->lookup("not-an-ip"));
  std::remove(path.c_str());
}

INSTANTIATE_TEST_SUITE_P(Layouts, MmdbRoundTrip,
                         ::testing::Values(std::pair{6, 0}, std::pair{4, 0}, std::pair{6, 28}, std::pair{6, 32},
                                           std::pair{4, 28}, std::pair{4, 32}));

TEST(MmdbWriter, PicksWiderRecordsForLargeDataSections) {
  // A data section above 2^24 bytes needs 28-bit records; libmaxminddb must still find it.
  MmdbWriter w;
  ASSERT_TRUE(w.insert(net("127.10.0.0/16"), MmdbValue::map().set("pad", MmdbValue::utf8(std::string(1 << 24, 'x')))));
  ASSERT_TRUE(w.insert(net("127.20.0.0/16"), cityRecord("Berlin", "DE", kBerlin, "berlin")));
  const std::string path = testpaths::tempPath("wide.mmdb");
  ASSERT_TRUE(w.writeFile(path));
  auto db = GeoDb::open(path);
  ASSERT_TRUE(db) << db.error().message;
  auto r = (*db)->lookup("127.20.1.1");
  ASSERT_TRUE(r && r->has_value());
  EXPECT_EQ((*r)->city, "Berlin");
  std::remove(path.c_str());
}

TEST(MmdbWriter, ReadableByMmdblookup) {
  if (access("/usr/bin/mmdblookup", X_OK) != 0) GTEST_SKIP() << "mmdb-bin not installed";
  MmdbWriter w;
  ASSERT_TRUE(w.insert(net("127.10.0.0/16"), cityRecord("São Paulo", "BR", kSaoPaulo, "sao-paulo")));
  const std::string path = testpaths::tempPath("cli.mmdb");
  ASSERT_TRUE(w.writeFile(path));
  const std::string cmd = "/usr/bin/mmdblookup --file " + path + " --ip 127.10.0.5 city names en 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  std::string out;
  char buf[256];
  while (fgets(buf, sizeof buf, p)) out += buf;
  EXPECT_EQ(pclose(p), 0) << out;
  EXPECT_NE(out.find("\"São Paulo\" <utf8_string>"), std::string::npos) << out;
  std::remove(path.c_str());
}

TEST(GeoDb, OpenErrors) {
  auto missing = GeoDb::open("/nonexistent/geo.mmdb");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("/nonexistent/geo.mmdb"), std::string::npos);
  const std::string path = testpaths::tempPath("junk.mmdb");
  std::ofstream(path) << "this is not a MaxMind DB";
  EXPECT_FALSE(GeoDb::open(path));
  std::remove(path.c_str());
}

}  // namespace
}  // namespace cdnlab::geo
