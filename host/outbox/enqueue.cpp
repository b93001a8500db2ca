// enqueue(): the write half of the outbox (see outbox.hpp).
#include "outbox/message_id.hpp"
#include "outbox/outbox.hpp"
#include "outbox/outbox_table.hpp"

#include <Poco/JSON/Stringifier.h>

#include <sstream>
#include <stdexcept>

namespace crow::host {

namespace {

std::string payloadText(const Poco::JSON::Object::Ptr& payload) {
  if (payload.isNull()) return "{}";
  std::ostringstream out;
  payload->stringify(out);
  return out.str();
}

std::string insert(crow::Store& store, const crow::Clock& clock, const OutboxMessage& message,
                   const std::string& payload) {
  namespace t = outbox_table;
  if (message.destination.empty() || message.eventType.empty())
    throw std::invalid_argument("an outbox message needs a destination and an event type");
  const crow::Timestamp now = clock.now();
  const std::string id = newOutboxMessageId(now);
  crow::Row row{
      {t::kId, id},
      {t::kDestination, message.destination},
      {t::kPath, message.path},
      // Messages without an aggregate are independent of each other: each is its own aggregate.
      {t::kAggregateId, message.aggregateId.empty() ? id : message.aggregateId},
      {t::kEventType, message.eventType},
      {t::kPayload, payload},
      {t::kIdempotencyKey, message.idempotencyKey.empty() ? id : message.idempotencyKey},
      {t::kStatus, std::string(t::kPending)},
      {t::kAttempts, int64_t{0}},
      {t::kNextAttemptAt, now},
      {t::kCreatedAt, now},
      {t::kUpdatedAt, now},
  };
  store.create(t::kTable, row);
  return id;
}

}  // namespace

std::string enqueue(crow::Store& store, const crow::Clock& clock, const OutboxMessage& message) {
  return insert(store, clock, message, payloadText(message.payload));
}

std::string enqueueJson(crow::Store& store, const crow::Clock& clock, const OutboxMessage& message,
                        const std::string& payloadJson) {
  return insert(store, clock, message, payloadJson.empty() ? "{}" : payloadJson);
}

}  // namespace crow::host
