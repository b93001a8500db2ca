#include "jwt/token_cache.hpp"

namespace crow::host {

std::string TokenCache::get(int64_t second, const std::string& kid, const std::string& payloadJson,
                            const std::function<std::string()>& sign) {
  std::string key;
  key.reserve(kid.size() + 1 + payloadJson.size());
  key.append(kid).push_back('\n');
  key.append(payloadJson);
  {
    std::lock_guard lock(mutex_);
    if (second != second_) {
      tokens_.clear();
      second_ = second;
    } else if (auto it = tokens_.find(key); it != tokens_.end()) {
      return it->second;
    }
  }
  std::string token = sign();
  std::lock_guard lock(mutex_);
  if (second == second_ && tokens_.size() < capacity_) tokens_.emplace(std::move(key), token);
  return token;
}

}  // namespace crow::host
