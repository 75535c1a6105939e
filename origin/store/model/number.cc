// DynamoDB numbers: parsing, normalised printing, exact addition and ordering (see number.h).
#include "origin/store/model/number.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace cdnlab::store {
namespace {

Error numberError(std::string message) { return Error{kValidationError, std::move(message)}; }

// Checks the limits in the order DynamoDB reports them: magnitude first, then precision.
// `exponent` is the 0.d form's exponent, so the scientific exponent is exponent - 1.
Result<bool> checkLimits(size_t digits, int exponent) {
  if (digits == 0) return true;
  if (exponent - 1 > kMaxExponent) {
    return numberError("Number overflow. Attempting to store a number with magnitude larger than supported range");
  }
  if (exponent - 1 < kMinExponent) {
    return numberError("Number underflow. Attempting to store a number with magnitude smaller than supported range");
  }
  if (digits > static_cast<size_t>(kMaxSignificantDigits)) {
    return numberError("Attempting to store more than 38 significant digits in a Number");
  }
  return true;
}

// Magnitude of unsigned decimal digit strings of equal length (both may have leading zeros).
int compareEqualLength(const std::string& a, const std::string& b) { return a.compare(b); }

// a + b for unsigned digit strings of equal length; the result may be one digit longer.
std::string addDigits(const std::string& a, const std::string& b) {
  std::string out(a.size() + 1, '0');
  int carry = 0;
  for (size_t i = a.size(); i-- > 0;) {
    int d = (a[i] - '0') + (b[i] - '0') + carry;
    out[i + 1] = static_cast<char>('0' + d % 10);
    carry = d / 10;
  }
  out[0] = static_cast<char>('0' + carry);
  return out;
}

// a - b for unsigned digit strings of equal length with a >= b.
std::string subtractDigits(const std::string& a, const std::string& b) {
  std::string out(a.size(), '0');
  int borrow = 0;
  for (size_t i = a.size(); i-- > 0;) {
    int d = (a[i] - '0') - (b[i] - '0') - borrow;
    borrow = d < 0 ? 1 : 0;
    out[i] = static_cast<char>('0' + (d + 10) % 10);
  }
  return out;
}

}  // namespace

Result<Number> Number::parse(std::string_view text) {
  if (text.empty()) return numberError("The parameter cannot be converted to a numeric value");
  auto invalid = [&] {
    return numberError("The parameter cannot be converted to a numeric value: " + std::string(text));
  };
  size_t i = 0;
  bool negative = false;
  if (text[i] == '+' || text[i] == '-') {
    negative = text[i] == '-';
    ++i;
  }
  std::string digits;
  int pointPosition = -1;  // number of digits before the '.', when one was seen
  bool sawDigit = false;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (c >= '0' && c <= '9') {
      digits.push_back(c);
      sawDigit = true;
    } else if (c == '.' && pointPosition < 0) {
      pointPosition = static_cast<int>(digits.size());
    } else {
      break;
    }
    // A text this long cannot be a valid number anyway; stop before int overflow below.
    if (digits.size() > 100000) return invalid();
  }
  if (!sawDigit) return invalid();
  long long exponent = 0;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool expNegative = false;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
      expNegative = text[i] == '-';
      ++i;
    }
    if (i >= text.size()) return invalid();
    for (; i < text.size(); ++i) {
      char c = text[i];
      if (c < '0' || c > '9') return invalid();
      // Saturate: anything beyond a million is out of range regardless of the digits.
      if (exponent < 1000000) exponent = exponent * 10 + (c - '0');
    }
    if (expNegative) exponent = -exponent;
  }
  if (i != text.size()) return invalid();

  if (pointPosition < 0) pointPosition = static_cast<int>(digits.size());
  // Value = 0.digits * 10^(pointPosition + exponent); strip leading zeros (each lowers the
  // exponent) and trailing zeros (no change).
  long long e = pointPosition + exponent;
  size_t lead = 0;
  while (lead < digits.size() && digits[lead] == '0') ++lead;
  e -= static_cast<long long>(lead);
  digits.erase(0, lead);
  while (!digits.empty() && digits.back() == '0') digits.pop_back();

  Number n;
  if (digits.empty()) return n;  // zero, whatever its sign or exponent ("-0", "0e99")
  if (e - 1 > kMaxExponent) return checkLimits(digits.size(), kMaxExponent + 2).error();
  if (e - 1 < kMinExponent) return checkLimits(digits.size(), kMinExponent).error();
  if (auto ok = checkLimits(digits.size(), static_cast<int>(e)); !ok) return ok.error();
  n.negative_ = negative;
  n.digits_ = std::move(digits);
  n.exponent_ = static_cast<int>(e);
  return n;
}

Number Number::fromInt(int64_t v) {
  // Every int64 has at most 19 digits: always within limits.
  return parse(std::to_string(v)).value();
}

