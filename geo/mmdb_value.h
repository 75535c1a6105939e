// A value of a MaxMind DB data section (spec 2.0, "Data Section"): the records that `cdnlab geo
// build` writes and the metadata map. Only the types the GeoIP2 layouts use are modelled; the
// integer width is explicit because readers check it (libmaxminddb rejects a node_count that
// is not a uint32, for instance).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cdnlab::geo {

class MmdbValue {
 public:
  enum class Kind { Map, Array, Utf8, Double, Uint16, Uint32, Uint64, Bool };

  static MmdbValue map() { return MmdbValue(Kind::Map); }
  static MmdbValue array() { return MmdbValue(Kind::Array); }
  static MmdbValue utf8(std::string_view s);
  static MmdbValue dbl(double d);
  static MmdbValue uint16(uint16_t v);
  static MmdbValue uint32(uint32_t v);
  static MmdbValue uint64(uint64_t v);
  static MmdbValue boolean(bool b);

  // Map building: adds (or replaces) key -> value; returns *this for chaining.
  MmdbValue& set(std::string_view key, MmdbValue value);
  // Array building.
  MmdbValue& push(MmdbValue value);

  Kind kind() const { return kind_; }
  // Appends the spec's binary encoding of this value to `out` (no pointers: every value is
  // written in full, which keeps the writer simple; whole records are still deduplicated).
  void encode(std::string& out) const;

 private:
  explicit MmdbValue(Kind k) : kind_(k) {}
  // The unsigned kinds (and Bool, stored as 0 or 1) keep their value in uint_.
  static MmdbValue withUnsigned(Kind k, uint64_t x);

  Kind kind_;
  std::string str_;
  double dbl_ = 0;
  uint64_t uint_ = 0;
  std::vector<std::pair<std::string, MmdbValue>> map_;  // insertion order, unique keys
  std::vector<MmdbValue> array_;
};

}  // namespace cdnlab::geo
