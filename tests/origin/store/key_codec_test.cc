// Key encoding: byte order of encoded keys must equal DynamoDB's order (property-style over
// random numbers and strings; the seed is printed so a failure can be replayed).
#include "origin/store/key_codec.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <random>

#include "origin/store/crc32.h"
#include "origin/store/model/number.h"

namespace cdnlab::store {
namespace {

std::string enc(KeyType t, const std::string& v) {
  std::string out;
  EXPECT_TRUE(appendKeyComponent(out, KeyValue{t, v}).ok()) << v;
  return out;
}

TEST(KeyCodec, NumbersOrderLikeDecimals) {
  const char* sorted[] = {"-1E+125", "-100", "-10.5", "-10", "-9.99", "-1", "-0.123", "-0.12", "-0.0001", "0",
                          "1E-130", "0.0001", "0.12", "0.123", "1", "1.5", "9.99", "10", "10.5", "100", "1E+125"};
  for (size_t i = 0; i + 1 < std::size(sorted); ++i)
    EXPECT_LT(enc(KeyType::N, sorted[i]), enc(KeyType::N, sorted[i + 1])) << sorted[i] << " vs " << sorted[i + 1];
}

TEST(KeyCodec, EqualNumbersEncodeEqually) {
  EXPECT_EQ(enc(KeyType::N, "1"), enc(KeyType::N, "1.0"));
  EXPECT_EQ(enc(KeyType::N, "100"), enc(KeyType::N, "1E2"));
  EXPECT_EQ(enc(KeyType::N, "0"), enc(KeyType::N, "-0.000"));
  EXPECT_EQ(enc(KeyType::N, "0.5"), enc(KeyType::N, ".5"));
}

TEST(KeyCodec, RejectsNonNumbers) {
  std::string out;
  EXPECT_FALSE(appendNumberKey(out, "abc").ok());
  EXPECT_FALSE(appendNumberKey(out, "1e").ok());
  EXPECT_FALSE(appendNumberKey(out, "").ok());
}

TEST(KeyCodec, RandomNumbersSortNumerically) {
  uint64_t seed = std::random_device{}();
  std::printf("seed %llu\n", static_cast<unsigned long long>(seed));
  std::mt19937_64 rng(seed);
  std::vector<std::string> texts;
  for (int i = 0; i < 2000; ++i) {
    std::string s;
    if (rng() % 2) s += '-';
    int digits = 1 + static_cast<int>(rng() % 20);
    for (int d = 0; d < digits; ++d) s += static_cast<char>('0' + rng() % 10);
    if (rng() % 2) s.insert(s.size() - static_cast<size_t>(rng() % digits), ".");
    if (rng() % 3 == 0) s += "E" + std::to_string(static_cast<int>(rng() % 40) - 20);
    if (s.back() == '.' || s.front() == '.' || (s[0] == '-' && s[1] == '.')) s.insert(s.find('.'), "0");
    texts.push_back(s);
  }
  std::vector<std::pair<Number, std::string>> v;
  for (auto& t : texts) {
    auto n = Number::parse(t);
    if (n.ok()) v.emplace_back(*n, enc(KeyType::N, t));
  }
  ASSERT_GT(v.size(), 1000u);
  for (size_t i = 0; i + 1 < v.size(); ++i) {
    auto& a = v[i];
    auto& b = v[i + 1];
    auto numeric = a.first <=> b.first;
    auto bytes = a.second <=> b.second;
    EXPECT_EQ(numeric, bytes) << a.first.toString() << " vs " << b.first.toString() << " (seed " << seed << ")";
  }
}

TEST(KeyCodec, RandomStringsKeepByteOrderAndPrefixOrder) {
  uint64_t seed = std::random_device{}();
  std::printf("seed %llu\n", static_cast<unsigned long long>(seed));
  std::mt19937_64 rng(seed);
  for (int i = 0; i < 5000; ++i) {
    std::string a, b;
    for (int n = static_cast<int>(rng() % 6); n > 0; --n) a.push_back(static_cast<char>(rng() % 4));  // many 0x00s
    for (int n = static_cast<int>(rng() % 6); n > 0; --n) b.push_back(static_cast<char>(rng() % 4));
    auto raw = std::string_view(a).compare(b);
    std::string ea = enc(KeyType::S, a), eb = enc(KeyType::S, b);
    EXPECT_EQ(raw < 0, ea < eb) << "seed " << seed;
    EXPECT_EQ(raw == 0, ea == eb) << "seed " << seed;
    // Self-delimiting: a component followed by anything still sorts by the component first.
    if (raw < 0) {
      EXPECT_LT(ea + "\xff\xff", eb + std::string(1, '\0')) << "seed " << seed;
    }
  }
}

TEST(KeyCodec, PrefixSuccessor) {
  EXPECT_EQ(prefixSuccessor("ab"), "ac");
  EXPECT_EQ(prefixSuccessor(std::string("a\xff", 2)), "b");
  EXPECT_EQ(prefixSuccessor("\xff"), "");
}

TEST(Crc32, MatchesZlib) {
  EXPECT_EQ(crc32("123456789"), 0xCBF43926u);
  EXPECT_EQ(crc32(""), 0u);
  EXPECT_EQ(crc32("{}"), 2745614147u);  // what DynamoDB sends for an empty JSON body
}

TEST(KeyCodec, MultiAttributePartitionPrefix) {
  // One value: the single-attribute prefix, so entries written before multi-attribute keys read the same.
  KeyValue a{KeyType::S, "acme"};
  KeyValue n{KeyType::N, "1"};
  EXPECT_EQ(*partitionPrefix("x", std::vector<KeyValue>{a}), *partitionPrefix("x", a));
  // A tuple holds each value escaped in order: ("ab", "c") and ("a", "bc") are other partitions.
  auto ab = partitionPrefix("x", std::vector<KeyValue>{{KeyType::S, "ab"}, {KeyType::S, "c"}});
  auto a_bc = partitionPrefix("x", std::vector<KeyValue>{{KeyType::S, "a"}, {KeyType::S, "bc"}});
  ASSERT_TRUE(ab.ok() && a_bc.ok());
  EXPECT_NE(*ab, *a_bc);
  auto tuple = partitionPrefix("x", std::vector<KeyValue>{a, n});
  ASSERT_TRUE(tuple.ok());
  std::string tail;
  ASSERT_TRUE(appendKeyComponent(tail, a).ok());
  ASSERT_TRUE(appendKeyComponent(tail, n).ok());
  EXPECT_EQ(tuple->substr(3), tail);  // "x", the 16-bit hash, then the escaped values
  EXPECT_FALSE(partitionPrefix("x", std::vector<KeyValue>{a, {KeyType::N, "not a number"}}).ok());
}

}  // namespace
}  // namespace cdnlab::store