std::string Number::toString() const {
  if (digits_.empty()) return "0";
  std::string out;
  if (negative_) out.push_back('-');
  int len = static_cast<int>(digits_.size());
  if (exponent_ <= 0) {
    out += "0.";
    out.append(static_cast<size_t>(-exponent_), '0');
    out += digits_;
  } else if (exponent_ < len) {
    out.append(digits_, 0, static_cast<size_t>(exponent_));
    out.push_back('.');
    out.append(digits_, static_cast<size_t>(exponent_));
  } else {
    out += digits_;
    out.append(static_cast<size_t>(exponent_ - len), '0');
  }
  return out;
}

bool Number::toInt64(int64_t* out) const {
  if (digits_.empty()) {
    *out = 0;
    return true;
  }
  int len = static_cast<int>(digits_.size());
  if (exponent_ < len || exponent_ > 19) return false;  // a fraction, or too many digits
  unsigned long long v = 0;
  for (int i = 0; i < exponent_; ++i) {
    unsigned d = i < len ? static_cast<unsigned>(digits_[i] - '0') : 0;
    if (v > (18446744073709551615ULL - d) / 10) return false;
    v = v * 10 + d;
  }
  if (!negative_ && v > 9223372036854775807ULL) return false;
  if (negative_ && v > 9223372036854775808ULL) return false;
  *out = negative_ ? static_cast<int64_t>(0 - v) : static_cast<int64_t>(v);
  return true;
}

double Number::toDouble() const { return std::strtod(toString().c_str(), nullptr); }

Number Number::negated() const {
  Number n = *this;
  if (!n.digits_.empty()) n.negative_ = !n.negative_;
  return n;
}

Result<Number> Number::add(const Number& a, const Number& b) {
  if (a.isZero()) return b;
  if (b.isZero()) return a;
  // Write both as integers scaled to the smaller unit: coefficient * 10^(exponent - len).
  int unitA = a.exponent_ - static_cast<int>(a.digits_.size());
  int unitB = b.exponent_ - static_cast<int>(b.digits_.size());
  int unit = std::min(unitA, unitB);
  int top = std::max(a.exponent_, b.exponent_);  // the larger one's leading position
  size_t width = static_cast<size_t>(top - unit);
  auto widen = [&](const Number& n) {
    std::string s(static_cast<size_t>(top - n.exponent_), '0');  // leading zeros to align
    s += n.digits_;
    s.append(width - s.size(), '0');  // trailing zeros down to the common unit
    return s;
  };
  std::string da = widen(a), db = widen(b);
  std::string sum;
  bool negative;
  int newTop = top;
  if (a.negative_ == b.negative_) {
    sum = addDigits(da, db);
    ++newTop;  // addDigits prepends one position
    negative = a.negative_;
  } else {
    int c = compareEqualLength(da, db);
    if (c == 0) return Number();
    if (c > 0) {
      sum = subtractDigits(da, db);
      negative = a.negative_;
    } else {
      sum = subtractDigits(db, da);
      negative = b.negative_;
    }
  }
  // sum is the digits of 0.sum * 10^newTop; normalise.
  size_t lead = 0;
  while (lead < sum.size() && sum[lead] == '0') ++lead;
  sum.erase(0, lead);
  newTop -= static_cast<int>(lead);
  while (!sum.empty() && sum.back() == '0') sum.pop_back();
  Number n;
  if (sum.empty()) return n;
  if (auto ok = checkLimits(sum.size(), newTop); !ok) return ok.error();
  n.negative_ = negative;
  n.digits_ = std::move(sum);
  n.exponent_ = newTop;
  return n;
}

Result<Number> Number::subtract(const Number& a, const Number& b) { return add(a, b.negated()); }

std::strong_ordering operator<=>(const Number& a, const Number& b) {
  int signA = a.isZero() ? 0 : (a.negative_ ? -1 : 1);
  int signB = b.isZero() ? 0 : (b.negative_ ? -1 : 1);
  if (signA != signB) return signA <=> signB;
  if (signA == 0) return std::strong_ordering::equal;
  // Same sign, both non-zero: compare magnitudes, then flip for negatives.
  std::strong_ordering mag = a.exponent_ <=> b.exponent_;
  if (mag == std::strong_ordering::equal) {
    int c = a.digits_.compare(b.digits_);  // "12" < "123": 0.12 < 0.123, as the digit strings order
    mag = c < 0 ? std::strong_ordering::less : c > 0 ? std::strong_ordering::greater : std::strong_ordering::equal;
  }
  if (signA < 0) return 0 <=> mag;
  return mag;
}

size_t Number::storageSize() const {
  if (digits_.empty()) return 1;
  // digits_ has no leading or trailing zeros, so with the point `exponent_` digits in: every digit
  // left of the point is significant when a fraction follows (100.5), none past the last non-zero
  // digit when none does (100), and a pure fraction has no integer half (0.15).
  const size_t n = digits_.size();
  size_t intDigits = 0;
  size_t fracDigits = n;
  if (exponent_ >= static_cast<int>(n)) {
    intDigits = n;
    fracDigits = 0;
  } else if (exponent_ > 0) {
    intDigits = static_cast<size_t>(exponent_);
    fracDigits = n - intDigits;
  }
  return 1 + (intDigits + 1) / 2 + (fracDigits + 1) / 2 + (negative_ ? 1 : 0);
}

}  // namespace cdnlab::store
