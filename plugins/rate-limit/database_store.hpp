// database_store.hpp - counters in the service's database (`store: database`), in Better Auth's
// `rateLimit` table, so every instance on the same database shares them.
//
// Columns are Better Auth's (id, key, count, lastRequest), so a Better Auth database opens
// unchanged. Better Auth keeps the time of the last allowed request in `lastRequest`; this store
// keeps the start of the current fixed window there (both are epoch milliseconds).
//
// Each hit is atomic without a transaction or a lock:
//  1. `UPDATE ... SET count = count + 1 WHERE key = K AND lastRequest > now - window AND
//     count < max RETURNING *`: a row back means allowed (the common case: one statement);
//  2. otherwise read the row: inside its window with count >= max means denied; an expired window
//     is restarted with `UPDATE ... SET count = 1, lastRequest = now WHERE key = K AND
//     lastRequest <= now - window`, and whoever's update matches wins (a loser starts over);
//  3. no row: insert one with count 1; a unique violation on `key` means another instance
//     inserted first, so start over.
// Every statement is guarded by its WHERE clause, so two instances can never both take the last
// slot of a window.
#pragma once

#include "limit_store.hpp"

#include <crow/schema.hpp>
#include <crow/store.hpp>

namespace crow::rate_limit {

/// The table, as Better Auth names it.
inline constexpr const char* kRateLimitTable = "rateLimit";

/// Declares `rateLimit` exactly as Better Auth's migration creates it:
/// (id text pk, key text not null unique, count integer not null, lastRequest bigint not null).
void declareRateLimitTable(crow::SchemaBuilder& schema);

class DatabaseStore final : public LimitStore {
 public:
  /// `store` must outlive this object (the host's store does).
  explicit DatabaseStore(crow::Store& store);

  /// Throws StoreUnavailable when the database is unreachable or the row keeps changing under it.
  Decision hit(const std::string& key, int64_t windowMs, int64_t max, int64_t nowMs) override;
  const char* kind() const noexcept override { return "database"; }

 private:
  Decision attempt(const std::string& key, int64_t windowMs, int64_t max, int64_t nowMs, bool& retry);
  crow::Store& store_;
};

}  // namespace crow::rate_limit
