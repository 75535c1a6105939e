// Key encoding (see key_codec.h for the layout and why it preserves order).
#include "origin/store/key_codec.h"

#include <xxhash.h>

#include <cctype>

namespace cdnlab::store {
namespace {

// Sign classes: every negative < zero < every positive.
constexpr uint8_t kNegative = 0x01;
constexpr uint8_t kZero = 0x02;
constexpr uint8_t kPositive = 0x03;
// DynamoDB numbers have exponents within roughly [-130, 126]; biasing by 0x4000 in two bytes
// leaves room to spare and keeps the bias positive for any exponent a 38-digit number can have.
constexpr int kExponentBias = 0x4000;

}  // namespace

void appendU32(std::string& out, uint32_t v) {
  out.push_back(static_cast<char>(v >> 24));
  out.push_back(static_cast<char>(v >> 16));
  out.push_back(static_cast<char>(v >> 8));
  out.push_back(static_cast<char>(v));
}

Result<bool> appendNumberKey(std::string& out, std::string_view s) {
  size_t i = 0;
  bool negative = false;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) negative = s[i++] == '-';
  // Collect the digits with the position of the decimal point.
  std::string digits;
  long pointPos = -1;  // digits before the point
  bool sawDigit = false;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (c >= '0' && c <= '9') {
      digits.push_back(c);
      sawDigit = true;
    } else if (c == '.' && pointPos < 0) {
      pointPos = static_cast<long>(digits.size());
    } else {
      break;
    }
  }
  if (!sawDigit) return Error{400, "not a number"};
  if (pointPos < 0) pointPos = static_cast<long>(digits.size());
  long exp10 = 0;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    bool eneg = false;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) eneg = s[i++] == '-';
    if (i >= s.size()) return Error{400, "not a number"};
    for (; i < s.size(); ++i) {
      if (!std::isdigit(static_cast<unsigned char>(s[i]))) return Error{400, "not a number"};
      if (exp10 < 100000) exp10 = exp10 * 10 + (s[i] - '0');
    }
    if (eneg) exp10 = -exp10;
  }
  if (i != s.size()) return Error{400, "not a number"};
  // Normalise to 0.d1d2..dn x 10^E with d1 != 0 and no trailing zeros.
  size_t first = digits.find_first_not_of('0');
  if (first == std::string::npos) {
    out.push_back(static_cast<char>(kZero));
    return true;
  }
  size_t last = digits.find_last_not_of('0');
  long e = pointPos - static_cast<long>(first) + exp10;
  std::string_view mant(digits.data() + first, last - first + 1);
  long biased = e + kExponentBias;
  if (biased < 1 || biased > 0xFFFE) return Error{400, "number out of range"};
  if (!negative) {
    out.push_back(static_cast<char>(kPositive));
    out.push_back(static_cast<char>(biased >> 8));
    out.push_back(static_cast<char>(biased));
    for (char d : mant) out.push_back(static_cast<char>(d - '0' + 1));  // 1..10
  } else {
    // Complement everything so a larger magnitude sorts first; the 0xFF terminator makes a
    // shorter mantissa (smaller magnitude, e.g. -0.12 vs -0.123) sort after its extensions.
    long inv = 0xFFFF - biased;
    out.push_back(static_cast<char>(kNegative));
    out.push_back(static_cast<char>(inv >> 8));
    out.push_back(static_cast<char>(inv));
    for (char d : mant) out.push_back(static_cast<char>(0xFE - (d - '0' + 1)));
    out.push_back(static_cast<char>(0xFF));
  }
  return true;
}

void appendEscaped(std::string& out, std::string_view raw) {
  for (char c : raw) {
    out.push_back(c);
    if (c == '\0') out.push_back(static_cast<char>(0xFF));
  }
  out.push_back('\0');
  out.push_back('\x01');
}

Result<bool> appendKeyComponent(std::string& out, const KeyValue& v) {
  if (v.type != KeyType::N) {
    appendEscaped(out, v.bytes);
    return true;
  }
  std::string raw;
  auto r = appendNumberKey(raw, v.bytes);
  if (!r) return r;
  appendEscaped(out, raw);
  return true;
}

uint16_t partitionHash(const KeyValue& pk) {
  // Hash the canonical encoding so that "1.0" and "1" land in the same partition.
  if (pk.type == KeyType::N) {
    std::string raw;
    if (appendNumberKey(raw, pk.bytes)) return static_cast<uint16_t>(XXH3_64bits(raw.data(), raw.size()) >> 48);
  }
  return static_cast<uint16_t>(XXH3_64bits(pk.bytes.data(), pk.bytes.size()) >> 48);
}

std::string tablePrefix(uint32_t tableId) {
  std::string k(1, 'i');
  appendU32(k, tableId);
  return k;
}

std::string indexPrefix(uint32_t tableId, uint32_t indexId) {
  std::string k(1, 'x');
  appendU32(k, tableId);
  appendU32(k, indexId);
  return k;
}

Result<std::string> partitionPrefix(std::string_view prefix, const KeyValue& pk) {
  std::string k(prefix);
  uint16_t h = partitionHash(pk);
  k.push_back(static_cast<char>(h >> 8));
  k.push_back(static_cast<char>(h));
  auto r = appendKeyComponent(k, pk);
  if (!r) return r.error();
  return k;
}

Result<std::string> partitionPrefix(std::string_view prefix, const std::vector<KeyValue>& pk) {
  if (pk.size() == 1) return partitionPrefix(prefix, pk.front());
  std::string tuple;
  for (const auto& v : pk) {
    auto r = appendKeyComponent(tuple, v);
    if (!r) return r.error();
  }
  std::string k(prefix);
  uint16_t h = static_cast<uint16_t>(XXH3_64bits(tuple.data(), tuple.size()) >> 48);
  k.push_back(static_cast<char>(h >> 8));
  k.push_back(static_cast<char>(h));
  return k + tuple;
}

std::string prefixSuccessor(std::string_view prefix) {
  std::string s(prefix);
  while (!s.empty()) {
    unsigned char c = static_cast<unsigned char>(s.back());
    if (c != 0xFF) {
      s.back() = static_cast<char>(c + 1);
      return s;
    }
    s.pop_back();
  }
  return s;
}

}  // namespace cdnlab::store
