// memory_store.cpp - sharded fixed-window counters; see memory_store.hpp.
#include "memory_store.hpp"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <mutex>
#include <unordered_map>

namespace crow::rate_limit {

namespace {

struct Entry {
  int64_t windowEndMs = 0;
  int64_t count = 0;
};

}  // namespace

// Aligned to a cache line so two shards' mutexes never share one.
struct alignas(64) MemoryStore::Shard {
  std::mutex mutex;
  std::unordered_map<std::string, Entry> entries;
  int64_t nextSweepMs = 0;
  /// No entry's window ends before this (it may be earlier than the true minimum, never later):
  /// a full shard sweeps only when something can have expired, so a spray of new keys against a
  /// full shard does not cost a sweep per hit.
  int64_t earliestEndMs = INT64_MAX;

  void sweep(int64_t nowMs) {
    earliestEndMs = INT64_MAX;
    std::erase_if(entries, [&](const auto& item) {
      if (item.second.windowEndMs <= nowMs) return true;
      earliestEndMs = std::min(earliestEndMs, item.second.windowEndMs);
      return false;
    });
  }
};

MemoryStore::MemoryStore(MemoryOptions options)
    : options_(options),
      perShardCap_(std::max<size_t>(1, options.maxEntries / std::max<size_t>(1, options.shards))),
      shards_(new Shard[std::max<size_t>(1, options.shards)]) {
  options_.shards = std::max<size_t>(1, options.shards);
}

MemoryStore::~MemoryStore() = default;

Decision MemoryStore::hit(const std::string& key, int64_t windowMs, int64_t max, int64_t nowMs) {
  const size_t hash = std::hash<std::string>{}(key);
  // The low bits pick the map bucket inside the shard; take the shard from the high bits.
  Shard& shard = shards_[(hash >> 32 ^ hash) % options_.shards];
  std::lock_guard lock(shard.mutex);

  auto it = shard.entries.find(key);
  if (it != shard.entries.end()) {
    Entry& entry = it->second;
    if (nowMs >= entry.windowEndMs) {
      entry = Entry{nowMs + windowMs, 1};
      return Decision{true, 1, 0};
    }
    if (entry.count >= max) return Decision{false, entry.count, entry.windowEndMs - nowMs};
    ++entry.count;
    return Decision{true, entry.count, 0};
  }

  if (max < 1) return Decision{false, 0, windowMs};
  const bool full = shard.entries.size() >= perShardCap_;
  if (nowMs >= shard.nextSweepMs || (full && nowMs >= shard.earliestEndMs)) {
    shard.sweep(nowMs);
    shard.nextSweepMs = nowMs + options_.sweepIntervalMs;
  }
  if (shard.entries.size() >= perShardCap_)
    throw StoreUnavailable("the memory rate-limit store is full (" + std::to_string(options_.maxEntries) +
                           " keys): raise memory.maxEntries or use the database or redis store");
  shard.entries.emplace(key, Entry{nowMs + windowMs, 1});
  shard.earliestEndMs = std::min(shard.earliestEndMs, nowMs + windowMs);
  return Decision{true, 1, 0};
}

size_t MemoryStore::size() const {
  size_t total = 0;
  for (size_t i = 0; i < options_.shards; ++i) {
    std::lock_guard lock(shards_[i].mutex);
    total += shards_[i].entries.size();
  }
  return total;
}

}  // namespace crow::rate_limit
