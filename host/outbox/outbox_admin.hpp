// outbox/outbox_admin.hpp - what an operator does with the outbox by hand (`crow-auth outbox`):
// look at messages and send dead ones again.
//
// A replayed message keeps its id and its idempotency key, so a receiver that did apply it
// before (a 4xx answered after the work was done, say) recognises it and does not apply it twice.
#pragma once

#include "crow/context.hpp"
#include "crow/store.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace crow::host {

/// One message as an operator sees it: never its payload or idempotency key.
struct OutboxEntry {
  std::string id;
  std::string destination;
  std::string eventType;
  std::string aggregateId;
  std::string status;  ///< pending, delivering, delivered, dead
  int64_t attempts = 0;
  std::string lastError;
  std::optional<crow::Timestamp> nextAttemptAt;
  std::optional<crow::Timestamp> createdAt;
};

/// The states `listOutbox` filters on ("all" or empty: no filter).
bool isOutboxStatus(const std::string& status);

/// Up to `limit` messages in `status`, newest first.
std::vector<OutboxEntry> listOutbox(crow::Store& store, const std::string& status, int64_t limit);

struct ReplayOutcome {
  enum class Kind { Replayed, Unknown, NotDead };
  std::string id;
  Kind kind = Kind::Unknown;
  std::string status;  ///< the status it has now (NotDead: the one that kept it from replaying)
};

/// Makes dead message `id` pending again: attempts 0, due now, lease cleared, same id and key.
/// The last error stays until the next attempt overwrites it.
ReplayOutcome replayDead(crow::Store& store, const crow::Clock& clock, const std::string& id);

/// replayDead for every dead message, in one statement; returns how many.
int64_t replayAllDead(crow::Store& store, const crow::Clock& clock);

}  // namespace crow::host
