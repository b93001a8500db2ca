// OutboxWorker: the delivery loop (see outbox.hpp). Claiming, HTTP and backoff live in their own
// files; this one only decides what happens to each due message.
#include "outbox/backoff.hpp"
#include "outbox/claims.hpp"
#include "outbox/http_delivery.hpp"
#include "outbox/outbox.hpp"
#include "outbox/outbox_table.hpp"
#include "outbox/outcomes.hpp"

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace crow::host {

struct OutboxWorker::Impl {
  Impl(crow::Store& s, const crow::Clock& c, std::map<std::string, crow::ServiceEndpoint> svc, crow::Logger& l,
       OutboxOptions o)
      : store(s), clock(c), services(std::move(svc)), logger(l), options(o),
        backoff(o.initialBackoff, o.maxBackoff) {}

  crow::Store& store;
  const crow::Clock& clock;
  const std::map<std::string, crow::ServiceEndpoint> services;
  crow::Logger& logger;
  const OutboxOptions options;
  const BackoffPolicy backoff;

  std::mutex mutex;
  std::condition_variable wakeUp;
  bool stopping = false;  // guarded by mutex
  bool nudged = false;    // guarded by mutex
  std::atomic<bool> stopRequested{false};
  std::thread thread;

  size_t runPass();
  bool deliverOne(OutboxClaims& claims, OutboxOutcomes& outcomes, HttpDelivery& http, const std::string& id,
                  const std::string& aggregateId);
  void settleFailure(OutboxOutcomes& outcomes, const ClaimedMessage& message, const DeliveryResult& result);
  void logFailure(const ClaimedMessage& message, const std::string& reason, const std::string& next);
  void loop();
};

size_t OutboxWorker::Impl::runPass() {
  namespace t = outbox_table;
  OutboxClaims claims(store, options.lease);
  OutboxOutcomes outcomes(store);
  HttpDelivery http(options.requestTimeout);
  const int64_t batch = std::max(1, options.batchSize);
  size_t delivered = 0;
  // Walking forward by id visits each due message at most once per pass, in age order, so an
  // aggregate's next message is considered right after its predecessor was settled, and a
  // message retried with a zero jitter delay waits for the next pass.
  std::string cursor;
  for (;;) {
    const auto due = claims.dueAfter(clock.now(), cursor, batch);
    for (const auto& row : due) {
      if (stopRequested.load()) return delivered;
      cursor = crow::asString(crow::field(row, t::kId)).value_or(cursor);
      const std::string aggregateId = crow::asString(crow::field(row, t::kAggregateId)).value_or(cursor);
      if (deliverOne(claims, outcomes, http, cursor, aggregateId)) ++delivered;
    }
    if (static_cast<int64_t>(due.size()) < batch) return delivered;
  }
}

bool OutboxWorker::Impl::deliverOne(OutboxClaims& claims, OutboxOutcomes& outcomes, HttpDelivery& http,
                                    const std::string& id, const std::string& aggregateId) {
  if (claims.waitsForOlderMessage(id, aggregateId)) return false;
  const auto message = claims.claim(id, clock.now());
  if (!message) return false;  // another worker was first, or it is no longer due

  const auto service = services.find(message->destination);
  if (service == services.end() || service->second.url.empty()) {
    // Kept, not failed: the message goes out once the service is configured and the host restarts.
    const std::string reason = "service " + message->destination + " not configured";
    const crow::Timestamp now = clock.now();
    outcomes.postponed(*message, now, crow::Timestamp{now.epochMs + options.maxBackoff.count()}, reason);
    logFailure(*message, reason, "postponed");
    return false;
  }

  const DeliveryResult result = http.post(service->second, *message);
  if (result.kind != DeliveryResult::Kind::Delivered) {
    settleFailure(outcomes, *message, result);
    return false;
  }
  if (!outcomes.delivered(*message, clock.now())) {
    // Our lease ran out during the call and another worker owns the message now; it may deliver
    // it again (the receiver deduplicates by Idempotency-Key).
    logger.warn("outbox lease lost during delivery", {{"destination", message->destination},
                                                      {"event", message->eventType},
                                                      {"message", message->id}});
  }
  return true;
}

void OutboxWorker::Impl::settleFailure(OutboxOutcomes& outcomes, const ClaimedMessage& message,
                                       const DeliveryResult& result) {
  const crow::Timestamp now = clock.now();
  const int attempt = message.attempts + 1;
  if (result.kind == DeliveryResult::Kind::Dead) {
    outcomes.dead(message, now, result.reason);
    logFailure(message, result.reason, "dead");
    return;
  }
  if (attempt >= options.maxAttempts) {
    const std::string reason = result.reason + " (gave up after " + std::to_string(attempt) + " attempts)";
    outcomes.dead(message, now, reason);
    logFailure(message, reason, "dead");
    return;
  }
  const auto delay = backoff.delay(message.attempts, result.retryAfter);
  outcomes.retryLater(message, now, crow::Timestamp{now.epochMs + delay.count()}, result.reason);
  logFailure(message, result.reason, "retry in " + std::to_string(delay.count()) + "ms");
}

// One line per failed attempt: where, what kind of event, which attempt. Never the payload, the
// idempotency key or the service key.
void OutboxWorker::Impl::logFailure(const ClaimedMessage& message, const std::string& reason, const std::string& next) {
  logger.warn("outbox delivery failed", {{"destination", message.destination},
                                         {"event", message.eventType},
                                         {"message", message.id},
                                         {"attempt", std::to_string(message.attempts + 1)},
                                         {"reason", reason},
                                         {"next", next}});
}

void OutboxWorker::Impl::loop() {
  bool failing = false;
  for (;;) {
    try {
      runPass();
      if (failing) logger.info("outbox worker recovered");
      failing = false;
    } catch (const std::exception& e) {
      // Usually the database is away; say so once per outage, then keep polling.
      if (!failing) logger.error("outbox pass failed; retrying", {{"error", e.what()}});
      failing = true;
    }
    std::unique_lock lock(mutex);
    wakeUp.wait_for(lock, options.pollInterval, [&] { return stopping || nudged; });
    nudged = false;
    if (stopping) return;
  }
}

OutboxWorker::OutboxWorker(crow::Store& store, const crow::Clock& clock,
                           std::map<std::string, crow::ServiceEndpoint> services, crow::Logger& logger,
                           OutboxOptions options)
    : impl_(std::make_unique<Impl>(store, clock, std::move(services), logger, options)) {}

OutboxWorker::~OutboxWorker() { stop(); }

void OutboxWorker::start() {
  std::lock_guard lock(impl_->mutex);
  if (impl_->thread.joinable()) return;
  impl_->stopping = false;
  impl_->stopRequested = false;
  impl_->thread = std::thread([impl = impl_.get()] { impl->loop(); });
}

void OutboxWorker::stop() {
  {
    std::lock_guard lock(impl_->mutex);
    if (!impl_->thread.joinable()) return;
    impl_->stopping = true;
    impl_->stopRequested = true;
  }
  impl_->wakeUp.notify_all();
  impl_->thread.join();
  impl_->stopRequested = false;
}

void OutboxWorker::wake() {
  {
    std::lock_guard lock(impl_->mutex);
    impl_->nudged = true;
  }
  impl_->wakeUp.notify_all();
}

size_t OutboxWorker::deliverDueOnce() { return impl_->runPass(); }

}  // namespace crow::host
