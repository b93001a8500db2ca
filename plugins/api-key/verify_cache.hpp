// verify_cache.hpp - the records of fast-path keys (no `remaining`, no per-key rate limit) by key
// hash, kept for `verifyCacheMs`, so a gateway verifying the same key again and again does not read
// the database each time.
//
// Freshness: every write to the apikey table made by this process (the plugin's routes, the usage
// flush, an expired key's deletion, any other plugin) goes through the Store, whose after-hooks call
// forget() once the write has committed and before the writer answers. So a verify that starts
// after a disable, delete or update has answered sees it. Writes by other processes (another
// instance on the same PostgreSQL, the sqlite3 shell) are seen once the entry's time is up.
//
// The cached row is never trusted for more than a read would be: Verifier::use() checks enabled,
// expiry and permissions on every hit, and a key that leaves the fast path is never served from
// here (the write that changes it drops it).
#pragma once

#include <crow/store.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <shared_mutex>
#include <string>
#include <unordered_map>

namespace apikey {

class VerifyCache {
 public:
  using Clock = std::chrono::steady_clock;
  /// More fresh keys than this is not a gateway's working set: past it, entries are not added
  /// until expired ones are swept.
  static constexpr size_t kDefaultCapacity = 65'536;

  explicit VerifyCache(int64_t ttlMs, size_t capacity = kDefaultCapacity);

  bool enabled() const noexcept { return ttl_.count() > 0; }

  /// The record cached for this key hash, if its time is not up.
  std::shared_ptr<const crow::Row> find(const std::string& keyHash, Clock::time_point now = Clock::now()) const;

  /// Counts forget() calls. Read it before the database read whose row goes to store().
  uint64_t generation() const;

  /// Caches `row` under `keyHash`, unless something was forgotten since `seenGeneration` was
  /// read: the row may then predate that write, and caching it would undo the forget.
  void store(const std::string& keyHash, crow::Row row, uint64_t seenGeneration, Clock::time_point now = Clock::now());

  /// Drops what a write to `written` (a row of the apikey table, or only the patch) makes stale:
  /// the entry of its key hash or of its id; everything when the row names neither.
  void forget(const crow::Row& written);

  size_t size() const;

 private:
  struct Entry {
    std::shared_ptr<const crow::Row> row;
    std::string id;
    Clock::time_point expires;
  };
  void eraseLocked(std::unordered_map<std::string, Entry>::iterator it);
  void sweepExpiredLocked(Clock::time_point now);

  const Clock::duration ttl_;
  const size_t capacity_;
  mutable std::shared_mutex mutex_;
  uint64_t generation_ = 0;
  std::unordered_map<std::string, Entry> byHash_;
  std::unordered_map<std::string, std::string> hashById_;
};

}  // namespace apikey
