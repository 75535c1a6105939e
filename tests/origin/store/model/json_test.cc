// DynamoDB JSON round trips, validation errors, value equality/ordering and item sizes.
#include "origin/store/model/json.h"
#include "origin/store/model/json_depth.h"

#include <gtest/gtest.h>

#include "origin/store/model/base64.h"
#include "origin/store/model/size.h"

namespace cdnlab::store {
namespace {

TEST(JsonTest, RoundTripsEveryType) {
  // Input -> the JSON we write back (normalised numbers, sorted sets, sorted map keys).
  const std::pair<const char*, const char*> cases[] = {
      {R"({"S":"hello"})", R"({"S":"hello"})"},
      {R"({"S":""})", R"({"S":""})"},
      {R"({"N":"1.50"})", R"({"N":"1.5"})"},
      {R"({"B":"AAEC/w=="})", R"({"B":"AAEC/w=="})"},
      {R"({"BOOL":false})", R"({"BOOL":false})"},
      {R"({"NULL":true})", R"({"NULL":true})"},
      {R"({"M":{"b":{"N":"2"},"a":{"S":"x"}}})", R"({"M":{"a":{"S":"x"},"b":{"N":"2"}}})"},
      {R"({"L":[{"S":"x"},{"N":"1e2"},{"L":[]}]})", R"({"L":[{"S":"x"},{"N":"100"},{"L":[]}]})"},
      {R"({"SS":["b","a","c"]})", R"({"SS":["a","b","c"]})"},
      {R"({"NS":["10","9","-1.0"]})", R"({"NS":["-1","9","10"]})"},
      {R"({"BS":["Ag==","AQ=="]})", R"({"BS":["AQ==","Ag=="]})"},
      {R"({"M":{}})", R"({"M":{}})"},
      {R"({"S":"\u00e9\n"})", "{\"S\":\"\xc3\xa9\\n\"}"},
  };
  for (const auto& [in, out] : cases) {
    auto v = attributeValueFromJson(in);
    ASSERT_TRUE(v.ok()) << in << ": " << v.error().message;
    EXPECT_EQ(toJson(*v), out) << in;
    auto again = attributeValueFromJson(toJson(*v));
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(*again, *v) << in;
  }
}

TEST(JsonTest, ItemRoundTrip) {
  auto item = attributeMapFromJson(R"({"pk":{"S":"a"},"n":{"N":"3"},"m":{"M":{"x":{"NULL":true}}}})");
  ASSERT_TRUE(item.ok());
  EXPECT_EQ(item->size(), 3u);
  EXPECT_EQ(toJson(*item), R"({"m":{"M":{"x":{"NULL":true}}},"n":{"N":"3"},"pk":{"S":"a"}})");
}

struct ErrorCase {
  const char* in;
  int code;
  const char* message;
};

TEST(JsonTest, ValidationErrorsUseDynamoDbWording) {
  const ErrorCase cases[] = {
      {R"({})", kValidationError, "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"},
      {R"({"X":"y"})", kValidationError,
       "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"},
      {R"({"S":null})", kValidationError,
       "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"},
      {R"({"S":"a","N":"1"})", kValidationError,
       "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes"},
      {R"({"NS":[]})", kValidationError, "One or more parameter values were invalid: An number set  may not be empty"},
      {R"({"SS":[]})", kValidationError, "One or more parameter values were invalid: An string set  may not be empty"},
      {R"({"BS":[]})", kValidationError, "One or more parameter values were invalid: Binary sets should not be empty"},
      {R"({"BS":["AA==","AA=="]})", kValidationError,
       "One or more parameter values were invalid: Input collection [AA==, AA==]of type BS contains duplicates."},
      {R"({"SS":["a","a"]})", kValidationError,
       "One or more parameter values were invalid: Input collection [a, a] contains duplicates."},
      {R"({"NS":["1","1.0"]})", kValidationError, "Input collection contains duplicates"},
      {R"({"N":"x1"})", kValidationError, "The parameter cannot be converted to a numeric value: x1"},
      {R"({"N":""})", kValidationError, "The parameter cannot be converted to a numeric value"},
      {R"({"NS":["1","1E+200"]})", kValidationError,
       "Number overflow. Attempting to store a number with magnitude larger than supported range"},
      {R"({"NULL":false})", kValidationError,
       "One or more parameter values were invalid: Null attribute value types must have the value of true"},
      {R"({"M":{"a":{}}})", kValidationError,
       "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"},
      {R"({"L":[{"N":"1e999"}]})", kValidationError,
       "Number overflow. Attempting to store a number with magnitude larger than supported range"},
      {R"({"S":1})", kSerializationError, nullptr},
      {R"({"N":1})", kSerializationError, nullptr},
      {R"({"B":"abc"})", kSerializationError,
       "'abc' can not be converted to a Blob: Base64 encoded length is expected a multiple of 4 bytes but found: 3"},
      {R"({"B":"ab!="})", kSerializationError, "'ab!=' can not be converted to a Blob: Invalid Base64 character"},
      {R"({"BOOL":"true"})", kSerializationError, nullptr},
      {R"("S")", kSerializationError, nullptr},
      {R"({"S":)", kSerializationError, nullptr},
  };
  for (const auto& c : cases) {
    auto v = attributeValueFromJson(c.in);
    ASSERT_FALSE(v.ok()) << c.in;
    EXPECT_EQ(v.error().code, c.code) << c.in;
    if (c.message) {
      EXPECT_EQ(v.error().message, c.message) << c.in;
    }
  }
}

TEST(JsonTest, NestingIsBounded) {
  std::string deep;
  for (int i = 0; i < 40; ++i) deep += R"({"L":[)";
  deep += R"({"S":"x"})";
  for (int i = 0; i < 40; ++i) deep += "]}";
  auto v = attributeValueFromJson(deep);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().message,
            "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit");
  // 32 levels in all: 31 wrappers above a scalar pass, 32 do not (as AWS answers).
  auto wrapped = [](int n, const char* open, const char* close) {
    std::string s;
    for (int i = 0; i < n; ++i) s += open;
    s += R"({"S":"x"})";
    for (int i = 0; i < n; ++i) s += close;
    return s;
  };
  EXPECT_TRUE(attributeValueFromJson(wrapped(31, R"({"M":{"a":)", "}}")).ok());
  EXPECT_TRUE(attributeValueFromJson(wrapped(31, R"({"L":[)", "]}")).ok());
  EXPECT_FALSE(attributeValueFromJson(wrapped(32, R"({"M":{"a":)", "}}")).ok());
  EXPECT_FALSE(attributeValueFromJson(wrapped(32, R"({"L":[)", "]}")).ok());
}

TEST(JsonTest, TextNestedBeyondTheParseLimitIsRefusedWithoutRecursing) {
  // Not an attribute value at all (an array): unreadable, as any malformed text.
  std::string deep(200000, '[');
  auto v = attributeValueFromJson(deep + std::string(200000, ']'));
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().code, kSerializationError);
  // A well-formed value 200,000 M levels deep: DynamoDB's nesting ValidationException, decided
  // without a recursive parse (this overflowed the stack before the bound).
  std::string maps;
  for (int i = 0; i < 200000; ++i) maps += R"({"M":{"a":)";
  maps += R"({"S":"x"})";
  for (int i = 0; i < 200000; ++i) maps += "}}";
  auto m = attributeValueFromJson(maps);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().code, kValidationError);
  EXPECT_EQ(m.error().message, kNestingTooDeepMessage);
  // The same text cut short is malformed, so it stays a SerializationException.
  auto cut = attributeValueFromJson(std::string_view(maps).substr(0, maps.size() - 1));
  ASSERT_FALSE(cut.ok());
  EXPECT_EQ(cut.error().code, kSerializationError);
  EXPECT_TRUE(isWellFormedJsonObject(" {\"a\":[[[]]]} "));
  EXPECT_FALSE(isWellFormedJsonObject("[{}]"));
  EXPECT_FALSE(isWellFormedJsonObject("{\"a\":1} x"));
  EXPECT_FALSE(isWellFormedJsonObject(""));
  EXPECT_FALSE(jsonNestsDeeperThan(std::string(kMaxJsonDepth, '{')));
  EXPECT_TRUE(jsonNestsDeeperThan(std::string(kMaxJsonDepth + 1, '{')));
  // Brackets inside strings (escaped quotes included) do not count.
  EXPECT_FALSE(jsonNestsDeeperThan(R"({"a":"[[[[\"[[[["})", 1));
  EXPECT_TRUE(jsonNestsDeeperThan(R"({"a":"\\","b":[[]]})", 2));
}

TEST(Base64Test, EncodesAndDecodes) {
  const std::pair<std::string, std::string> cases[] = {
      {"", ""}, {"f", "Zg=="}, {"fo", "Zm8="}, {"foo", "Zm9v"}, {"foob", "Zm9vYg=="}, {std::string("\0\xff", 2), "AP8="}};
  for (const auto& [raw, text] : cases) {
    EXPECT_EQ(base64Encode(raw), text);
    auto back = base64Decode(text);
    ASSERT_TRUE(back.has_value()) << text;
    EXPECT_EQ(*back, raw);
  }
  EXPECT_FALSE(base64Decode("Zg=").has_value());
  EXPECT_FALSE(base64Decode("Z===").has_value());
  EXPECT_FALSE(base64Decode("Zg=a").has_value());
  EXPECT_FALSE(base64Decode("Zg==Zg==").has_value());
  EXPECT_FALSE(base64Decode("Z*==").has_value());
}

AttributeValue json(const char* text) {
  auto v = attributeValueFromJson(text);
  EXPECT_TRUE(v.ok()) << text;
  return v.ok() ? *v : AttributeValue();
}

TEST(ValueTest, EqualityAndOrdering) {
  EXPECT_EQ(json(R"({"N":"1.0"})"), json(R"({"N":"1"})"));
  EXPECT_EQ(json(R"({"SS":["a","b"]})"), json(R"({"SS":["b","a"]})"));
  EXPECT_NE(json(R"({"S":"1"})"), json(R"({"N":"1"})"));
  EXPECT_NE(json(R"({"L":[{"S":"a"},{"S":"b"}]})"), json(R"({"L":[{"S":"b"},{"S":"a"}]})"));
  // S orders by unsigned UTF-8 bytes: "Z" < "a" < "é" (0xC3 0xA9).
  EXPECT_EQ(compareScalars(json(R"({"S":"Z"})"), json(R"({"S":"a"})")), std::strong_ordering::less);
  EXPECT_EQ(compareScalars(json(R"({"S":"a"})"), json("{\"S\":\"\xc3\xa9\"}")), std::strong_ordering::less);
  EXPECT_EQ(compareScalars(json(R"({"N":"9"})"), json(R"({"N":"10"})")), std::strong_ordering::less);
  // B orders by unsigned bytes: 0x7f < 0x80.
  EXPECT_EQ(compareScalars(json(R"({"B":"fw=="})"), json(R"({"B":"gA=="})")), std::strong_ordering::less);
  EXPECT_FALSE(compareScalars(json(R"({"S":"1"})"), json(R"({"N":"1"})")).has_value());
  EXPECT_FALSE(compareScalars(json(R"({"BOOL":true})"), json(R"({"BOOL":true})")).has_value());
  EXPECT_EQ(typeName(ValueType::NUL), "NULL");
  EXPECT_EQ(typeFromName("BS"), ValueType::BS);
  EXPECT_FALSE(typeFromName("X").has_value());
}

TEST(SizeTest, FollowsTheDocumentedFormula) {
  auto item = attributeMapFromJson(R"({
    "pk": {"S": "abc"},
    "n": {"N": "123"},
    "b": {"B": "AAEC"},
    "t": {"BOOL": true},
    "z": {"NULL": true},
    "ss": {"SS": ["ab", "c"]},
    "m": {"M": {"k": {"S": "vv"}}},
    "l": {"L": [{"N": "1"}, {"S": "x"}]}
  })");
  ASSERT_TRUE(item.ok());
  // pk: 2+3; n: 1+3 (3 digits -> 2+1); b: 1+3; t: 1+1; z: 1+1; ss: 2+3;
  // m: 1 + (3 + 1 + 2 + 1); l: 1 + (3 + (2+1) + (1+1))
  size_t expected = 5 + 4 + 4 + 2 + 2 + 5 + (1 + 7) + (1 + 8);
  EXPECT_EQ(itemSize(*item), expected);
}

}  // namespace
}  // namespace cdnlab::store
