// outbox/outcomes.hpp - recording what happened to a claimed message.
//
// Each write is conditional on the claim's lease token: if the lease expired and another worker
// took the message over, the late outcome is dropped (the other worker's result stands) and the
// call returns false.
#pragma once

#include "outbox/claims.hpp"

#include "crow/store.hpp"

#include <string>

namespace crow::host {

class OutboxOutcomes {
 public:
  explicit OutboxOutcomes(crow::Store& store);

  /// The receiver answered 2xx: final.
  bool delivered(const ClaimedMessage& message, crow::Timestamp now);
  /// A failure worth retrying: back to pending, due at `nextAttemptAt`, attempts+1.
  bool retryLater(const ClaimedMessage& message, crow::Timestamp now, crow::Timestamp nextAttemptAt,
                  const std::string& reason);
  /// Not retried any more (a 4xx, or attempts used up): final, with the reason, attempts+1.
  bool dead(const ClaimedMessage& message, crow::Timestamp now, const std::string& reason);
  /// Not attempted at all (its service is not configured): back to pending without counting an
  /// attempt, so the message waits for the configuration instead of dying.
  bool postponed(const ClaimedMessage& message, crow::Timestamp now, crow::Timestamp nextAttemptAt,
                 const std::string& reason);

 private:
  bool settle(const ClaimedMessage& message, const crow::Row& patch);
  crow::Store& store_;
};

}  // namespace crow::host
