// writeJsonString (model/json_string.h) writes exactly what RapidJSON's Writer::String writes, as a
// value and as a member name, for every byte in every position of a sixteen-byte block.
#include "origin/store/model/json_string.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace cdnlab::store {
namespace {

// The same document written both ways: [s, {s: s}].
std::pair<std::string, std::string> bothWays(std::string_view s) {
  rapidjson::StringBuffer a, b;
  JsonWriter wa(a), wb(b);
  const auto n = static_cast<rapidjson::SizeType>(s.size());
  wa.StartArray();
  wa.String(s.data(), n);
  wa.StartObject();
  wa.Key(s.data(), n);
  wa.String(s.data(), n);
  wa.EndObject();
  wa.EndArray();
  wb.StartArray();
  writeJsonString(wb, s);
  wb.StartObject();
  writeJsonString(wb, s);
  writeJsonString(wb, s);
  wb.EndObject();
  wb.EndArray();
  EXPECT_TRUE(wb.IsComplete());
  return {std::string(a.GetString(), a.GetSize()), std::string(b.GetString(), b.GetSize())};
}

TEST(JsonString, EveryByteAtEveryOffsetWritesAsWriterString) {
  for (int byte = 0; byte < 256; ++byte) {
    for (size_t at : {0u, 1u, 7u, 15u, 16u, 17u, 31u, 39u}) {
      std::string s(40, 'a');
      s[at] = static_cast<char>(byte);
      auto [expected, got] = bothWays(s);
      ASSERT_EQ(got, expected) << "byte " << byte << " at " << at;
      const bool escaped = byte < 0x20 || byte == '"' || byte == '\\';
      EXPECT_EQ(jsonStringNeedsEscape(s), escaped) << "byte " << byte << " at " << at;
    }
  }
}

TEST(JsonString, EmptyShortLongAndUtf8) {
  for (std::string s : {std::string(), std::string("x"), std::string(1000, 'y'), std::string("caf\xc3\xa9 \xf0\x9f\x98\x80"),
                        std::string("a\0b", 3), std::string(100, 'z') + "\"", std::string("tab\there")}) {
    auto [expected, got] = bothWays(s);
    EXPECT_EQ(got, expected);
  }
  std::mt19937 rng(11);
  for (int round = 0; round < 2000; ++round) {
    std::string s(rng() % 70, ' ');
    for (auto& c : s) c = static_cast<char>(rng() % 4 == 0 ? rng() % 256 : 'a' + rng() % 26);
    auto [expected, got] = bothWays(s);
    ASSERT_EQ(got, expected);
  }
}

}  // namespace
}  // namespace cdnlab::store
