// parseNumber: the from_chars reading the REST API paths use instead of std::sto* (which throw).
#include "gateway/rest/decimal.h"

#include <gtest/gtest.h>

#include <cstdint>

namespace cdnlab::gateway {
namespace {

TEST(RestDecimal, WholeTextIsTheNumber) {
  EXPECT_EQ(parseNumber<int64_t>("300"), 300);
  EXPECT_EQ(parseNumber<int64_t>("+7"), 7);
  EXPECT_EQ(parseNumber<int64_t>("-7"), -7);
  EXPECT_EQ(parseNumber<double>("0.5"), 0.5);
  EXPECT_EQ(parseNumber<double>("1e3"), 1000.0);
  for (const char* bad : {"", "+", "+-1", " 1", "1 ", "12a", "0x10", "--1", "1.5"})
    EXPECT_FALSE(parseNumber<int64_t>(bad).has_value()) << bad;
}

TEST(RestDecimal, OutOfRangeAndNonFiniteAreRefusedNotThrown) {
  EXPECT_FALSE(parseNumber<int>("99999999999").has_value());
  EXPECT_FALSE(parseNumber<int64_t>("99999999999999999999999").has_value());
  EXPECT_FALSE(parseNumber<double>("inf").has_value());
  EXPECT_FALSE(parseNumber<double>("nan").has_value());
  EXPECT_FALSE(parseNumber<double>("1e999").has_value());
}

}  // namespace
}  // namespace cdnlab::gateway
