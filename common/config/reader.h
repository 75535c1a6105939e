// The config reader: a thin layer over a yaml-cpp document that every component's config loader
// uses. Loading is parse (Document::parseFile / parseString) -> read typed fields through Object
// (each read declares the field's type, default and range in one place) -> Document::finish()
// (reports every key that nobody read as unknown, so typos are errors) -> the caller builds its
// immutable config struct. Errors never throw: they are collected with file, line, column and
// the dotted field path, and reads that fail return the default so one load reports them all.
//
// Threading: a Document and its Objects are used by one thread during loading, then dropped.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "common/config/error.h"
#include "common/config/units.h"

namespace cdnlab::config {

// Allowed range of a numeric field; unset ends are open. Build with the helpers below.
template <typename T>
struct Range {
  std::optional<T> min;
  std::optional<T> max;
  bool minExclusive = false;
  bool maxExclusive = false;
};
template <typename T> Range<T> any() { return {}; }
template <typename T> Range<T> atLeast(T v) { return {v, std::nullopt, false, false}; }
template <typename T> Range<T> greaterThan(T v) { return {v, std::nullopt, true, false}; }
template <typename T> Range<T> atMost(T v) { return {std::nullopt, v, false, false}; }
template <typename T> Range<T> between(T lo, T hi) { return {lo, hi, false, false}; }

enum class Presence { Required, Optional };

namespace detail {
struct State;
}

// One YAML mapping of the document, at a dotted path. Every getter marks its key as read.
// Getters with a `def` argument are optional (absent -> def); those without are required.
// A wrong type, a value out of range or a missing required key adds an error and returns the
// default (or a zero value), so the caller keeps reading and all errors come out at once.
class Object {
 public:
  const std::string& path() const;  // "" for the root, "pops[2]", "catalog.size"
  std::string fieldPath(std::string_view key) const;
  bool has(std::string_view key) const;
  // Keys present in this mapping, in document order (for maps keyed by name).
  std::vector<std::string> keys() const;
  // The YAML shape of `key`'s value, for fields that take more than one form (a keyword or a
  // list, say). Does not mark the key as read.
  enum class Shape { Absent, Scalar, List, Mapping };
  Shape shape(std::string_view key) const;

  std::string string(std::string_view key);
  std::string string(std::string_view key, std::string def);
  bool boolean(std::string_view key);
  bool boolean(std::string_view key, bool def);
  std::int64_t integer(std::string_view key, Range<std::int64_t> range = {});
  std::int64_t integer(std::string_view key, std::int64_t def, Range<std::int64_t> range);
  double number(std::string_view key, Range<double> range = {});
  double number(std::string_view key, double def, Range<double> range);
  // One of `allowed` (exact match); the error lists them.
  std::string choice(std::string_view key, const std::vector<std::string>& allowed);
  std::string choice(std::string_view key, const std::vector<std::string>& allowed, std::string def);
  std::uint64_t bytes(std::string_view key, Range<std::uint64_t> range = {});
  std::uint64_t bytes(std::string_view key, std::uint64_t def, Range<std::uint64_t> range);
  Duration duration(std::string_view key, Range<Duration> range = {});
  Duration duration(std::string_view key, Duration def, Range<Duration> range);
  HostPort address(std::string_view key);
  HostPort address(std::string_view key, HostPort def);
  std::vector<std::string> stringList(std::string_view key, Presence presence = Presence::Required);

  // Sub-objects. A missing required one is an error and reads as an empty mapping.
  Object object(std::string_view key);
  std::optional<Object> optionalObject(std::string_view key);
  // A YAML sequence of mappings ("pops: [{...}, {...}]"), paths "key[i]".
  std::vector<Object> objectList(std::string_view key, Presence presence = Presence::Required);
  // A YAML mapping of name -> mapping ("regions: {eu: {...}}"), paths "key.name".
  std::vector<std::pair<std::string, Object>> objectMap(std::string_view key,
                                                        Presence presence = Presence::Required);

  // Cross-field validation after reading: an error at `key`'s value (or at this mapping if the
  // key is absent), or at this mapping itself.
  void fail(std::string_view key, std::string message);
  void failHere(std::string message);
  // This mapping is shared with readers of other sections (e.g. the root of configs/catalog.yaml
  // read by `cdnlab origin`, which only owns `catalog:`): do not report its unread keys.
  void allowOtherKeys();
  // Errors recorded so far in the whole document: compare before and after a read to learn
  // whether it failed (e.g. an unknown `kind:` that decides which other keys exist).
  std::size_t errorCount() const;
  // Report nothing more for this mapping, not even unknown keys: after an error that makes the
  // rest of it meaningless (one error is clearer than a cascade).
  void silence();

 private:
  friend class Document;
  Object(std::shared_ptr<detail::State> state, std::size_t index) : s_(std::move(state)), i_(index) {}
  // The scalar under `key`, or nullopt if absent (reported when required) or not a scalar
  // (always reported).
  std::optional<YAML::Node> scalar(std::string_view key, bool required, const char* expected);
  std::optional<YAML::Node> find(std::string_view key);
  Object child(const YAML::Node& node, std::string path, bool required);
  void report(const YAML::Node& at, std::string field, std::string message);

  std::shared_ptr<detail::State> s_;
  std::size_t i_;
};

class Document {
 public:
  // `name` is how errors name the file; parse errors come back as ConfigErrors.
  static Parsed<Document> parseFile(const std::string& path);
  static Parsed<Document> parseString(std::string_view text, std::string name = "<embedded>");
  // A document over a node parsed elsewhere (it keeps its line marks): `root` must be a mapping.
  static Parsed<Document> fromNode(YAML::Node root, std::string name);

  const std::string& name() const;
  Object root();
  // Call once after all reads: adds an error for every key nobody read (with a suggestion for
  // near misses) and returns every error, in document order; empty means the config is valid.
  std::vector<ConfigError> finish();

 private:
  explicit Document(std::shared_ptr<detail::State> s) : s_(std::move(s)) {}
  std::shared_ptr<detail::State> s_;
};

// parse -> read -> finish in one call: `read(Object root)` returns the config struct.
template <typename Read>
auto loadFile(const std::string& path, Read read) -> Parsed<decltype(read(std::declval<Object&>()))> {
  auto doc = Document::parseFile(path);
  if (!doc) return doc.errors();
  Object root = doc->root();
  auto value = read(root);
  auto errors = doc->finish();
  if (!errors.empty()) return errors;
  return value;
}

template <typename Read>
auto loadString(std::string_view text, std::string name, Read read)
    -> Parsed<decltype(read(std::declval<Object&>()))> {
  auto doc = Document::parseString(text, std::move(name));
  if (!doc) return doc.errors();
  Object root = doc->root();
  auto value = read(root);
  auto errors = doc->finish();
  if (!errors.empty()) return errors;
  return value;
}

}  // namespace cdnlab::config
