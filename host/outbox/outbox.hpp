// outbox/outbox.hpp - durable delivery to other services (DESIGN.md "Outbox").
//
// A write that must reach another service (an email to the notification service, a sync to the
// user service) enqueues a message through the Store of the same transaction as the change, so
// the message exists exactly when the change does. A worker delivers it later with retries;
// a downstream that is down delays messages and never fails or slows the request.
#pragma once

#include "services/service_target.hpp"

#include "crow/context.hpp"
#include "crow/log.hpp"
#include "crow/schema.hpp"
#include "crow/store.hpp"

#include <Poco/JSON/Object.h>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

namespace crow::host {

/// One message to deliver.
struct OutboxMessage {
  std::string destination;   ///< a service name from `services:` ("notification", "user", ...)
  std::string path;          ///< appended to the service URL ("/v1/emails")
  std::string aggregateId;   ///< messages with the same aggregate are delivered in order
  std::string eventType;     ///< "email.verification", "organization.created", ...
  Poco::JSON::Object::Ptr payload;
  /// Sent as Idempotency-Key; generated when empty.
  std::string idempotencyKey;
};

struct OutboxOptions {
  int maxAttempts = 12;                 ///< then the message is parked as dead
  std::chrono::milliseconds initialBackoff{500};
  std::chrono::milliseconds maxBackoff{300000};
  std::chrono::milliseconds pollInterval{200};
  std::chrono::milliseconds lease{30000};  ///< a claimed message is retried by anyone after this
  std::chrono::milliseconds requestTimeout{5000};
  int batchSize = 32;
  /// Messages delivered at once (each lane one at a time, an aggregate always in the same lane,
  /// so per-aggregate order holds); overlaps one receiver's answer with the next claim.
  int deliveryLanes = 4;
};

/// The `crow_outbox` table the host declares (owner "core").
void declareOutboxSchema(crow::SchemaBuilder& schema);

/// Writes a message into the outbox through `store` (pass the transaction's store), due now.
/// Returns the new row's id (also the Idempotency-Key when the message has none).
std::string enqueue(crow::Store& store, const crow::Clock& clock, const OutboxMessage& message);
/// enqueue() with the payload given as JSON text, stored as is (`message.payload` is ignored);
/// the caller has checked it is a JSON object. Saves serialising it again (PluginOutbox).
std::string enqueueJson(crow::Store& store, const crow::Clock& clock, const OutboxMessage& message,
                        const std::string& payloadJson);

/// The per-instance delivery worker: claims due messages with a lease, POSTs each to its
/// service with `X-Service-API-Key` and `Idempotency-Key`, marks it delivered on 2xx, retries
/// 5xx/timeouts/connection errors with exponential backoff and jitter, parks it as dead after
/// maxAttempts or on a 4xx (with the reason), and keeps per-aggregate order.
///
/// Details (outbox/*.hpp say more):
/// - Claims are conditional updates, so any number of workers (threads or instances) can share
///   one database; delivery is at-least-once (a worker that dies mid-call leaves the message to be
///   sent again after its lease), so receivers deduplicate by Idempotency-Key.
/// - Up to deliveryLanes messages are in flight at once; all messages of one aggregate go through
///   the same lane, oldest first.
/// - A message is not sent while an older message of its aggregate is pending or delivering. A
///   dead message does not hold its aggregate back: it stays in the table for an operator.
/// - A message for a service missing from `services` stays pending ("service X not configured"),
///   is looked at again every maxBackoff, and never counts an attempt.
/// - 408, 425, 429, 5xx and 3xx are retried; Retry-After (seconds) is honoured up to maxBackoff.
/// - Each failed attempt logs one warning (destination, event, message id, attempt, reason);
///   never the payload, the idempotency key or the service key.
class OutboxWorker {
 public:
  OutboxWorker(crow::Store& store, const crow::Clock& clock, std::map<std::string, ServiceTarget> services,
               crow::Logger& logger, OutboxOptions options = {});
  ~OutboxWorker();
  void start();
  void stop();  ///< finishes the delivery in progress, then returns
  /// Starts the next pass now instead of after pollInterval (call after committing an enqueue,
  /// for example); never blocks.
  void wake();
  /// Delivers everything due now, once (tests); returns how many.
  size_t deliverDueOnce();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace crow::host
