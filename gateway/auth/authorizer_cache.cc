// Lambda authorizer result cache (see authorizer_cache.h).
#include "gateway/auth/authorizer_cache.h"

#include <algorithm>
#include <vector>

namespace cdnlab::gateway {

std::shared_ptr<const AuthorizerVerdict> AuthorizerCache::get(const std::string& key, int64_t nowNs) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(key);
  if (it == entries_.end()) return nullptr;
  if (it->second.expiresNs <= nowNs) {
    entries_.erase(it);
    return nullptr;
  }
  return it->second.verdict;
}

void AuthorizerCache::put(const std::string& key, std::shared_ptr<const AuthorizerVerdict> v, int64_t expiresNs,
                          int64_t nowNs) {
  std::lock_guard<std::mutex> lock(mu_);
  if (entries_.size() >= max_ && !entries_.count(key)) evict(nowNs);
  entries_[key] = Entry{std::move(v), expiresNs, ++seq_};
}

size_t AuthorizerCache::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return entries_.size();
}

void AuthorizerCache::evict(int64_t nowNs) {
  for (auto it = entries_.begin(); it != entries_.end();) {
    if (it->second.expiresNs <= nowNs) it = entries_.erase(it);
    else ++it;
  }
  if (entries_.size() < max_) return;
  std::vector<uint64_t> seqs;
  seqs.reserve(entries_.size());
  for (const auto& [k, e] : entries_) seqs.push_back(e.seq);
  auto mid = seqs.begin() + static_cast<std::ptrdiff_t>(seqs.size() / 2);
  std::nth_element(seqs.begin(), mid, seqs.end());
  uint64_t cut = *mid;
  for (auto it = entries_.begin(); it != entries_.end();) {
    if (it->second.seq <= cut) it = entries_.erase(it);
    else ++it;
  }
}

std::string AuthorizerCache::keyOf(const std::string& apiId, const Authorizer& az, const std::vector<std::string>& identity) {
  std::string k = apiId + '\n' + az.id + '\n' + az.authorizerUri + '\n';
  for (const auto& v : identity) {
    k += v;
    k.push_back('\0');
  }
  return k;
}

}  // namespace cdnlab::gateway
