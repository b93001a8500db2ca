// redis_store.hpp - the rate-limit counters in Redis, shared by every instance that points at the
// same server (`store: redis`).
#pragma once

#include "limit_store.hpp"

#include <memory>
#include <string>

namespace crow::rate_limit {

/// The `redis:` block of the plugin's config.
struct RedisOptions {
  /// redis://[[user]:password@]host[:port][/db]. The password is sent with AUTH on every new
  /// connection and never appears in a log line or an error message.
  std::string url = "redis://127.0.0.1:6379";
  /// The most connections open at once (see makeRedisStore: concurrent hits share them).
  int poolSize = 16;
  /// Bound on connecting and on each read of a reply.
  int timeoutMs = 200;
  /// Prepended to every counter key, so several services can share one Redis.
  std::string keyPrefix = "crow:rl:";
};

/// A LimitStore on Redis. Each hit is one EVALSHA of a Lua script that reads the counter,
/// increments it when below max (setting the window's expiry on the first hit) and returns count,
/// remaining TTL and the verdict, atomically for every process sharing the server.
///
/// Connections: up to poolSize, opened on demand. A Poco::Redis::Client serves one caller at a
/// time, so each connection is a "lane" with a queue: the caller that finds the lane idle sends
/// every queued hit in one write (a pipeline) and reads the replies in order, then wakes their
/// callers. Without load that is one round trip per hit; under load one round trip carries
/// several hits, which cuts the syscalls and wake-ups per hit on both sides. Hits fill lanes in
/// order (8 concurrent hits per lane before the next one opens).
///
/// Time: windows expire by Redis' own clock (PEXPIRE/PTTL), so instances with skewed clocks agree;
/// the caller's `nowMs` is ignored.
///
/// Failures: connects lazily, so a Redis that is down at start-up does not stop start-up; hits
/// then throw StoreUnavailable. After a connection failure or a timeout the store is marked down
/// for one second: hits meanwhile throw StoreUnavailable at once (no request waits for the
/// timeout), then one hit probes Redis again while the others keep failing fast until it succeeds.
/// A broken connection is discarded and reopened, never reused; a pooled connection that Redis
/// closed while idle (a restart) is retried once on a fresh one. A hit whose reply timed out may
/// still be counted by Redis later (the command had left): a timeout errs towards counting.
///
/// Throws crow::ConfigError for a malformed url or an out-of-range option.
std::unique_ptr<LimitStore> makeRedisStore(const RedisOptions& options);

}  // namespace crow::rate_limit
