// The store's data model: an AttributeValue is one DynamoDB value (S, N, B, BOOL, NULL, M, L, SS,
// NS, BS) and an Item is a map of attribute names to values. Everything above the storage engine
// (the wire protocol, expressions, indexes) speaks these types; model/json.h converts them from
// and to DynamoDB JSON, model/size.h measures them.
#pragma once

#include <compare>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/result.h"
#include "origin/store/model/number.h"

namespace cdnlab::store {

// The ten DynamoDB types, in the order of the variant below. NUL is DynamoDB's NULL (the macro
// NULL is taken).
enum class ValueType : uint8_t { S, N, B, BOOL, NUL, M, L, SS, NS, BS };

// DynamoDB's type descriptor: "S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS".
std::string_view typeName(ValueType type);
// The inverse of typeName; nullopt for anything else (used by attribute_type and the JSON parser).
std::optional<ValueType> typeFromName(std::string_view name);

class AttributeValue;

// Ordered by name so that JSON output and item comparison are deterministic.
using AttributeMap = std::map<std::string, AttributeValue, std::less<>>;
using AttributeList = std::vector<AttributeValue>;
using Item = AttributeMap;

// Raw bytes (B), distinct from a string (S) so that the variant can tell them apart.
struct Binary {
  std::string bytes;
  friend bool operator==(const Binary&, const Binary&) = default;
};
struct Null {
  friend bool operator==(const Null&, const Null&) = default;
};

// Sets keep their members sorted (S and B by unsigned bytes, N numerically) and unique, so that
// equality is order-independent as DynamoDB's is. A set is never empty (DynamoDB rejects empty sets);
// operations that would empty one remove the attribute instead (UpdateExpression DELETE).
struct StringSet {
  std::vector<std::string> members;
  friend bool operator==(const StringSet&, const StringSet&) = default;
};
struct NumberSet {
  std::vector<Number> members;
  friend bool operator==(const NumberSet&, const NumberSet&) = default;
};
struct BinarySet {
  std::vector<std::string> members;
  friend bool operator==(const BinarySet&, const BinarySet&) = default;
};

class AttributeValue {
 public:
  AttributeValue() : v_(Null{}) {}  // NULL

  static AttributeValue string(std::string s) { return AttributeValue(Variant(std::in_place_index<0>, std::move(s))); }
  static AttributeValue number(Number n) { return AttributeValue(Variant(std::in_place_index<1>, std::move(n))); }
  static AttributeValue binary(std::string bytes) { return AttributeValue(Variant(std::in_place_index<2>, Binary{std::move(bytes)})); }
  static AttributeValue boolean(bool b) { return AttributeValue(Variant(std::in_place_index<3>, b)); }
  static AttributeValue null() { return AttributeValue(); }
  static AttributeValue map(AttributeMap m) { return AttributeValue(Variant(std::in_place_index<5>, std::move(m))); }
  static AttributeValue list(AttributeList l) { return AttributeValue(Variant(std::in_place_index<6>, std::move(l))); }
  // Set constructors sort and validate: an empty set or a duplicate member is an error worded as
  // DynamoDB words it ("One or more parameter values were invalid: An string set  may not be empty",
  // "Input collection [a, a] contains duplicates.").
  static Result<AttributeValue> stringSet(std::vector<std::string> members);
  static Result<AttributeValue> numberSet(std::vector<Number> members);
  static Result<AttributeValue> binarySet(std::vector<std::string> members);
  // Set constructors for members known to be unique and non-empty (results of set arithmetic):
  // they sort and deduplicate; the caller must not pass an empty vector.
  static AttributeValue stringSetOf(std::vector<std::string> members);
  static AttributeValue numberSetOf(std::vector<Number> members);
  static AttributeValue binarySetOf(std::vector<std::string> members);

  ValueType type() const { return static_cast<ValueType>(v_.index()); }
  bool is(ValueType t) const { return type() == t; }

  // Accessors; calling the wrong one for type() is a programming error (std::get throws).
  const std::string& s() const { return std::get<0>(v_); }
  const Number& n() const { return std::get<1>(v_); }
  const std::string& b() const { return std::get<2>(v_).bytes; }
  bool boolValue() const { return std::get<3>(v_); }
  const AttributeMap& m() const { return std::get<5>(v_); }
  AttributeMap& m() { return std::get<5>(v_); }
  const AttributeList& l() const { return std::get<6>(v_); }
  AttributeList& l() { return std::get<6>(v_); }
  const std::vector<std::string>& ss() const { return std::get<7>(v_).members; }
  const std::vector<Number>& ns() const { return std::get<8>(v_).members; }
  const std::vector<std::string>& bs() const { return std::get<9>(v_).members; }

  // Deep equality as DynamoDB's "=" uses it: same type and same value (sets irrespective of order,
  // N numerically, so {"N":"1.0"} == {"N":"1"}).
  friend bool operator==(const AttributeValue& a, const AttributeValue& b) { return a.v_ == b.v_; }

  // A short form for error messages, as DynamoDB prints operands: {S:abc}, {N:1}, {SS:[a, b]}.
  std::string debugString() const;

 private:
  using Variant = std::variant<std::string, Number, Binary, bool, Null, AttributeMap, AttributeList,
                               StringSet, NumberSet, BinarySet>;
  explicit AttributeValue(Variant v) : v_(std::move(v)) {}
  Variant v_;
};

// Order of two scalar values of the same type as DynamoDB sorts keys and evaluates < <= > >=
// and BETWEEN: S by UTF-8 bytes (unsigned), N numerically, B by unsigned bytes. Returns nullopt
// when the types differ or are not S, N or B (a comparison that DynamoDB evaluates to false).
std::optional<std::strong_ordering> compareScalars(const AttributeValue& a, const AttributeValue& b);

// Unsigned byte-wise comparison (memcmp order), the order of S and B keys.
std::strong_ordering compareBytes(std::string_view a, std::string_view b);

}  // namespace cdnlab::store
