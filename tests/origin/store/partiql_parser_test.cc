// The PartiQL parser (origin/store/partiql/parser.h): the statements DynamoDB's PartiQL reference
// documents, its quoting rules, its FROM-path rules and its envelope for malformed text; and no
// crash or unbounded recursion on hostile text.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "origin/store/partiql/parser.h"

namespace cdnlab::store::partiql {
namespace {

Statement parseOk(std::string_view text) {
  auto s = parseStatement(text);
  EXPECT_TRUE(s.ok()) << text << ": " << (s.ok() ? "" : s.error().message);
  return s.ok() ? std::move(*s) : Statement{};
}

std::string parseError(std::string_view text) {
  auto s = parseStatement(text);
  EXPECT_FALSE(s.ok()) << text;
  return s.ok() ? "" : s.error().message;
}

TEST(PartiqlParserTest, SelectWithProjectionQualifierAndWhere) {
  auto s = parseOk(R"(SELECT a, "b c".d[2], m.n FROM "Music"."GenreIndex" WHERE Artist = 'Acme' AND year >= ?)");
  EXPECT_EQ(s.kind, Statement::Kind::Select);
  EXPECT_EQ(s.table, "Music");
  ASSERT_TRUE(s.index.has_value());
  EXPECT_EQ(*s.index, "GenreIndex");
  ASSERT_EQ(s.projection.size(), 3u);
  EXPECT_EQ(s.projection[1].toString(), "b c.d[2]");
  EXPECT_EQ(s.params, 1u);
  ASSERT_TRUE(s.where);
  EXPECT_EQ(s.where->kind, Expr::Kind::And);

  auto star = parseOk("select * from Music");  // keywords in any case, bare table name
  EXPECT_TRUE(star.selectAll);
  EXPECT_FALSE(star.where);
}

TEST(PartiqlParserTest, DoubleQuotesNameAndSingleQuotesAreStrings) {
  auto s = parseOk(R"(SELECT * FROM "t" WHERE "it""s" = 'it''s')");
  const Expr& cmp = *s.where;
  ASSERT_EQ(cmp.kind, Expr::Kind::Compare);
  EXPECT_EQ(cmp.children[0]->kind, Expr::Kind::Path);
  EXPECT_EQ(cmp.children[0]->path.topLevel(), "it\"s");
  EXPECT_EQ(cmp.children[1]->kind, Expr::Kind::Literal);
  EXPECT_EQ(cmp.children[1]->value.s(), "it's");
}

TEST(PartiqlParserTest, InsertValueWithEveryLiteral) {
  auto s = parseOk(
      "INSERT INTO t VALUE {'pk': 'a', 'n': -1.5e2, 'b': true, 'z': null, 'ss': <<'x', 'y'>>, "
      "'l': [1, 'two', [3]], 'm': {'k': ?}}");
  EXPECT_EQ(s.kind, Statement::Kind::Insert);
  ASSERT_TRUE(s.value);
  EXPECT_EQ(s.value->kind, Expr::Kind::MapCtor);
  EXPECT_EQ(s.value->children.size(), 14u);  // seven keys, seven values
  EXPECT_EQ(s.value->children[3]->value.n().toString(), "-150");
  EXPECT_EQ(s.params, 1u);
}

TEST(PartiqlParserTest, UpdateSetRemoveAndReturning) {
  auto s = parseOk("UPDATE t SET a = a + 1, b = list_append(b, [2]) SET c = 'x' REMOVE d, e[0] "
                   "WHERE pk = 'k' AND attribute_exists(a) RETURNING MODIFIED NEW *");
  EXPECT_EQ(s.kind, Statement::Kind::Update);
  ASSERT_EQ(s.actions.size(), 5u);
  EXPECT_FALSE(s.actions[0].remove);
  EXPECT_EQ(s.actions[0].value->kind, Expr::Kind::Add);
  EXPECT_TRUE(s.actions[3].remove);
  EXPECT_EQ(s.actions[4].path.toString(), "e[0]");
  EXPECT_EQ(s.returning, Statement::Returning::ModifiedNew);
  EXPECT_EQ(s.returningText, "RETURNING MODIFIED NEW *");
}

TEST(PartiqlParserTest, DeleteAndExists) {
  auto d = parseOk("DELETE FROM t WHERE pk = 'k' RETURNING ALL OLD *");
  EXPECT_EQ(d.kind, Statement::Kind::Delete);
  EXPECT_EQ(d.returning, Statement::Returning::AllOld);
  auto e = parseOk("EXISTS(SELECT * FROM t WHERE pk = 'k' AND v = 1)");
  EXPECT_EQ(e.kind, Statement::Kind::Exists);
  ASSERT_TRUE(e.inner);
  EXPECT_EQ(e.inner->table, "t");
}

TEST(PartiqlParserTest, ConditionGrammar) {
  auto s = parseOk("SELECT * FROM t WHERE NOT a BETWEEN 1 AND 5 OR b IN [1, 2] AND c IS NOT MISSING "
                   "AND begins_with(d, 'x') AND size(e) > 2 AND f <> 'y' AND g NOT IN ('p')");
  ASSERT_EQ(s.where->kind, Expr::Kind::Or);  // AND binds tighter than OR
  EXPECT_EQ(s.where->children[0]->kind, Expr::Kind::Not);
  EXPECT_EQ(s.where->children[0]->children[0]->kind, Expr::Kind::Between);
}

TEST(PartiqlParserTest, FromPathRules) {
  EXPECT_EQ(parseError(R"(SELECT * FROM "t"."i"."x")"), "A path may contain at most 2 components in the FROM clause");
  EXPECT_EQ(parseError(R"(SELECT * FROM "t"."")"), "Path component cannot be an empty string");
  EXPECT_EQ(parseError(R"(SELECT * FROM "" WHERE pk = 'x')"), "Path component cannot be an empty string");
}

TEST(PartiqlParserTest, MalformedStatementsCarryDynamoDbsEnvelope) {
  const char* bad[] = {
      "SELECTT * FROMM t", "SELECT * FROM \"t", "SELECT * FROM t WHERE a = 'x", "SELECT * FROM t WHERE",
      "INSERT INTO t VALUES {'a': 1}", "UPDATE t WHERE pk = 'a'", "DELETE FROM t", "SELECT * FROM t WHERE a = #",
      "SELECT * FROM t WHERE (a = 1", "SELECT * FROM t trailing", "", "   ",
  };
  for (const char* text : bad)
    EXPECT_TRUE(parseError(text).starts_with("Statement wasn't well formed, can't be processed")) << text;
}

TEST(PartiqlParserTest, NestingIsBoundedNotRecursedWithoutLimit) {
  std::string deep = "SELECT * FROM t WHERE " + std::string(10000, '(') + "a = 1" + std::string(10000, ')');
  EXPECT_TRUE(parseError(deep).starts_with("Statement wasn't well formed"));
  std::string nots = "SELECT * FROM t WHERE ";
  for (int i = 0; i < 5000; ++i) nots += "NOT ";
  nots += "a = 1";
  EXPECT_FALSE(parseStatement(nots).ok());
  std::string lists = "INSERT INTO t VALUE {'a': " + std::string(5000, '[') + std::string(5000, ']') + "}";
  EXPECT_FALSE(parseStatement(lists).ok());
  // Within the bound, nesting parses.
  std::string fine = "SELECT * FROM t WHERE " + std::string(20, '(') + "a = 1" + std::string(20, ')');
  parseOk(fine);
}

TEST(PartiqlParserTest, ArbitraryBytesNeverCrash) {
  std::mt19937 rng(7);
  const std::string alphabet = "SELECT*FROMWHEREINSERTVALUEUPDATESETREMOVEDELETE \"'?<>=!()[]{},.:+-0123456789\x01\xff";
  for (int i = 0; i < 20000; ++i) {
    std::string text;
    size_t n = rng() % 64;
    for (size_t j = 0; j < n; ++j) text.push_back(rng() % 4 ? alphabet[rng() % alphabet.size()] : static_cast<char>(rng()));
    (void)parseStatement(text);
  }
}

}  // namespace
}  // namespace cdnlab::store::partiql
