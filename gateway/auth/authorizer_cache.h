// AuthorizerCache: Lambda authorizer answers kept for the authorizer's authorizerResultTtlInSeconds,
// keyed by API, authorizer and the identity source values (as API Gateway caches them), shared by
// every worker. A policy answer is cached whole and checked against each request's route ARN, so
// one cached answer serves every route it allows. Bounded: past `maxEntries`, expired entries go
// first and then the oldest half.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "gateway/auth/lambda_authorizer.h"

namespace cdnlab::gateway {

class AuthorizerCache {
 public:
  explicit AuthorizerCache(size_t maxEntries = 10000) : max_(maxEntries) {}

  std::shared_ptr<const AuthorizerVerdict> get(const std::string& key, int64_t nowNs);
  void put(const std::string& key, std::shared_ptr<const AuthorizerVerdict> v, int64_t expiresNs, int64_t nowNs);
  size_t size() const;

  // "<apiId>\n<authorizerId>\n<authorizerUri>\n<value>\0<value>..." (the URI so an edited
  // authorizer does not serve answers of the function it had before).
  static std::string keyOf(const std::string& apiId, const Authorizer& az, const std::vector<std::string>& identity);

 private:
  struct Entry {
    std::shared_ptr<const AuthorizerVerdict> verdict;
    int64_t expiresNs = 0;
    uint64_t seq = 0;
  };
  void evict(int64_t nowNs);

  size_t max_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;
  uint64_t seq_ = 0;
};

}  // namespace cdnlab::gateway
