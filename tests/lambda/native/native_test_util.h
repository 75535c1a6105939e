// Test helpers for the native runtime: a Post that queues completions for the test thread, so
// a test can assert "never inside invoke()" and wait with a bound instead of sleeping.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>

#include "lambda/native/worker_pool.h"

namespace cdnlab::lambda::native::testing {

class TestLoop {
 public:
  Post poster() {
    return [this](std::function<void()> fn) {
      std::lock_guard<std::mutex> lock(mu_);
      if (closed_) return false;
      posted_.push_back(std::move(fn));
      cv_.notify_all();
      return true;
    };
  }
  // Runs posted functions on this thread until `n` have run or `limit` passes; returns how many ran.
  int run(int n, std::chrono::milliseconds limit = std::chrono::seconds(10)) {
    auto until = std::chrono::steady_clock::now() + limit;
    int ran = 0;
    while (ran < n) {
      std::function<void()> fn;
      {
        std::unique_lock<std::mutex> lock(mu_);
        if (!cv_.wait_until(lock, until, [&] { return !posted_.empty(); })) break;
        fn = std::move(posted_.front());
        posted_.pop_front();
      }
      fn();
      ++ran;
    }
    return ran;
  }
  void close() {
    std::lock_guard<std::mutex> lock(mu_);
    closed_ = true;
  }
  size_t pending() {
    std::lock_guard<std::mutex> lock(mu_);
    return posted_.size();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> posted_;
  bool closed_ = false;
};

}  // namespace cdnlab::lambda::native::testing
