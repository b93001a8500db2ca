// memory_store.hpp - counters in this process's memory (`store: memory`, the default).
//
// For a single instance: each instance counts on its own, so N instances behind a load balancer
// let a client through about N times the limit, and a restart forgets every counter.
//
// Built for the hot path: the keys are spread over shards, each a hash map behind its own mutex,
// so concurrent requests rarely wait for each other; a hit allocates nothing except a map node
// for a key not seen in the current window; nothing is logged per hit.
//
// Bounded: at most `maxEntries` keys (split evenly over the shards). Expired entries of a shard
// are swept when a new key arrives after the shard's sweep interval, and when a full shard may
// hold an ended window (so a full shard never refuses a key it could make room for). A new key
// that still finds its shard full makes `hit` throw StoreUnavailable, so a credential rule (which
// fails closed) refuses the request, and the limiter logs that the store is full; keys already
// counted keep being counted. The map never grows past the cap, whatever an attacker sprays.
#pragma once

#include "limit_store.hpp"

#include <cstddef>
#include <memory>
#include <string>

namespace crow::rate_limit {

struct MemoryOptions {
  /// The most keys held at once (over all shards).
  size_t maxEntries = 100000;
  /// Independent locks; a power of two is not required.
  size_t shards = 64;
  /// How often a shard drops expired entries while it is being used.
  int64_t sweepIntervalMs = 10000;
};

class MemoryStore final : public LimitStore {
 public:
  explicit MemoryStore(MemoryOptions options = {});
  ~MemoryStore() override;

  Decision hit(const std::string& key, int64_t windowMs, int64_t max, int64_t nowMs) override;
  const char* kind() const noexcept override { return "memory"; }

  /// Keys held now, expired ones included until they are swept.
  size_t size() const;

 private:
  struct Shard;
  MemoryOptions options_;
  size_t perShardCap_;
  std::unique_ptr<Shard[]> shards_;
};

}  // namespace crow::rate_limit
