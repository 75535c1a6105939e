// Seed files for `cdnlab up`'s tables (bench/run/seed_items.h): JSON and CSV to DynamoDB items,
// key attributes checked, mistakes named by file and line.
#include "bench/run/seed_items.h"

#include <gtest/gtest.h>

namespace cdnlab::bench::run {
namespace {

geo::TableSpec table() {
  geo::TableSpec t;
  t.name = "products";
  t.key = {"id", "rank"};
  t.attributes = {{"id", "S"}, {"rank", "N"}};
  return t;
}

TEST(SeedItems, JsonValuesBecomeAttributeValues) {
  auto items = seedItemsFromJson(
      R"([{"id": "p1", "rank": 1.50, "ok": true, "none": null, "tags": ["a", 2], "dims": {"w": 3}}])", "s.json", table());
  ASSERT_TRUE(items.ok()) << items.error().message;
  ASSERT_EQ(items->size(), 1u);
  EXPECT_EQ((*items)[0],
            R"({"id":{"S":"p1"},"rank":{"N":"1.50"},"ok":{"BOOL":true},"none":{"NULL":true},)"
            R"("tags":{"L":[{"S":"a"},{"N":"2"}]},"dims":{"M":{"w":{"N":"3"}}}})");
}

TEST(SeedItems, JsonMistakes) {
  auto bad = seedItemsFromJson("[{\"id\": \"p1\",\n \"rank\": }]", "s.json", table());
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message.rfind("s.json:2: ", 0), 0u) << bad.error().message;
  auto notArray = seedItemsFromJson(R"({"id": "p1"})", "s.json", table());
  ASSERT_FALSE(notArray.ok());
  EXPECT_NE(notArray.error().message.find("array"), std::string::npos);
  auto noKey = seedItemsFromJson(R"([{"id": "p1"}])", "s.json", table());
  ASSERT_FALSE(noKey.ok());
  EXPECT_NE(noKey.error().message.find("missing the key attribute \"rank\""), std::string::npos);
  auto wrongType = seedItemsFromJson(R"([{"id": 7, "rank": 1}])", "s.json", table());
  ASSERT_FALSE(wrongType.ok());
  EXPECT_NE(wrongType.error().message.find("must be of type S"), std::string::npos);
}

TEST(SeedItems, CsvTypesQuotesAndEmptyFields) {
  auto items = seedItemsFromCsv("id,rank,name,price:N,sale:BOOL\r\n"
                                "p1,2,\"Lamp, \"\"red\"\"\",9.99,true\r\n"
                                "p2,3,,1e3,\n",
                                "s.csv", table());
  ASSERT_TRUE(items.ok()) << items.error().message;
  ASSERT_EQ(items->size(), 2u);
  EXPECT_EQ((*items)[0], R"({"id":{"S":"p1"},"rank":{"N":"2"},"name":{"S":"Lamp, \"red\""},"price":{"N":"9.99"},"sale":{"BOOL":true}})");
  EXPECT_EQ((*items)[1], R"({"id":{"S":"p2"},"rank":{"N":"3"},"price":{"N":"1e3"}})");
}

TEST(SeedItems, CsvMistakesNameTheLine) {
  auto notNumber = seedItemsFromCsv("id,rank\np1,1\np2,two\n", "s.csv", table());
  ASSERT_FALSE(notNumber.ok());
  EXPECT_EQ(notNumber.error().message, "s.csv:3: column \"rank\": \"two\" is not a number");
  auto fields = seedItemsFromCsv("id,rank\np1,1,extra\n", "s.csv", table());
  ASSERT_FALSE(fields.ok());
  EXPECT_EQ(fields.error().message, "s.csv:2: 3 fields, the header has 2");
  auto open = seedItemsFromCsv("id,rank\n\"p1,1\n", "s.csv", table());
  ASSERT_FALSE(open.ok());
  EXPECT_NE(open.error().message.find("not closed"), std::string::npos);
  auto noKey = seedItemsFromCsv("id,rank\np1,\n", "s.csv", table());
  ASSERT_FALSE(noKey.ok());
  EXPECT_NE(noKey.error().message.find("s.csv:2: missing the key attribute \"rank\""), std::string::npos);
  auto badType = seedItemsFromCsv("id,rank,x:DATE\n", "s.csv", table());
  ASSERT_FALSE(badType.ok());
  EXPECT_NE(badType.error().message.find("type must be S, N or BOOL"), std::string::npos);
}

}  // namespace
}  // namespace cdnlab::bench::run
