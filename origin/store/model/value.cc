// AttributeValue construction (set validation), type names, ordering and debug printing.
#include "origin/store/model/value.h"

#include <algorithm>
#include <array>
#include <cstring>

#include "origin/store/model/base64.h"

namespace cdnlab::store {
namespace {

constexpr std::array<std::string_view, 10> kTypeNames = {"S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS"};

Error setError(std::string message) { return Error{kValidationError, std::move(message)}; }

std::string joinForMessage(const std::vector<std::string>& members) {
  std::string out = "[";
  for (size_t i = 0; i < members.size(); ++i) {
    if (i) out += ", ";
    out += members[i];
  }
  return out + "]";
}

bool bytesLess(const std::string& a, const std::string& b) { return compareBytes(a, b) < 0; }

}  // namespace

std::string_view typeName(ValueType type) { return kTypeNames[static_cast<size_t>(type)]; }

std::optional<ValueType> typeFromName(std::string_view name) {
  for (size_t i = 0; i < kTypeNames.size(); ++i) {
    if (kTypeNames[i] == name) return static_cast<ValueType>(i);
  }
  return std::nullopt;
}

std::strong_ordering compareBytes(std::string_view a, std::string_view b) {
  size_t n = std::min(a.size(), b.size());
  int c = n ? std::memcmp(a.data(), b.data(), n) : 0;  // memcmp compares as unsigned char
  if (c != 0) return c < 0 ? std::strong_ordering::less : std::strong_ordering::greater;
  return a.size() <=> b.size();
}

std::optional<std::strong_ordering> compareScalars(const AttributeValue& a, const AttributeValue& b) {
  if (a.type() != b.type()) return std::nullopt;
  switch (a.type()) {
    case ValueType::S: return compareBytes(a.s(), b.s());
    case ValueType::N: return a.n() <=> b.n();
    case ValueType::B: return compareBytes(a.b(), b.b());
    default: return std::nullopt;
  }
}

// The wording follows DynamoDB's ValidationException texts (note the double space that DynamoDB
// really sends in "An string set  may not be empty").
Result<AttributeValue> AttributeValue::stringSet(std::vector<std::string> members) {
  if (members.empty()) return setError("One or more parameter values were invalid: An string set  may not be empty");
  std::vector<std::string> sorted = members;
  std::sort(sorted.begin(), sorted.end(), bytesLess);
  if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end()) {
    return setError("One or more parameter values were invalid: Input collection " + joinForMessage(members) +
                    " contains duplicates.");
  }
  return AttributeValue(Variant(std::in_place_index<7>, StringSet{std::move(sorted)}));
}

Result<AttributeValue> AttributeValue::numberSet(std::vector<Number> members) {
  if (members.empty()) return setError("One or more parameter values were invalid: An number set  may not be empty");
  std::vector<Number> sorted = members;
  std::sort(sorted.begin(), sorted.end());
  if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end()) {
    // DynamoDB words this one without the list (unlike SS and BS).
    return setError("Input collection contains duplicates");
  }
  return AttributeValue(Variant(std::in_place_index<8>, NumberSet{std::move(sorted)}));
}

Result<AttributeValue> AttributeValue::binarySet(std::vector<std::string> members) {
  if (members.empty()) return setError("One or more parameter values were invalid: Binary sets should not be empty");
  std::vector<std::string> sorted = members;
  std::sort(sorted.begin(), sorted.end(), bytesLess);
  if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end()) {
    // The members as sent (base64), and no space before "of": DynamoDB's text.
    std::vector<std::string> texts;
    for (const std::string& m : members) texts.push_back(base64Encode(m));
    return setError("One or more parameter values were invalid: Input collection " + joinForMessage(texts) +
                    "of type BS contains duplicates.");
  }
  return AttributeValue(Variant(std::in_place_index<9>, BinarySet{std::move(sorted)}));
}

AttributeValue AttributeValue::stringSetOf(std::vector<std::string> members) {
  std::sort(members.begin(), members.end(), bytesLess);
  members.erase(std::unique(members.begin(), members.end()), members.end());
  return AttributeValue(Variant(std::in_place_index<7>, StringSet{std::move(members)}));
}

AttributeValue AttributeValue::numberSetOf(std::vector<Number> members) {
  std::sort(members.begin(), members.end());
  members.erase(std::unique(members.begin(), members.end()), members.end());
  return AttributeValue(Variant(std::in_place_index<8>, NumberSet{std::move(members)}));
}

AttributeValue AttributeValue::binarySetOf(std::vector<std::string> members) {
  std::sort(members.begin(), members.end(), bytesLess);
  members.erase(std::unique(members.begin(), members.end()), members.end());
  return AttributeValue(Variant(std::in_place_index<9>, BinarySet{std::move(members)}));
}

std::string AttributeValue::debugString() const {
  std::string out = "{";
  out += typeName(type());
  out += ':';
  switch (type()) {
    case ValueType::S: out += s(); break;
    case ValueType::N: out += n().toString(); break;
    case ValueType::B: out += "<" + std::to_string(b().size()) + " bytes>"; break;
    case ValueType::BOOL: out += boolValue() ? "true" : "false"; break;
    case ValueType::NUL: out += "true"; break;
    case ValueType::M: {
      out += '{';
      bool first = true;
      for (const auto& [k, v] : m()) {
        if (!first) out += ", ";
        first = false;
        out += k + "=" + v.debugString();
      }
      out += '}';
      break;
    }
    case ValueType::L: {
      out += '[';
      for (size_t i = 0; i < l().size(); ++i) out += (i ? ", " : "") + l()[i].debugString();
      out += ']';
      break;
    }
    case ValueType::SS: out += joinForMessage(ss()); break;
    case ValueType::NS: {
      std::vector<std::string> texts;
      for (const Number& n : ns()) texts.push_back(n.toString());
      out += joinForMessage(texts);
      break;
    }
    case ValueType::BS: out += "<" + std::to_string(bs().size()) + " binaries>"; break;
  }
  return out + "}";
}

}  // namespace cdnlab::store
