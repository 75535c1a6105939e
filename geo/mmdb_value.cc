#include "geo/mmdb_value.h"

#include <bit>
#include <cassert>
#include <cstring>

namespace cdnlab::geo {
namespace {

// Type numbers from the spec. 1-7 fit in the control byte's top 3 bits; the "extended" ones
// (> 7) put 0 there and (type - 7) in the next byte.
enum Type : int {
  kUtf8 = 2, kDouble = 3, kUint16 = 5, kUint32 = 6, kMap = 7,
  kUint64 = 9, kArray = 11, kBool = 14,
};

void putControl(std::string& out, int type, size_t size) {
  uint8_t first = type <= 7 ? static_cast<uint8_t>(type << 5) : 0;
  char extra[3];
  size_t extraLen = 0;
  // Sizes < 29 live in the low 5 bits; 29/30/31 announce 1/2/3 following bytes holding
  // size - 29, size - 285, size - 65821 (big-endian).
  if (size < 29) {
    first |= static_cast<uint8_t>(size);
  } else if (size < 285) {
    first |= 29;
    extra[0] = static_cast<char>(size - 29);
    extraLen = 1;
  } else if (size < 65821) {
    first |= 30;
    const size_t v = size - 285;
    extra[0] = static_cast<char>(v >> 8), extra[1] = static_cast<char>(v);
    extraLen = 2;
  } else {
    assert(size - 65821 < (1u << 24));  // the format's limit; our records are tiny
    first |= 31;
    const size_t v = size - 65821;
    extra[0] = static_cast<char>(v >> 16), extra[1] = static_cast<char>(v >> 8), extra[2] = static_cast<char>(v);
    extraLen = 3;
  }
  out.push_back(static_cast<char>(first));
  if (type > 7) out.push_back(static_cast<char>(type - 7));
  out.append(extra, extraLen);
}

// Unsigned integers are stored big-endian in as few bytes as the value needs (0 takes none).
void putUint(std::string& out, int type, uint64_t v) {
  const size_t n = (64 - std::countl_zero(v) + 7) / 8;
  putControl(out, type, n);
  for (size_t i = n; i-- > 0;) out.push_back(static_cast<char>(v >> (8 * i)));
}

}  // namespace

MmdbValue MmdbValue::utf8(std::string_view s) {
  MmdbValue v(Kind::Utf8);
  v.str_ = s;
  return v;
}
MmdbValue MmdbValue::dbl(double d) {
  MmdbValue v(Kind::Double);
  v.dbl_ = d;
  return v;
}
MmdbValue MmdbValue::withUnsigned(Kind k, uint64_t x) {
  MmdbValue v(k);
  v.uint_ = x;
  return v;
}
MmdbValue MmdbValue::uint16(uint16_t x) { return withUnsigned(Kind::Uint16, x); }
MmdbValue MmdbValue::uint32(uint32_t x) { return withUnsigned(Kind::Uint32, x); }
MmdbValue MmdbValue::uint64(uint64_t x) { return withUnsigned(Kind::Uint64, x); }
MmdbValue MmdbValue::boolean(bool b) { return withUnsigned(Kind::Bool, b ? 1 : 0); }

MmdbValue& MmdbValue::set(std::string_view key, MmdbValue value) {
  assert(kind_ == Kind::Map);
  for (auto& [k, v] : map_) {
    if (k == key) {
      v = std::move(value);
      return *this;
    }
  }
  map_.emplace_back(std::string(key), std::move(value));
  return *this;
}

MmdbValue& MmdbValue::push(MmdbValue value) {
  assert(kind_ == Kind::Array);
  array_.push_back(std::move(value));
  return *this;
}

void MmdbValue::encode(std::string& out) const {
  switch (kind_) {
    case Kind::Map:
      putControl(out, kMap, map_.size());
      for (const auto& [k, v] : map_) {
        putControl(out, kUtf8, k.size());  // keys are always utf8 strings
        out += k;
        v.encode(out);
      }
      break;
    case Kind::Array:
      putControl(out, kArray, array_.size());
      for (const auto& v : array_) v.encode(out);
      break;
    case Kind::Utf8:
      putControl(out, kUtf8, str_.size());
      out += str_;
      break;
    case Kind::Double: {
      putControl(out, kDouble, 8);
      const auto bits = std::bit_cast<uint64_t>(dbl_);  // IEEE 754 binary64, big-endian
      for (int i = 7; i >= 0; --i) out.push_back(static_cast<char>(bits >> (8 * i)));
      break;
    }
    case Kind::Uint16: putUint(out, kUint16, uint_); break;
    case Kind::Uint32: putUint(out, kUint32, uint_); break;
    case Kind::Uint64: putUint(out, kUint64, uint_); break;
    case Kind::Bool: putControl(out, kBool, uint_); break;  // the value is the size field
  }
}

}  // namespace cdnlab::geo
