// outbox/claims.hpp - taking a due message for delivery so that no other worker delivers it at
// the same time, and keeping per-aggregate order.
//
// The Store offers no SELECT ... FOR UPDATE SKIP LOCKED, so a claim is a conditional update:
// `UPDATE crow_outbox SET status='delivering', leaseUntil=now+lease, leaseOwner=<token> WHERE
// (status='pending' OR leaseUntil < now) AND status IN ('pending','delivering') AND
// nextAttemptAt <= now AND id = X RETURNING *`. Exactly one of several concurrent claimers gets
// the row back; the others get nothing and move on. A claimer that dies leaves the row
// 'delivering' until its lease ends, then anyone may claim it again (at-least-once delivery).
#pragma once

#include "crow/store.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace crow::host {

/// A message this worker holds the lease of.
struct ClaimedMessage {
  std::string id;
  std::string destination;
  std::string path;
  std::string aggregateId;
  std::string eventType;
  std::string payload;         ///< JSON text, sent as is
  std::string idempotencyKey;
  int attempts = 0;            ///< failed attempts before this one
  std::string leaseOwner;      ///< this claim's token; outcomes are recorded only under it
  crow::Timestamp leaseUntil;
};

class OutboxClaims {
 public:
  OutboxClaims(crow::Store& store, std::chrono::milliseconds lease);

  /// Up to `limit` messages due at `now` (pending, or delivering with an expired lease) whose id
  /// is greater than `afterId`, oldest first. Only id and aggregateId are read.
  std::vector<crow::Row> dueAfter(crow::Timestamp now, const std::string& afterId, int64_t limit);

  /// True while an older message of the same aggregate is still pending or being delivered: the
  /// message must wait for it. Dead messages do not hold their aggregate back (a message that can
  /// never be delivered would otherwise stop every later one for good).
  bool waitsForOlderMessage(const std::string& id, const std::string& aggregateId);

  /// Claims message `id` if it is still due and unclaimed; nullopt when another worker was first
  /// or it is no longer due.
  std::optional<ClaimedMessage> claim(const std::string& id, crow::Timestamp now);

 private:
  crow::Store& store_;
  std::chrono::milliseconds lease_;
};

}  // namespace crow::host
