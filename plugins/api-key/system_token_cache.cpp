#include "system_token_cache.hpp"

namespace apikey {

std::optional<std::string> SystemTokenCache::find(const std::string& keyId, const std::string& claimsKey) const {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(keyId);
  if (it == entries_.end() || it->second.claimsKey != claimsKey) return std::nullopt;
  return it->second.token;
}

void SystemTokenCache::store(const std::string& keyId, std::string claimsKey, std::string token) {
  std::lock_guard lock(mutex_);
  // Entries are only useful within their second: when the map is full, start again rather than
  // track ages.
  if (entries_.size() >= maxEntries_ && !entries_.count(keyId)) entries_.clear();
  entries_[keyId] = Entry{std::move(claimsKey), std::move(token)};
}

}  // namespace apikey
