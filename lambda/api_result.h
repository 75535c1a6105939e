// ApiResult<T>: a value or the ApiError the Lambda API answers with (the management and Invoke
// handlers' one error channel; no exceptions on the request path).
#pragma once

#include <utility>
#include <variant>

#include "lambda/api_error.h"

namespace cdnlab::lambda {

template <typename T>
class ApiResult {
 public:
  ApiResult(T value) : v_(std::move(value)) {}
  ApiResult(ApiError err) : v_(std::move(err)) {}
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& operator*() { return std::get<0>(v_); }
  T* operator->() { return &std::get<0>(v_); }
  const ApiError& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, ApiError> v_;
};

}  // namespace cdnlab::lambda
