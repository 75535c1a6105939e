// The store's N type: a DynamoDB number, an exact decimal of up to 38 significant digits with a
// magnitude between 1E-130 and 9.9999999999999999999999999999999999999E+125 (or zero).
// Used by the data model (model/value.h), the expression evaluator (ADD, SET a = a + :v, comparisons)
// and the storage key encoding (the engine orders N keys numerically).
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace cdnlab::store {

// DynamoDB's limits (Developer Guide, "Supported data types and naming rules", Number):
// "Numbers can have up to 38 digits of precision ... Positive range: 1E-130 to
// 9.9999999999999999999999999999999999999E+125". Leading and trailing zeros are trimmed.
inline constexpr int kMaxSignificantDigits = 38;
inline constexpr int kMinExponent = -130;  // smallest magnitude 1E-130
inline constexpr int kMaxExponent = 125;   // largest magnitude < 1E+126

// Error code carried by every model and expression error: the engine answers these with HTTP 400
// and __type ValidationException.
inline constexpr int kValidationError = 400;
// Error code for input whose JSON shape is wrong (a number where a string belongs, bad base64):
// DynamoDB answers these as com.amazon.coral.service#SerializationException.
inline constexpr int kSerializationError = 4000;

// An exact decimal: sign, coefficient digits, exponent. Value = (-1)^negative * 0.d1d2...dn * 10^exponent.
// Invariant: digits_ has no leading or trailing '0'; zero is digits_ empty, negative_ false, exponent_ 0.
// So two equal numbers have equal members ("1.0" and "1" are the same Number).
class Number {
 public:
  Number() = default;  // zero

  // Parses DynamoDB's textual number ("-12.50", "1e3", ".5", "+7"). Errors, with DynamoDB's wording:
  //   not a number  -> "The parameter cannot be converted to a numeric value: <text>"
  //   > 38 digits   -> "Attempting to store more than 38 significant digits in a Number"
  //   too large     -> "Number overflow. Attempting to store a number with magnitude larger than supported range"
  //   too small     -> "Number underflow. Attempting to store a number with magnitude smaller than supported range"
  static Result<Number> parse(std::string_view text);
  static Number fromInt(int64_t v);

  // The normalised text DynamoDB returns: plain decimal notation, no exponent, no leading or
  // trailing zeros, "-0" -> "0" ("1.0" -> "1", "1e3" -> "1000", "0.10" -> "0.1", "1E-5" -> "0.00001").
  std::string toString() const;

  bool isZero() const { return digits_.empty(); }
  bool isNegative() const { return negative_; }
  int significantDigits() const { return static_cast<int>(digits_.size()); }
  // Some value that fits an int64 exactly (for list indexes, TTL epochs); false if not an integer or too big.
  bool toInt64(int64_t* out) const;
  double toDouble() const;  // approximate; for TTL comparisons and statistics only

  // Exact arithmetic; errors when the result needs more than 38 digits or leaves the range.
  static Result<Number> add(const Number& a, const Number& b);
  static Result<Number> subtract(const Number& a, const Number& b);
  Number negated() const;

  // Total numeric order (1 < 1.5 < 10; -2 < -1).
  friend std::strong_ordering operator<=>(const Number& a, const Number& b);
  friend bool operator==(const Number& a, const Number& b) = default;

  // Bytes this number counts for in an item's size (model/size.h), as DynamoDB measures it at the
  // 400 KB gate: 1 + ceil(integer significant digits / 2) + ceil(fraction significant digits / 2)
  // + 1 if negative; zero counts 1. The Developer Guide's "approximately (significant digits / 2)
  // + 1" is only that: DynamoDB counts the halves either side of the point apart (3.14159 is 5
  // bytes, 123456 is 4) and charges the sign (-42 is 3 bytes, 42 is 2).
  size_t storageSize() const;

  // Parts of the representation, for the engine's order-preserving key encoding.
  const std::string& digits() const { return digits_; }
  int exponent() const { return exponent_; }  // value = 0.digits * 10^exponent

 private:
  bool negative_ = false;
  std::string digits_;
  int exponent_ = 0;
};

}  // namespace cdnlab::store
