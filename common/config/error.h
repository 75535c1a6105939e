// Config errors: every problem found while loading a YAML config names the file, the line and
// column, and the dotted field path, so a user can jump straight to it (docs/style.md, Config).
#pragma once

#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace cdnlab::config {

struct ConfigError {
  std::string file;   // as the user named it (e.g. "configs/x.yaml"), or "<embedded>"
  int line = 0;       // 1-based; 0 when unknown (e.g. the file could not be opened)
  int column = 0;     // 1-based; 0 when unknown
  std::string field;  // dotted path such as "pops[2].capacity"; empty for document-level errors
  std::string message;

  // "configs/x.yaml:12:5: pops[2].capacity: must be > 0 (got -1)"
  std::string str() const;
};

// All errors of one load, one per line, in document order.
std::string formatErrors(const std::vector<ConfigError>& errors);

// The outcome of loading something from a config: a value or at least one error.
template <typename T>
class Parsed {
 public:
  Parsed(T value) : v_(std::move(value)) {}
  Parsed(std::vector<ConfigError> errors) : v_(std::move(errors)) {}
  Parsed(ConfigError error) : v_(std::vector<ConfigError>{std::move(error)}) {}
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() { return std::get<0>(v_); }
  const T& value() const { return std::get<0>(v_); }
  T& operator*() { return value(); }
  const T& operator*() const { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const std::vector<ConfigError>& errors() const { return std::get<1>(v_); }

 private:
  std::variant<T, std::vector<ConfigError>> v_;
};

}  // namespace cdnlab::config
