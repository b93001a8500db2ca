// outbox/message_id.hpp - outbox row ids that sort in the order messages were written.
//
// Per-aggregate order needs "older than" between two messages, and two messages written in the
// same transaction share a millisecond. The id therefore starts with the time and a per-process
// sequence number (both fixed-width hex, so text order is numeric order) and ends with random
// characters so ids from different instances never collide.
#pragma once

#include "crow/store.hpp"

#include <string>

namespace crow::host {

/// 32 characters: 12 hex digits of epoch milliseconds, 6 hex digits of a process-wide counter,
/// 14 random [A-Za-z0-9].
std::string newOutboxMessageId(crow::Timestamp now);

}  // namespace crow::host
