// A small result type for the data path: errors are values, never exceptions (docs/style.md, Errors).
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace cdnlab {

struct Error {
  int code = 0;         // component-specific (e.g. an HTTP status, a negative libuv code)
  std::string message;  // for humans: says what was wrong and where
};

template <typename T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}
  Result(Error err) : v_(std::move(err)) {}
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() { return std::get<0>(v_); }
  const T& value() const { return std::get<0>(v_); }
  T& operator*() { return value(); }
  T* operator->() { return &value(); }
  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

}  // namespace cdnlab
