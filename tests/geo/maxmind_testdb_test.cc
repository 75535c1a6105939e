// Our reader against MaxMind's own test databases (tests/data/maxmind; expected values from
// MaxMind's source data for them, which its tool turned into the .mmdb files).
#include <gtest/gtest.h>
#include <unistd.h>

#include "geo/geo_db.h"
#include "tests/geo/test_paths.h"

namespace cdnlab::geo {
namespace {

class MaxMindTestDb : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string path = testpaths::maxmindTestData() + "/GeoIP2-City-Test.mmdb";
    if (access(path.c_str(), R_OK) != 0) GTEST_SKIP() << "no MaxMind test data at " << path;
    auto db = GeoDb::open(path);
    ASSERT_TRUE(db) << db.error().message;
    db_ = std::move(*db);
  }
  GeoRecord find(const char* ip) {
    auto r = db_->lookup(ip);
    EXPECT_TRUE(r) << ip;
    if (!r || !r->has_value()) {
      ADD_FAILURE() << ip << " not found";
      return {};
    }
    return **r;
  }
  std::unique_ptr<GeoDb> db_;
};

TEST_F(MaxMindTestDb, Metadata) {
  EXPECT_EQ(db_->ipVersion(), 6);
  EXPECT_EQ(db_->databaseType(), "GeoIP2-City");
}

TEST_F(MaxMindTestDb, KnownIpv4Addresses) {
  auto london = find("81.2.69.160");
  EXPECT_EQ(london.city, "London");
  EXPECT_EQ(london.countryIso, "GB");
  ASSERT_TRUE(london.location);
  EXPECT_DOUBLE_EQ(london.location->lat, 51.5142);
  EXPECT_DOUBLE_EQ(london.location->lon, -0.0931);
  EXPECT_EQ(london.prefixLen, 27);
  EXPECT_TRUE(london.region.empty());  // not one of ours

  auto linkoping = find("89.160.20.113");
  EXPECT_EQ(linkoping.city, "Linköping");
  EXPECT_EQ(linkoping.countryIso, "SE");

  auto changchun = find("175.16.199.7");
  EXPECT_EQ(changchun.city, "Changchun");
  EXPECT_EQ(changchun.countryIso, "CN");
  EXPECT_DOUBLE_EQ(changchun.location->lat, 43.88);
  EXPECT_DOUBLE_EQ(changchun.location->lon, 125.3228);

  auto milton = find("216.160.83.57");
  EXPECT_EQ(milton.city, "Milton");
  EXPECT_DOUBLE_EQ(milton.location->lat, 47.2513);

  // A record with a country and a location but no city.
  auto bhutan = find("67.43.156.1");
  EXPECT_TRUE(bhutan.city.empty());
  EXPECT_EQ(bhutan.countryIso, "BT");
  ASSERT_TRUE(bhutan.location);
  EXPECT_DOUBLE_EQ(bhutan.location->lat, 27.5);
}

TEST_F(MaxMindTestDb, KnownIpv6Address) {
  auto sd = find("2001:480:10::1");
  EXPECT_EQ(sd.city, "San Diego");
  ASSERT_TRUE(sd.location);
  EXPECT_DOUBLE_EQ(sd.location->lat, 32.7203);
  EXPECT_DOUBLE_EQ(sd.location->lon, -117.1552);
}

TEST_F(MaxMindTestDb, UnknownAddressesAreNotFoundNotErrors) {
  for (const char* ip : {"1.1.1.1", "127.0.0.1", "127.10.0.5"}) {
    auto r = db_->lookup(ip);
    ASSERT_TRUE(r) << ip;
    EXPECT_FALSE(r->has_value()) << ip;
  }
}

}  // namespace
}  // namespace cdnlab::geo
