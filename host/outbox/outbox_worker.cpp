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
#include <exception>
#include <functional>
#include <mutex>
#include <utility>
#include <vector>
#include <thread>

namespace crow::host {

struct OutboxWorker::Impl {
  Impl(crow::Store& s, const crow::Clock& c, std::map<std::string, ServiceTarget> svc, crow::Logger& l,
       OutboxOptions o)
      : store(s), clock(c), services(std::move(svc)), logger(l), options(o),
        backoff(o.initialBackoff, o.maxBackoff) {}

  crow::Store& store;
  const crow::Clock& clock;
  const std::map<std::string, ServiceTarget> services;
  crow::Logger& logger;
  const OutboxOptions options;
  const BackoffPolicy backoff;

  std::mutex mutex;
  std::condition_variable wakeUp;
  bool stopping = false;  // guarded by mutex
  bool nudged = false;    // guarded by mutex
  std::atomic<bool> stopRequested{false};
  std::thread thread;

  struct Lane;
  size_t runPass();
  bool deliverOne(OutboxClaims& claims, OutboxOutcomes& outcomes, HttpDelivery& http, const std::string& id,
                  const std::string& aggregateId);
  void settleFailure(OutboxOutcomes& outcomes, const ClaimedMessage& message, const DeliveryResult& result);
  void logFailure(const ClaimedMessage& message, const std::string& reason, const std::string& next);
  void loop();
};

// What one lane needs for a pass: its own HTTP connections (not shared between threads).
struct OutboxWorker::Impl::Lane {
  Lane(crow::Store& store, const OutboxOptions& options)
      : claims(store, options.lease), outcomes(store), http(options.requestTimeout) {}
  OutboxClaims claims;
  OutboxOutcomes outcomes;
  HttpDelivery http;
  std::vector<std::pair<std::string, std::string>> work;  // (id, aggregateId), oldest first
};

size_t OutboxWorker::Impl::runPass() {
  namespace t = outbox_table;
  const int64_t batch = std::max(1, options.batchSize);
  const size_t laneCount = static_cast<size_t>(std::max(1, options.deliveryLanes));
  std::vector<std::unique_ptr<Lane>> lanes;
  for (size_t i = 0; i < laneCount; ++i) lanes.push_back(std::make_unique<Lane>(store, options));
  size_t delivered = 0;
  // Walking forward by id visits each due message at most once per pass, in age order, so an
  // aggregate's next message is considered right after its predecessor was settled (both go to
  // the same lane), and a message retried with a zero jitter delay waits for the next pass.
  std::string cursor;
  for (;;) {
    const auto due = lanes[0]->claims.dueAfter(clock.now(), cursor, batch);
    for (const auto& row : due) {
      cursor = crow::asString(crow::field(row, t::kId)).value_or(cursor);
      const std::string aggregateId = crow::asString(crow::field(row, t::kAggregateId)).value_or(cursor);
      lanes[std::hash<std::string>{}(aggregateId) % laneCount]->work.emplace_back(cursor, aggregateId);
    }
    auto runLane = [this](Lane& lane) {
      size_t n = 0;
      for (const auto& [id, aggregateId] : lane.work) {
        if (stopRequested.load()) break;
        if (deliverOne(lane.claims, lane.outcomes, lane.http, id, aggregateId)) ++n;
      }
      lane.work.clear();
      return n;
    };
    // Lane 0 runs on this thread; the others only when they have work. A lane's failure (the
    // database went away) ends the pass as it did before there were lanes: rethrown here.
    struct Helper {
      std::thread thread;
      size_t delivered = 0;
      std::exception_ptr failure;
    };
    std::vector<Helper> helpers(laneCount - 1);
    for (size_t i = 1; i < laneCount; ++i) {
      if (lanes[i]->work.empty()) continue;
      Helper& helper = helpers[i - 1];
      helper.thread = std::thread([&runLane, &helper, &lane = *lanes[i]] {
        try {
          helper.delivered = runLane(lane);
        } catch (...) {
          helper.failure = std::current_exception();
        }
      });
    }
    std::exception_ptr failure;
    try {
      delivered += runLane(*lanes[0]);
    } catch (...) {
      failure = std::current_exception();
    }
    for (auto& helper : helpers) {
      if (!helper.thread.joinable()) continue;
      helper.thread.join();
      delivered += helper.delivered;
      if (helper.failure && !failure) failure = helper.failure;
    }
    if (failure) std::rethrow_exception(failure);
    if (stopRequested.load() || static_cast<int64_t>(due.size()) < batch) return delivered;
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
                           std::map<std::string, ServiceTarget> services, crow::Logger& logger,
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
