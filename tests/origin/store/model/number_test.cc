// DynamoDB numbers: normalisation, limits, arithmetic, ordering, errors.
#include "origin/store/model/number.h"

#include <gtest/gtest.h>

namespace cdnlab::store {
namespace {

Number num(std::string_view text) {
  auto n = Number::parse(text);
  EXPECT_TRUE(n.ok()) << text << ": " << (n.ok() ? "" : n.error().message);
  return n.ok() ? *n : Number();
}

struct NormaliseCase {
  const char* in;
  const char* out;
};

TEST(NumberTest, NormalisesAsDynamoDbPrints) {
  const NormaliseCase cases[] = {
      {"1.0", "1"},       {"1e3", "1000"},      {"-0", "0"},        {"0.10", "0.1"},
      {"+7", "7"},        {".5", "0.5"},        {"5.", "5"},        {"007.500", "7.5"},
      {"1E-5", "0.00001"}, {"-1.5e2", "-150"},  {"0e99", "0"},      {"-0.000", "0"},
      {"123.456e1", "1234.56"}, {"1.23E+2", "123"}, {"100", "100"}, {"-12.340", "-12.34"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(num(c.in).toString(), c.out) << c.in;
  }
  EXPECT_EQ(num("1E+125").toString(), "1" + std::string(125, '0'));
  EXPECT_EQ(num("1E-130").toString(), "0." + std::string(129, '0') + "1");
}

TEST(NumberTest, EqualValuesAreEqual) {
  EXPECT_EQ(num("1.0"), num("1"));
  EXPECT_EQ(num("-0"), num("0"));
  EXPECT_EQ(num("1e2"), num("100"));
  EXPECT_NE(num("1"), num("-1"));
}

TEST(NumberTest, ThirtyEightDigitsAreTheLimit) {
  std::string d38(38, '9');
  EXPECT_EQ(num(d38).toString(), d38);
  EXPECT_EQ(num("9.9999999999999999999999999999999999999E+125").significantDigits(), 38);
  // Trailing zeros are not significant: 1 followed by 50 zeros is one digit.
  EXPECT_TRUE(Number::parse("1" + std::string(50, '0')).ok());
  // Leading zeros neither.
  EXPECT_TRUE(Number::parse("0.000" + d38).ok());
  auto tooMany = Number::parse(std::string(39, '9'));
  ASSERT_FALSE(tooMany.ok());
  EXPECT_EQ(tooMany.error().message, "Attempting to store more than 38 significant digits in a Number");
  EXPECT_EQ(tooMany.error().code, kValidationError);
}

struct ErrorCase {
  const char* in;
  const char* message;
};

TEST(NumberTest, InvalidInputGetsDynamoDbMessages) {
  const ErrorCase cases[] = {
      {"", "The parameter cannot be converted to a numeric value"},
      {"abc", "The parameter cannot be converted to a numeric value: abc"},
      {"1.2.3", "The parameter cannot be converted to a numeric value: 1.2.3"},
      {"1e", "The parameter cannot be converted to a numeric value: 1e"},
      {" 1", "The parameter cannot be converted to a numeric value:  1"},
      {"1 ", "The parameter cannot be converted to a numeric value: 1 "},
      {"--1", "The parameter cannot be converted to a numeric value: --1"},
      {".", "The parameter cannot be converted to a numeric value: ."},
      {"NaN", "The parameter cannot be converted to a numeric value: NaN"},
      {"Infinity", "The parameter cannot be converted to a numeric value: Infinity"},
      {"0x10", "The parameter cannot be converted to a numeric value: 0x10"},
      {"1E+126", "Number overflow. Attempting to store a number with magnitude larger than supported range"},
      {"-1E+126", "Number overflow. Attempting to store a number with magnitude larger than supported range"},
      {"1E+999999999999", "Number overflow. Attempting to store a number with magnitude larger than supported range"},
      {"1E-131", "Number underflow. Attempting to store a number with magnitude smaller than supported range"},
      {"0.1E-130", "Number underflow. Attempting to store a number with magnitude smaller than supported range"},
      {"1E-999999999999", "Number underflow. Attempting to store a number with magnitude smaller than supported range"},
  };
  for (const auto& c : cases) {
    auto n = Number::parse(c.in);
    ASSERT_FALSE(n.ok()) << c.in;
    EXPECT_EQ(n.error().message, c.message) << c.in;
  }
}

struct ArithCase {
  const char* a;
  const char* b;
  const char* sum;
  const char* difference;
};

TEST(NumberTest, ExactArithmetic) {
  const ArithCase cases[] = {
      {"1", "2", "3", "-1"},
      {"0.1", "0.2", "0.3", "-0.1"},
      {"-5", "5", "0", "-10"},
      {"999", "1", "1000", "998"},
      {"1E+20", "1", "100000000000000000001", "99999999999999999999"},
      {"123.456", "-0.456", "123", "123.912"},
      {"0", "-7.5", "-7.5", "7.5"},
      {"-0.001", "-0.009", "-0.01", "0.008"},
      {"12345678901234567890123456789012345678", "1", "12345678901234567890123456789012345679",
       "12345678901234567890123456789012345677"},
  };
  for (const auto& c : cases) {
    auto sum = Number::add(num(c.a), num(c.b));
    ASSERT_TRUE(sum.ok()) << c.a << " + " << c.b;
    EXPECT_EQ(sum->toString(), c.sum) << c.a << " + " << c.b;
    auto diff = Number::subtract(num(c.a), num(c.b));
    ASSERT_TRUE(diff.ok()) << c.a << " - " << c.b;
    EXPECT_EQ(diff->toString(), c.difference) << c.a << " - " << c.b;
  }
}

TEST(NumberTest, ArithmeticLimits) {
  auto overflow = Number::add(num("9.9999999999999999999999999999999999999E+125"), num("1E+88"));
  ASSERT_FALSE(overflow.ok());
  EXPECT_EQ(overflow.error().message,
            "Number overflow. Attempting to store a number with magnitude larger than supported range");
  auto precision = Number::add(num(std::string(38, '9')), num("0.1"));
  ASSERT_FALSE(precision.ok());
  EXPECT_EQ(precision.error().message, "Attempting to store more than 38 significant digits in a Number");
  auto underflow = Number::subtract(num("1.1E-130"), num("1E-130"));
  ASSERT_FALSE(underflow.ok());
  EXPECT_EQ(underflow.error().message,
            "Number underflow. Attempting to store a number with magnitude smaller than supported range");
}

TEST(NumberTest, TotalOrder) {
  const char* ascending[] = {"-1E+125", "-100", "-10", "-1.5", "-1", "-0.5", "-1E-130", "0",
                             "1E-130",  "0.5",  "1",   "1.5",  "2",  "10",   "10.01",   "1E+125"};
  constexpr size_t n = sizeof(ascending) / sizeof(ascending[0]);
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = 0; j < n; ++j) {
      EXPECT_EQ(num(ascending[i]) <=> num(ascending[j]), i <=> j) << ascending[i] << " vs " << ascending[j];
    }
  }
}

TEST(NumberTest, IntegersAndSizes) {
  int64_t v = 0;
  EXPECT_TRUE(num("42").toInt64(&v));
  EXPECT_EQ(v, 42);
  EXPECT_TRUE(num("-9223372036854775808").toInt64(&v));
  EXPECT_EQ(v, INT64_MIN);
  EXPECT_FALSE(num("9223372036854775808").toInt64(&v));
  EXPECT_FALSE(num("1.5").toInt64(&v));
  EXPECT_EQ(Number::fromInt(-1234).toString(), "-1234");
  EXPECT_EQ(num("0").storageSize(), 1u);
  EXPECT_EQ(num("1").storageSize(), 2u);
  EXPECT_EQ(num("12").storageSize(), 2u);
  EXPECT_EQ(num("123").storageSize(), 3u);
  EXPECT_EQ(num("1000000").storageSize(), 2u);  // one significant digit
  EXPECT_EQ(num(std::string(38, '1')).storageSize(), 20u);
}

// What DynamoDB's 400 KB gate charges a number, to the byte: the integer and fraction halves are
// rounded up apart and a negative sign costs a byte.
TEST(NumberTest, StorageSizeCountsEachSideOfThePointAndTheSign) {
  EXPECT_EQ(num("1234").storageSize(), 3u);
  EXPECT_EQ(num("0042").storageSize(), 2u);
  EXPECT_EQ(num("1010").storageSize(), 3u);
  EXPECT_EQ(num("1E125").storageSize(), 2u);
  EXPECT_EQ(num("1E-100").storageSize(), 2u);
  EXPECT_EQ(num("0.0000001").storageSize(), 2u);
  EXPECT_EQ(num("0.15").storageSize(), 2u);
  EXPECT_EQ(num("15").storageSize(), 2u);
  EXPECT_EQ(num("1.5").storageSize(), 3u);
  EXPECT_EQ(num("1.200").storageSize(), 3u);
  EXPECT_EQ(num("1.234").storageSize(), 4u);
  EXPECT_EQ(num("3.14159").storageSize(), 5u);
  EXPECT_EQ(num("123456").storageSize(), 4u);
  EXPECT_EQ(num("100.5").storageSize(), 4u);
  EXPECT_EQ(num("-42").storageSize(), 3u);
  EXPECT_EQ(num("-0").storageSize(), 1u);
  EXPECT_EQ(num("-0.5").storageSize(), 3u);
}

}  // namespace
}  // namespace cdnlab::store
