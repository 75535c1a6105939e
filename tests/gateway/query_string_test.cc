// parseQueryParameters / queryValues: the one query-string walk behind the events, the REST
// mapping sources, the authorizers and HTTP API parameter mapping.
#include "gateway/routing/query_string.h"

#include <gtest/gtest.h>

namespace cdnlab::gateway {
namespace {

using Values = std::vector<std::string>;

TEST(QueryString, GroupsValuesByNameInArrivalOrder) {
  QueryParameters p = parseQueryParameters("b=2&a=1&b=3&c", PlusSign::kLiteral);
  ASSERT_EQ(p.size(), 3u);
  EXPECT_EQ(p[0].first, "b");
  EXPECT_EQ(p[0].second, (Values{"2", "3"}));
  EXPECT_EQ(p[1].first, "a");
  EXPECT_EQ(p[1].second, (Values{"1"}));
  EXPECT_EQ(p[2].first, "c");
  EXPECT_EQ(p[2].second, (Values{""}));
}

TEST(QueryString, DecodesNamesAndValues) {
  QueryParameters p = parseQueryParameters("na%6De=a%20b%26c&x=%zz%4", PlusSign::kLiteral);
  ASSERT_NE(queryValues(p, "name"), nullptr);
  EXPECT_EQ(*queryValues(p, "name"), (Values{"a b&c"}));
  EXPECT_EQ(*queryValues(p, "x"), (Values{"%zz%4"}));  // invalid escapes stay as written
}

TEST(QueryString, PlusIsLiteralOrASpaceAsAsked) {
  QueryParameters literal = parseQueryParameters("q=a+b%2Bc&a+b=1", PlusSign::kLiteral);
  EXPECT_EQ(*queryValues(literal, "q"), (Values{"a+b+c"}));
  EXPECT_NE(queryValues(literal, "a+b"), nullptr);
  QueryParameters spaced = parseQueryParameters("q=a+b%2Bc&a+b=1", PlusSign::kSpace);
  EXPECT_EQ(*queryValues(spaced, "q"), (Values{"a b+c"}));  // an encoded plus stays a plus
  EXPECT_NE(queryValues(spaced, "a b"), nullptr);
}

TEST(QueryString, EmptyPairsAreNoParameter) {
  EXPECT_TRUE(parseQueryParameters("", PlusSign::kLiteral).empty());
  EXPECT_TRUE(parseQueryParameters("&&&", PlusSign::kLiteral).empty());
  QueryParameters p = parseQueryParameters("&a=1&&=v&", PlusSign::kLiteral);
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(*queryValues(p, "a"), (Values{"1"}));
  EXPECT_EQ(*queryValues(p, ""), (Values{"v"}));  // "=v" names nothing but is a pair
}

TEST(QueryString, MissingNameHasNoValues) {
  QueryParameters p = parseQueryParameters("a=1", PlusSign::kLiteral);
  EXPECT_EQ(queryValues(p, "b"), nullptr);
  EXPECT_EQ(queryValues(p, "A"), nullptr);  // names are case-sensitive
}

}  // namespace
}  // namespace cdnlab::gateway
