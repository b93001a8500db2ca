#include "verify_cache.hpp"

#include <mutex>

namespace apikey {

VerifyCache::VerifyCache(int64_t ttlMs, size_t capacity)
    : ttl_(std::chrono::milliseconds(ttlMs > 0 ? ttlMs : 0)), capacity_(capacity) {}

std::shared_ptr<const crow::Row> VerifyCache::find(const std::string& keyHash, Clock::time_point now) const {
  if (!enabled()) return nullptr;
  std::shared_lock lock(mutex_);
  auto it = byHash_.find(keyHash);
  if (it == byHash_.end() || now >= it->second.expires) return nullptr;
  return it->second.row;
}

uint64_t VerifyCache::generation() const {
  std::shared_lock lock(mutex_);
  return generation_;
}

void VerifyCache::store(const std::string& keyHash, crow::Row row, uint64_t seenGeneration, Clock::time_point now) {
  if (!enabled()) return;
  auto id = crow::asString(crow::field(row, "id"));
  if (!id) return;
  auto shared = std::make_shared<const crow::Row>(std::move(row));
  std::unique_lock lock(mutex_);
  if (generation_ != seenGeneration) return;
  if (auto it = byHash_.find(keyHash); it != byHash_.end()) eraseLocked(it);
  if (byHash_.size() >= capacity_) sweepExpiredLocked(now);
  if (byHash_.size() >= capacity_) return;
  // A key's id and hash never change, but an id cached under another hash would be a second
  // entry forget() could miss: drop it.
  if (auto old = hashById_.find(*id); old != hashById_.end()) {
    if (auto it = byHash_.find(old->second); it != byHash_.end()) eraseLocked(it);
  }
  byHash_.emplace(keyHash, Entry{std::move(shared), *id, now + ttl_});
  hashById_[*id] = keyHash;
}

void VerifyCache::forget(const crow::Row& written) {
  if (!enabled()) return;
  const auto hash = crow::asString(crow::field(written, "key"));
  const auto id = crow::asString(crow::field(written, "id"));
  std::unique_lock lock(mutex_);
  ++generation_;
  if (!hash && !id) {
    byHash_.clear();
    hashById_.clear();
    return;
  }
  if (hash) {
    if (auto it = byHash_.find(*hash); it != byHash_.end()) eraseLocked(it);
  }
  if (id) {
    if (auto old = hashById_.find(*id); old != hashById_.end()) {
      if (auto it = byHash_.find(old->second); it != byHash_.end()) eraseLocked(it);
    }
  }
}

size_t VerifyCache::size() const {
  std::shared_lock lock(mutex_);
  return byHash_.size();
}

void VerifyCache::eraseLocked(std::unordered_map<std::string, Entry>::iterator it) {
  hashById_.erase(it->second.id);
  byHash_.erase(it);
}

void VerifyCache::sweepExpiredLocked(Clock::time_point now) {
  for (auto it = byHash_.begin(); it != byHash_.end();) {
    if (now >= it->second.expires) {
      hashById_.erase(it->second.id);
      it = byHash_.erase(it);
    } else {
      ++it;
    }
  }
}

}  // namespace apikey
