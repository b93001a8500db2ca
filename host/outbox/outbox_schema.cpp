// The `crow_outbox` declaration (see outbox.hpp).
#include "outbox/outbox.hpp"
#include "outbox/outbox_table.hpp"

namespace crow::host {

void declareOutboxSchema(crow::SchemaBuilder& schema) {
  namespace t = outbox_table;
  using crow::FieldType;
  schema.table(t::kTable)
      .field(t::kId, FieldType::Id).primaryKey()
      .field(t::kDestination, FieldType::String).required().maxLength(64)
      .field(t::kPath, FieldType::String).required().maxLength(512)
      // Indexed: the per-aggregate order check looks up a message's older siblings.
      .field(t::kAggregateId, FieldType::String).required().index().maxLength(191)
      .field(t::kEventType, FieldType::String).required().maxLength(128)
      .field(t::kPayload, FieldType::Json).required()
      .field(t::kIdempotencyKey, FieldType::String).required().unique().maxLength(191)
      .field(t::kStatus, FieldType::String).required().defaultValue(std::string(t::kPending)).maxLength(16)
      .field(t::kAttempts, FieldType::Integer).required().defaultValue(int64_t{0})
      .field(t::kNextAttemptAt, FieldType::Timestamp).required().index()
      .field(t::kLeaseUntil, FieldType::Timestamp)
      .field(t::kLeaseOwner, FieldType::String).maxLength(64)
      .field(t::kLastError, FieldType::String)
      .field(t::kCreatedAt, FieldType::Timestamp).required()
      .field(t::kUpdatedAt, FieldType::Timestamp).required()
      .field(t::kDeliveredAt, FieldType::Timestamp);
}

}  // namespace crow::host
