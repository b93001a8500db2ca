// outbox/outbox_table.hpp - the names of the `crow_outbox` table, its columns and states.
//
// One place for the strings, so the schema, the claims and the tests cannot drift apart.
#pragma once

namespace crow::host::outbox_table {

inline constexpr const char* kTable = "crow_outbox";

inline constexpr const char* kId = "id";
inline constexpr const char* kDestination = "destination";
inline constexpr const char* kPath = "path";
inline constexpr const char* kAggregateId = "aggregateId";
inline constexpr const char* kEventType = "eventType";
inline constexpr const char* kPayload = "payload";
inline constexpr const char* kIdempotencyKey = "idempotencyKey";
inline constexpr const char* kStatus = "status";
inline constexpr const char* kAttempts = "attempts";
inline constexpr const char* kNextAttemptAt = "nextAttemptAt";
inline constexpr const char* kLeaseUntil = "leaseUntil";
/// A random token written by each claim; a worker only records the outcome of a delivery while
/// the row still carries its token, so a worker whose lease expired cannot overwrite the outcome
/// of the worker that took the message over.
inline constexpr const char* kLeaseOwner = "leaseOwner";
inline constexpr const char* kLastError = "lastError";
inline constexpr const char* kCreatedAt = "createdAt";
inline constexpr const char* kUpdatedAt = "updatedAt";
inline constexpr const char* kDeliveredAt = "deliveredAt";

inline constexpr const char* kPending = "pending";
inline constexpr const char* kDelivering = "delivering";
inline constexpr const char* kDelivered = "delivered";
inline constexpr const char* kDead = "dead";

}  // namespace crow::host::outbox_table
