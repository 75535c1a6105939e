// The config reader: typed reads, defaults and ranges, and that every error kind names the file,
// the line and column, and the dotted field path.
#include "common/config/reader.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

namespace cdnlab::config {
namespace {

using namespace std::chrono_literals;

// Loads `yaml` as file "t.yaml", runs `read` on the root and returns the errors.
template <typename F>
std::vector<ConfigError> errorsOf(const std::string& yaml, F read) {
  auto doc = Document::parseString(yaml, "t.yaml");
  if (!doc) return doc.errors();
  Object root = doc->root();
  read(root);
  return doc->finish();
}

void expectOneError(const std::vector<ConfigError>& errs, int line, int column, const std::string& field,
                    const std::string& messagePart) {
  ASSERT_EQ(errs.size(), 1u) << formatErrors(errs);
  EXPECT_EQ(errs[0].file, "t.yaml");
  EXPECT_EQ(errs[0].line, line) << errs[0].str();
  EXPECT_EQ(errs[0].column, column) << errs[0].str();
  EXPECT_EQ(errs[0].field, field) << errs[0].str();
  EXPECT_NE(errs[0].message.find(messagePart), std::string::npos) << errs[0].str();
}

TEST(ConfigReaderTest, DeepNestingIsAnErrorNotAStackOverflow) {
  for (const std::string& yaml : {"a: " + std::string(200000, '[') + std::string(200000, ']') + "\n",
                                  "a: " + std::string(200000, '{') + "\n"}) {
    auto doc = Document::parseString(yaml, "t.yaml");
    ASSERT_FALSE(doc);
    ASSERT_EQ(doc.errors().size(), 1u);
    EXPECT_EQ(doc.errors()[0].file, "t.yaml");
  }
  auto deep = Document::parseString("a: " + std::string(200000, '[') + std::string(200000, ']') + "\n", "t.yaml");
  ASSERT_FALSE(deep);
  EXPECT_NE(deep.errors()[0].message.find("nested too deeply"), std::string::npos) << deep.errors()[0].str();
}

TEST(ConfigErrorTest, FormatsFileLineColumnFieldMessage) {
  ConfigError e{"configs/x.yaml", 12, 5, "pops[2].capacity", "must be > 0 (got -1)"};
  EXPECT_EQ(e.str(), "configs/x.yaml:12:5: pops[2].capacity: must be > 0 (got -1)");
  ConfigError noLine{"a.yaml", 0, 0, "", "cannot open config file"};
  EXPECT_EQ(noLine.str(), "a.yaml: cannot open config file");
}

TEST(Reader, ReadsEveryTypeWithDefaults) {
  const char* yaml = R"(
name: frankfurt
enabled: true
workers: 4
ratio: 0.25
policy: lru
capacity: 512MiB
timeout: 250ms
listen: 127.0.0.1:9000
tags: [a, b]
big: 10_000
)";
  auto doc = Document::parseString(yaml, "t.yaml");
  ASSERT_TRUE(doc.ok());
  Object r = doc->root();
  EXPECT_EQ(r.string("name"), "frankfurt");
  EXPECT_TRUE(r.boolean("enabled"));
  EXPECT_EQ(r.integer("workers", atLeast<std::int64_t>(1)), 4);
  EXPECT_DOUBLE_EQ(r.number("ratio", between(0.0, 1.0)), 0.25);
  EXPECT_EQ(r.choice("policy", {"lru", "fifo"}), "lru");
  EXPECT_EQ(r.bytes("capacity"), 512ull << 20);
  EXPECT_EQ(r.duration("timeout"), Duration(250ms));
  EXPECT_EQ(r.address("listen"), (HostPort{"127.0.0.1", 9000}));
  EXPECT_EQ(r.stringList("tags"), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(r.integer("big"), 10000);
  // Absent optional fields take their defaults.
  EXPECT_EQ(r.string("region", "eu"), "eu");
  EXPECT_FALSE(r.boolean("debug", false));
  EXPECT_EQ(r.integer("shards", 16, any<std::int64_t>()), 16);
  EXPECT_EQ(r.bytes("max_object", 1u << 20, any<std::uint64_t>()), 1u << 20);
  EXPECT_EQ(r.duration("idle", Duration(10s), any<Duration>()), Duration(10s));
  EXPECT_TRUE(doc->finish().empty());
}

TEST(Reader, WrongTypeNamesFieldAndExpectation) {
  auto errs = errorsOf("a: 1\nworkers: many\n", [](Object& r) {
    r.integer("a");
    r.integer("workers");
  });
  expectOneError(errs, 2, 10, "workers", "expected an integer, got \"many\"");
  errs = errorsOf("flag: maybe\n", [](Object& r) { r.boolean("flag"); });
  expectOneError(errs, 1, 7, "flag", "expected a boolean");
  errs = errorsOf("x: [1, 2]\n", [](Object& r) { r.number("x"); });
  expectOneError(errs, 1, 4, "x", "expected a number, got a list");
  errs = errorsOf("s: {a: 1}\n", [](Object& r) { r.string("s"); });
  expectOneError(errs, 1, 4, "s", "expected a string, got a mapping");
  errs = errorsOf("sub: 5\n", [](Object& r) { r.object("sub").integer("n"); });
  expectOneError(errs, 1, 6, "sub", "expected a mapping");
}

TEST(Reader, MissingRequiredFieldNamesItAtItsParent) {
  auto errs = errorsOf("catalog:\n  seed: 1\n", [](Object& r) {
    Object c = r.object("catalog");
    c.integer("seed");
    c.integer("objects", atLeast<std::int64_t>(1));
  });
  expectOneError(errs, 2, 3, "catalog.objects", "required integer is missing");
  errs = errorsOf("a: 1\n", [](Object& r) {
    r.integer("a");
    r.object("catalog");
  });
  expectOneError(errs, 1, 1, "catalog", "required section is missing");
}

TEST(Reader, OutOfRangeNamesBoundAndValue) {
  auto errs = errorsOf("pops:\n  - capacity: 1\n  - capacity: 2\n  - capacity: -1\n", [](Object& r) {
    for (Object p : r.objectList("pops")) p.integer("capacity", 1, greaterThan<std::int64_t>(0));
  });
  expectOneError(errs, 4, 15, "pops[2].capacity", "must be > 0 (got -1)");
  errs = errorsOf("ratio: 1.5\n", [](Object& r) { r.number("ratio", between(0.0, 1.0)); });
  expectOneError(errs, 1, 8, "ratio", "must be in [0, 1] (got 1.5)");
  errs = errorsOf("cap: 1KiB\n", [](Object& r) { r.bytes("cap", atLeast<std::uint64_t>(1 << 20)); });
  expectOneError(errs, 1, 6, "cap", "must be >= 1MiB (got 1KiB)");
  errs = errorsOf("t: 2h\n", [](Object& r) { r.duration("t", atMost(Duration(1h))); });
  expectOneError(errs, 1, 4, "t", "must be <= 1h (got 2h)");
}

TEST(Reader, BadUnitsNameTheField) {
  auto errs = errorsOf("cap: 12XB\n", [](Object& r) { r.bytes("cap"); });
  expectOneError(errs, 1, 6, "cap", "expected a byte size");
  errs = errorsOf("t: 10\n", [](Object& r) { r.duration("t"); });
  expectOneError(errs, 1, 4, "t", "missing unit");
  errs = errorsOf("listen: nowhere\n", [](Object& r) { r.address("listen"); });
  expectOneError(errs, 1, 9, "listen", "expected an address");
}

TEST(Reader, EnumListsAllowedValues) {
  auto errs = errorsOf("policy: lfru\n", [](Object& r) { r.choice("policy", {"lru", "fifo"}, "lru"); });
  expectOneError(errs, 1, 9, "policy", "expected one of lru, fifo, got \"lfru\"");
}

TEST(Reader, UnknownKeyIsAnErrorWithSuggestion) {
  auto errs = errorsOf("catalog:\n  objects: 5\n  sed: 3\n", [](Object& r) {
    Object c = r.object("catalog");
    c.integer("objects");
    c.integer("seed", 1, any<std::int64_t>());
  });
  expectOneError(errs, 3, 3, "catalog.sed", "unknown key (did you mean 'seed'?)");
  errs = errorsOf("zzz: 1\n", [](Object&) {});
  expectOneError(errs, 1, 1, "zzz", "unknown key");
  EXPECT_EQ(errs[0].message, "unknown key");
}

TEST(Reader, UnknownKeysInListItemsAndMaps) {
  const char* yaml = "regions:\n  eu:\n    share: 1\n    shar: 2\npops:\n  - name: a\n    nme: b\n";
  auto errs = errorsOf(yaml, [](Object& r) {
    for (auto& [name, o] : r.objectMap("regions")) o.integer("share");
    for (Object p : r.objectList("pops")) p.string("name");
  });
  ASSERT_EQ(errs.size(), 2u) << formatErrors(errs);
  EXPECT_EQ(errs[0].str(), "t.yaml:4:5: regions.eu.shar: unknown key (did you mean 'share'?)");
  EXPECT_EQ(errs[1].str(), "t.yaml:7:5: pops[0].nme: unknown key (did you mean 'name'?)");
}

TEST(Reader, AllowOtherKeysSkipsSectionsOwnedByOthers) {
  auto errs = errorsOf("catalog:\n  objects: 1\npops: []\n", [](Object& r) {
    r.object("catalog").integer("objects");
    r.allowOtherKeys();
  });
  EXPECT_TRUE(errs.empty()) << formatErrors(errs);
}

TEST(Reader, DuplicateKeyIsAnError) {
  auto errs = errorsOf("a: 1\na: 2\n", [](Object& r) { r.integer("a"); });
  expectOneError(errs, 2, 1, "a", "duplicate key");
}

TEST(Reader, SyntaxErrorHasLine) {
  auto errs = errorsOf("a: [1, 2\nb: 3\n", [](Object&) {});
  ASSERT_EQ(errs.size(), 1u);
  EXPECT_EQ(errs[0].file, "t.yaml");
  EXPECT_GT(errs[0].line, 0);
  EXPECT_NE(errs[0].message.find("YAML syntax error"), std::string::npos);
}

TEST(Reader, AllErrorsComeOutTogetherInDocumentOrder) {
  auto errs = errorsOf("a: x\nb: 1\nc: y\n", [](Object& r) {
    r.integer("c");
    r.integer("a");
  });
  ASSERT_EQ(errs.size(), 3u) << formatErrors(errs);
  EXPECT_EQ(errs[0].field, "a");
  EXPECT_EQ(errs[1].field, "b");
  EXPECT_EQ(errs[2].field, "c");
}

TEST(Reader, MistypedSectionReportsOnceNotPerField) {
  auto errs = errorsOf("catalog: 3\n", [](Object& r) {
    Object c = r.object("catalog");
    c.integer("objects");
    c.integer("seed");
  });
  expectOneError(errs, 1, 10, "catalog", "expected a mapping");
}

TEST(Reader, SilenceStopsACascadeAfterADecisiveError) {
  auto errs = errorsOf("d:\n  kind: zipf\n  alpha: 1\n", [](Object& r) {
    Object d = r.object("d");
    std::size_t before = d.errorCount();
    std::string kind = d.choice("kind", {"fixed", "uniform"});
    EXPECT_NE(d.errorCount(), before);
    d.silence();
    d.integer("value");  // would be "required integer is missing"
  });
  expectOneError(errs, 2, 9, "d.kind", "expected one of fixed, uniform");  // alpha: not reported either
}

TEST(Loader, FromFileNamesThePath) {
  auto path = std::filesystem::temp_directory_path() / "cdnlab_reader_test.yaml";
  {
    std::ofstream out(path);
    out << "objects: 10\nsize: -3\n";
  }
  auto loaded = loadFile(path.string(), [](Object& r) {
    return std::make_pair(r.integer("objects"), r.integer("size", 1, greaterThan<std::int64_t>(0)));
  });
  std::filesystem::remove(path);
  ASSERT_FALSE(loaded.ok());
  ASSERT_EQ(loaded.errors().size(), 1u);
  EXPECT_EQ(loaded.errors()[0].str(), path.string() + ":2:7: size: must be > 0 (got -3)");

  auto missing = loadFile("/nonexistent/x.yaml", [](Object& r) { return r.integer("a"); });
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.errors()[0].str(), "/nonexistent/x.yaml: cannot open config file");
}

TEST(Loader, FromStringReturnsValue) {
  auto loaded = loadString("n: 7\n", "<embedded>", [](Object& r) { return r.integer("n"); });
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(*loaded, 7);
  auto empty = loadString("", "<embedded>", [](Object& r) { return r.integer("n", 3, any<std::int64_t>()); });
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(*empty, 3);
}

}  // namespace
}  // namespace cdnlab::config
