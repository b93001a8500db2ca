// The outbox against a real SQLite database and a real HTTP receiver: what gets delivered, when,
// how often, and what is recorded when it cannot be.
#include "outbox_fixture.hpp"
#include "test_receiver.hpp"

#include "outbox/http_delivery.hpp"
#include "outbox/outbox.hpp"
#include "outbox/outbox_table.hpp"

#include "crow/error.hpp"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <cppunit/extensions/HelperMacros.h>

#include <stdexcept>
#include <thread>

using namespace std::chrono_literals;
using crow::host::OutboxMessage;
using crow::host::OutboxOptions;
using crow::host::OutboxWorker;
using crow::test::CapturingLogger;
using crow::test::ManualClock;
using crow::test::OutboxDatabase;
using crow::test::TestReceiver;
namespace t = crow::host::outbox_table;

namespace {

const std::string kServiceKey = "svc-key-DO-NOT-LOG-7f3a9c";

OutboxOptions fastOptions() {
  OutboxOptions o;
  o.initialBackoff = 100ms;
  o.maxBackoff = 1000ms;
  o.pollInterval = 20ms;
  o.lease = 5000ms;
  o.requestTimeout = 1000ms;
  o.batchSize = 4;  // small, so the tests also cover paging through a pass
  return o;
}

std::map<std::string, crow::host::ServiceTarget> servicesFor(const TestReceiver& receiver) {
  return {{"notification", crow::host::ServiceTarget{"notification", receiver.url() + "/internal", kServiceKey}}};
}

OutboxMessage email(const std::string& aggregateId, int n, const std::string& secretInPayload = "") {
  OutboxMessage m;
  m.destination = "notification";
  m.path = "/v1/emails";
  m.aggregateId = aggregateId;
  m.eventType = "email.verification";
  m.payload = new Poco::JSON::Object;
  m.payload->set("to", aggregateId + "@example.com");
  m.payload->set("n", n);
  if (!secretInPayload.empty()) m.payload->set("url", "https://app.example.com/verify?token=" + secretInPayload);
  return m;
}

int payloadNumber(const std::string& body) {
  return Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>()->getValue<int>("n");
}

}  // namespace

class OutboxDeliveryTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(OutboxDeliveryTest);
  CPPUNIT_TEST(testEnqueueWritesAPendingRowDueNow);
  CPPUNIT_TEST(testRolledBackEnqueueIsNeverDelivered);
  CPPUNIT_TEST(testDeliveryPostsJsonWithKeysAndMarksDelivered);
  CPPUNIT_TEST(testEmailIsNeverLostWhileReceiverIsDown);
  CPPUNIT_TEST(testWorkerThreadDeliversOnceReceiverComesBack);
  CPPUNIT_TEST(testServerErrorIsRetriedWithBackoff);
  CPPUNIT_TEST(testTooManyRequestsHonoursRetryAfter);
  CPPUNIT_TEST(testSlowReceiverTimesOutAndIsRetried);
  CPPUNIT_TEST(testClientErrorIsDeadAndDoesNotBlockOthers);
  CPPUNIT_TEST(testAttemptsUsedUpMakeTheMessageDead);
  CPPUNIT_TEST(testAggregateOrderIsKeptUnderRetries);
  CPPUNIT_TEST(testUnconfiguredServiceKeepsMessagePending);
  CPPUNIT_TEST(testApiKeyIsSentButNeverLogged);
  CPPUNIT_TEST(testHttpsServiceIsAttemptedOverTls);
  CPPUNIT_TEST(testStopIsPrompt);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testEnqueueWritesAPendingRowDueNow() {
    OutboxDatabase db;
    ManualClock clock;
    auto message = email("user-1", 1);
    const auto id = crow::host::enqueue(*db.store, clock, message);
    const auto row = db.row(id);
    CPPUNIT_ASSERT_EQUAL(std::string("pending"), crow::test::text(row, t::kStatus));
    CPPUNIT_ASSERT_EQUAL(int64_t{0}, crow::test::integer(row, t::kAttempts));
    CPPUNIT_ASSERT(crow::test::timestamp(row, t::kNextAttemptAt) == clock.now());
    CPPUNIT_ASSERT(crow::test::timestamp(row, t::kCreatedAt) == clock.now());
    CPPUNIT_ASSERT_EQUAL(id, crow::test::text(row, t::kIdempotencyKey));  // generated: the id
    CPPUNIT_ASSERT_EQUAL(std::string("notification"), crow::test::text(row, t::kDestination));
    CPPUNIT_ASSERT_EQUAL(std::string("user-1"), crow::test::text(row, t::kAggregateId));
    CPPUNIT_ASSERT_EQUAL(1, payloadNumber(crow::test::text(row, t::kPayload)));

    message.idempotencyKey = "caller-key-1";
    const auto second = crow::host::enqueue(*db.store, clock, message);
    CPPUNIT_ASSERT_EQUAL(std::string("caller-key-1"), crow::test::text(db.row(second), t::kIdempotencyKey));
    // The key is unique: the same event cannot be queued twice.
    CPPUNIT_ASSERT_THROW(crow::host::enqueue(*db.store, clock, message), crow::DatabaseError);
  }

  void testRolledBackEnqueueIsNeverDelivered() {
    OutboxDatabase db;
    ManualClock clock;
    TestReceiver receiver;
    CapturingLogger logger;
    try {
      db.store->transaction([&](crow::Store& tx) {
        crow::host::enqueue(tx, clock, email("user-1", 1));
        throw std::runtime_error("the change failed after the enqueue");
      });
      CPPUNIT_FAIL("the transaction should have thrown");
    } catch (const std::runtime_error&) {
    }
    db.store->transaction([&](crow::Store& tx) { crow::host::enqueue(tx, clock, email("user-2", 2)); });

    OutboxWorker worker(*db.store, clock, servicesFor(receiver), logger, fastOptions());
    CPPUNIT_ASSERT_EQUAL(size_t{1}, worker.deliverDueOnce());
    const auto requests = receiver.requests();
    CPPUNIT_ASSERT_EQUAL(size_t{1}, requests.size());
    CPPUNIT_ASSERT_EQUAL(2, payloadNumber(requests[0].body));
    CPPUNIT_ASSERT_EQUAL(int64_t{1}, db.store->count(t::kTable, {}));
  }

  void testDeliveryPostsJsonWithKeysAndMarksDelivered() {
    OutboxDatabase db;
    ManualClock clock;
    TestReceiver receiver;
    CapturingLogger logger;
    auto message = email("user-1", 7);
    message.idempotencyKey = "evt-123";
    const auto id = crow::host::enqueue(*db.store, clock, message);
    OutboxWorker worker(*db.store, clock, servicesFor(receiver), logger, fastOptions());
    CPPUNIT_ASSERT_EQUAL(size_t{1}, worker.deliverDueOnce());
    const auto requests = receiver.requests();
    CPPUNIT_ASSERT_EQUAL(size_t{1}, requests.size());
    CPPUNIT_ASSERT_EQUAL(std::string("/internal/v1/emails"), requests[0].path);
    CPPUNIT_ASSERT_EQUAL(std::string("application/json"), requests[0].contentType);
    CPPUNIT_ASSERT_EQUAL(kServiceKey, requests[0].apiKey);
    CPPUNIT_ASSERT_EQUAL(std::string("evt-123"), requests[0].idempotencyKey);
    CPPUNIT_ASSERT_EQUAL(std::string("email.verification"), requests[0].eventType);
    CPPUNIT_ASSERT_EQUAL(7, payloadNumber(requests[0].body));

    const auto row = db.row(id);
    CPPUNIT_ASSERT_EQUAL(std::string("delivered"), crow::test::text(row, t::kStatus));
    CPPUNIT_ASSERT(crow::test::timestamp(row, t::kDeliveredAt) == clock.now());
    CPPUNIT_ASSERT(crow::isNull(crow::field(row, t::kLeaseUntil)));
    // Delivered is final: later passes send nothing.
    clock.advance(1h);
    CPPUNIT_ASSERT_EQUAL(size_t{0}, worker.deliverDueOnce());
    CPPUNIT_ASSERT_EQUAL(size_t{1}, receiver.requests().size());
  }

  // The "email is never lost": the notification service is down when the email is
  // queued and through several attempts; when it comes back, the email arrives exactly once.
  void testEmailIsNeverLostWhileReceiverIsDown() {
    OutboxDatabase db;
    ManualClock clock;
    TestReceiver receiver;
    CapturingLogger logger;
    receiver.goDown();
    const auto id = crow::host::enqueue(*db.store, clock, email("user-1", 1));
    OutboxWorker worker(*db.store, clock, servicesFor(receiver), logger, fastOptions());
    for (int pass = 0; pass < 3; ++pass) {
      CPPUNIT_ASSERT_EQUAL(size_t{0}, worker.deliverDueOnce());
      clock.advance(fastOptions().maxBackoff);
    }
    auto row = db.row(id);
    CPPUNIT_ASSERT_EQUAL(std::string("pending"), crow::test::text(row, t::kStatus));
    CPPUNIT_ASSERT_EQUAL(int64_t{3}, crow::test::integer(row, t::kAttempts));
    CPPUNIT_ASSERT_EQUAL(std::string("connection refused"), crow::test::text(row, t::kLastError));

    receiver.comeUp();
    CPPUNIT_ASSERT_EQUAL(size_t{1}, worker.deliverDueOnce());
    clock.advance(1h);
    CPPUNIT_ASSERT_EQUAL(size_t{0}, worker.deliverDueOnce());
    CPPUNIT_ASSERT_EQUAL(size_t{1}, receiver.requests().size());
    CPPUNIT_ASSERT_EQUAL(size_t{0}, receiver.duplicates());
    row = db.row(id);
    CPPUNIT_ASSERT_EQUAL(std::string("delivered"), crow::test::text(row, t::kStatus));
    CPPUNIT_ASSERT_EQUAL(int64_t{3}, crow::test::integer(row, t::kAttempts));
  }

  // The same with the background thread and the wall clock, as `serve` runs it.
  void testWorkerThreadDeliversOnceReceiverComesBack() {
    OutboxDatabase db;
    crow::test::WallClock clock;
    TestReceiver receiver;
    CapturingLogger logger;
    receiver.goDown();
    auto options = fastOptions();
    options.initialBackoff = 20ms;
    options.maxBackoff = 200ms;
    OutboxWorker worker(*db.store, clock, servicesFor(receiver), logger, options);
    worker.start();
    const auto id = crow::host::enqueue(*db.store, clock, email("user-1", 1));
    worker.wake();
    const auto waitUntil = [&](auto condition) {
      for (int i = 0; i < 500 && !condition(); ++i) std::this_thread::sleep_for(20ms);
      return condition();
    };
    CPPUNIT_ASSERT(waitUntil([&] { return crow::test::integer(db.row(id), t::kAttempts) >= 2; }));
    CPPUNIT_ASSERT(receiver.requests().empty());
    receiver.comeUp();
    CPPUNIT_ASSERT(waitUntil([&] { return crow::test::text(db.row(id), t::kStatus) == "delivered"; }));
    std::this_thread::sleep_for(300ms);  // a few more passes: still exactly one delivery
    worker.stop();
    CPPUNIT_ASSERT_EQUAL(size_t{1}, receiver.requests().size());
  }

  void testServerErrorIsRetriedWithBackoff() {
    OutboxDatabase db;
    ManualClock clock;
    TestReceiver receiver;
    CapturingLogger logger;
    receiver.setMode(TestReceiver::Mode::ServerError);
    const auto id = crow::host::enqueue(*db.store, clock, email("user-1", 1));
    const auto options = fastOptions();
    OutboxWorker worker(*db.store, clock, servicesFor(receiver), logger, options);

    for (int failures = 0; failures < 3; ++failures) {
      CPPUNIT_ASSERT_EQUAL(size_t{0}, worker.deliverDueOnce());
      const auto row = db.row(id);
      CPPUNIT_ASSERT_EQUAL(std::string("pending"), crow::test::text(row, t::kStatus));
      CPPUNIT_ASSERT_EQUAL(int64_t{failures + 1}, crow::test::integer(row, t::kAttempts));
      CPPUNIT_ASSERT(crow::test::text(row, t::kLastError).rfind("HTTP 500", 0) == 0);
      // Full jitter: due somewhere in [now, now + initial * 2^failures].
      const auto wait = crow::test::timestamp(row, t::kNextAttemptAt).epochMs - clock.now().epochMs;
      CPPUNIT_ASSERT(wait >= 0 && wait <= options.initialBackoff.count() << failures);
      clock.advance(std::chrono::milliseconds(wait + 1));
    }
    receiver.setMode(TestReceiver::Mode::Ok);
    CPPUNIT_ASSERT_EQUAL(size_t{1}, worker.deliverDueOnce());
    const auto row = db.row(id);
    CPPUNIT_ASSERT_EQUAL(std::string("delivered"), crow::test::text(row, t::kStatus));
    CPPUNIT_ASSERT_EQUAL(int64_t{3}, crow::test::integer(row, t::kAttempts));
    const auto requests = receiver.requests();
    CPPUNIT_ASSERT_EQUAL(size_t{4}, requests.size());
    for (const auto& r : requests) CPPUNIT_ASSERT_EQUAL(id, r.idempotencyKey);  // same key each time
    CPPUNIT_ASSERT_EQUAL(size_t{1}, receiver.acceptedKeys().size());
  }

  void testTooManyRequestsHonoursRetryAfter() {
    OutboxDatabase db;
    ManualClock clock;
    TestReceiver receiver;
    CapturingLogger logger;
    receiver.setMode(TestReceiver::Mode::TooManyRequests);  // Retry-After: 2
    const auto id = crow::host::enqueue(*db.store, clock, email("user-1", 1));
    auto options = fastOptions();
    options.maxBackoff = 10s;
    OutboxWorker worker(*db.store, clock, servicesFor(receiver), logger, options);
    CPPUNIT_ASSERT_EQUAL(size_t{0}, worker.deliverDueOnce());
    const auto row = db.row(id);
    CPPUNIT_ASSERT_EQUAL(std::string("pending"), crow::test::text(row, t::kStatus));
    CPPUNIT_ASSERT(crow::test::text(row, t::kLastError).rfind("HTTP 429", 0) == 0);
    CPPUNIT_ASSERT(crow::test::timestamp(row, t::kNextAttemptAt).epochMs >= clock.now().epochMs + 2000);
    clock.advance(1s);
    receiver.setMode(TestReceiver::Mode::Ok);
    CPPUNIT_ASSERT_EQUAL(size_t{0}, worker.deliverDueOnce());  // not before Retry-After
    clock.advance(1100ms);
    CPPUNIT_ASSERT_EQUAL(size_t{1}, worker.deliverDueOnce());
  }

  void testSlowReceiverTimesOutAndIsRetried() {
    OutboxDatabase db;
    ManualClock clock;
    TestReceiver receiver;
    CapturingLogger logger;
    receiver.setMode(TestReceiver::Mode::Slow);
    receiver.setSlowDelay(1500ms);
    auto options = fastOptions();
    options.requestTimeout = 300ms;
    const auto id = crow::host::enqueue(*db.store, clock, email("user-1", 1));
    OutboxWorker worker(*db.store, clock, servicesFor(receiver), logger, options);
    const auto started = std::chrono::steady_clock::now();
    CPPUNIT_ASSERT_EQUAL(size_t{0}, worker.deliverDueOnce());
    CPPUNIT_ASSERT(std::chrono::steady_clock::now() - started < 1200ms);  // gave up at the timeout
    auto row = db.row(id);
    CPPUNIT_ASSERT_EQUAL(std::string("pending"), crow::test::text(row, t::kStatus));
    CPPUNIT_ASSERT_EQUAL(std::string("timeout"), crow::test::text(row, t::kLastError));
    CPPUNIT_ASSERT_EQUAL(int64_t{1}, crow::test::integer(row, t::kAttempts));

    receiver.setMode(TestReceiver::Mode::Ok);
    clock.advance(options.maxBackoff);
    CPPUNIT_ASSERT_EQUAL(size_t{1}, worker.deliverDueOnce());
    CPPUNIT_ASSERT_EQUAL(std::string("delivered"), crow::test::text(db.row(id), t::kStatus));
  }

  // A 4xx means the receiver will never take this message: it is parked at once with the reason.
  // Decision: a dead message does not hold back later messages of its aggregate (otherwise one
  // bad payload would stop that user's emails for good); it stays in the table for an operator.
  void testClientErrorIsDeadAndDoesNotBlockOthers() {
    OutboxDatabase db;
    ManualClock clock;
    TestReceiver receiver;
    CapturingLogger logger;
    receiver.setMode(TestReceiver::Mode::BadRequest);
    const auto rejected = crow::host::enqueue(*db.store, clock, email("user-a", 1));
    OutboxWorker worker(*db.store, clock, servicesFor(receiver), logger, fastOptions());
    CPPUNIT_ASSERT_EQUAL(size_t{0}, worker.deliverDueOnce());
    auto row = db.row(rejected);
    CPPUNIT_ASSERT_EQUAL(std::string("dead"), crow::test::text(row, t::kStatus));
    CPPUNIT_ASSERT_EQUAL(int64_t{1}, crow::test::integer(row, t::kAttempts));
    CPPUNIT_ASSERT_EQUAL(std::string("HTTP 400 Bad Request"), crow::test::text(row, t::kLastError));

    receiver.setMode(TestReceiver::Mode::Ok);
    const auto otherAggregate = crow::host::enqueue(*db.store, clock, email("user-b", 2));
    const auto sameAggregate = crow::host::enqueue(*db.store, clock, email("user-a", 3));
    CPPUNIT_ASSERT_EQUAL(size_t{2}, worker.deliverDueOnce());
    CPPUNIT_ASSERT_EQUAL(std::string("delivered"), crow::test::text(db.row(otherAggregate), t::kStatus));
    CPPUNIT_ASSERT_EQUAL(std::string("delivered"), crow::test::text(db.row(sameAggregate), t::kStatus));
    clock.advance(1h);
    CPPUNIT_ASSERT_EQUAL(size_t{0}, worker.deliverDueOnce());  // dead is final
    CPPUNIT_ASSERT_EQUAL(std::string("dead"), crow::test::text(db.row(rejected), t::kStatus));
    CPPUNIT_ASSERT_EQUAL(size_t{3}, receiver.requests().size());
  }

  void testAttemptsUsedUpMakeTheMessageDead() {
    OutboxDatabase db;
    ManualClock clock;
    TestReceiver receiver;
    CapturingLogger logger;
    receiver.setMode(TestReceiver::Mode::ServerError);
    auto options = fastOptions();
    options.maxAttempts = 3;
    const auto id = crow::host::enqueue(*db.store, clock, email("user-1", 1));
    OutboxWorker worker(*db.store, clock, servicesFor(receiver), logger, options);
    for (int pass = 0; pass < 5; ++pass) {
      worker.deliverDueOnce();
      clock.advance(options.maxBackoff);
    }
    const auto row = db.row(id);
    CPPUNIT_ASSERT_EQUAL(std::string("dead"), crow::test::text(row, t::kStatus));
    CPPUNIT_ASSERT_EQUAL(int64_t{3}, crow::test::integer(row, t::kAttempts));
    CPPUNIT_ASSERT(crow::test::text(row, t::kLastError).find("gave up after 3 attempts") != std::string::npos);
    CPPUNIT_ASSERT_EQUAL(size_t{3}, receiver.requests().size());
  }

  // While the first message of an aggregate is failing, its later messages are not sent at all;
  // other aggregates are not held back; once it goes through, the rest follow in order.
  void testAggregateOrderIsKeptUnderRetries() {
    OutboxDatabase db;
    ManualClock clock;
    TestReceiver receiver;
    CapturingLogger logger;
    // 429 with Retry-After: 2 (capped at maxBackoff, 1 s): a delay with no jitter at zero, so
    // the second pass below deterministically finds user-a's first message still waiting.
    receiver.setMode(TestReceiver::Mode::TooManyRequests);
    std::vector<std::string> userA;
    for (int n = 1; n <= 3; ++n) userA.push_back(crow::host::enqueue(*db.store, clock, email("user-a", n)));
    OutboxWorker worker(*db.store, clock, servicesFor(receiver), logger, fastOptions());
    worker.deliverDueOnce();
    auto requests = receiver.requests();
    CPPUNIT_ASSERT_EQUAL(size_t{1}, requests.size());  // only the oldest of user-a was tried
    CPPUNIT_ASSERT_EQUAL(userA[0], requests[0].idempotencyKey);

    receiver.setMode(TestReceiver::Mode::Ok);
    const auto userB = crow::host::enqueue(*db.store, clock, email("user-b", 10));
    CPPUNIT_ASSERT_EQUAL(size_t{1}, worker.deliverDueOnce());  // user-a waits for its backoff, user-b goes
    CPPUNIT_ASSERT_EQUAL(std::string("delivered"), crow::test::text(db.row(userB), t::kStatus));
    CPPUNIT_ASSERT_EQUAL(std::string("pending"), crow::test::text(db.row(userA[1]), t::kStatus));

    clock.advance(fastOptions().maxBackoff);
    CPPUNIT_ASSERT_EQUAL(size_t{3}, worker.deliverDueOnce());
    std::vector<std::string> acceptedA;
    for (const auto& key : receiver.acceptedKeys())
      if (key != userB) acceptedA.push_back(key);
    CPPUNIT_ASSERT(acceptedA == userA);
  }

  void testUnconfiguredServiceKeepsMessagePending() {
    OutboxDatabase db;
    ManualClock clock;
    TestReceiver receiver;
    CapturingLogger logger;
    auto message = email("org-1", 1);
    message.destination = "billing";
    const auto id = crow::host::enqueue(*db.store, clock, message);
    const auto options = fastOptions();
    OutboxWorker worker(*db.store, clock, servicesFor(receiver), logger, options);
    for (int pass = 0; pass < 3; ++pass) {
      CPPUNIT_ASSERT_EQUAL(size_t{0}, worker.deliverDueOnce());
      clock.advance(options.maxBackoff);
    }
    const auto row = db.row(id);
    CPPUNIT_ASSERT_EQUAL(std::string("pending"), crow::test::text(row, t::kStatus));
    CPPUNIT_ASSERT_EQUAL(int64_t{0}, crow::test::integer(row, t::kAttempts));  // never counts toward dead
    CPPUNIT_ASSERT_EQUAL(std::string("service billing not configured"), crow::test::text(row, t::kLastError));
    CPPUNIT_ASSERT(receiver.requests().empty());

    // A host restarted with the service configured delivers it.
    auto services = servicesFor(receiver);
    services["billing"] = crow::host::ServiceTarget{"billing", receiver.url(), "billing-key"};
    OutboxWorker configured(*db.store, clock, services, logger, options);
    CPPUNIT_ASSERT_EQUAL(size_t{1}, configured.deliverDueOnce());
    CPPUNIT_ASSERT_EQUAL(std::string("billing-key"), receiver.requests().at(0).apiKey);
  }

  void testApiKeyIsSentButNeverLogged() {
    OutboxDatabase db;
    ManualClock clock;
    TestReceiver receiver;
    CapturingLogger logger;
    const std::string payloadSecret = "verification-token-Zq81";
    auto message = email("user-1", 1, payloadSecret);
    message.idempotencyKey = "idem-key-Kp02";
    const auto id = crow::host::enqueue(*db.store, clock, message);
    OutboxWorker worker(*db.store, clock, servicesFor(receiver), logger, fastOptions());
    // Every failure path logs: refused, 500, timeout-free 429, then a 400 that kills it.
    receiver.goDown();
    worker.deliverDueOnce();
    receiver.comeUp();
    for (auto mode : {TestReceiver::Mode::ServerError, TestReceiver::Mode::TooManyRequests, TestReceiver::Mode::BadRequest}) {
      receiver.setMode(mode);
      clock.advance(10s);
      worker.deliverDueOnce();
    }
    CPPUNIT_ASSERT_EQUAL(std::string("dead"), crow::test::text(db.row(id), t::kStatus));
    const auto requests = receiver.requests();
    CPPUNIT_ASSERT_EQUAL(size_t{3}, requests.size());
    for (const auto& r : requests) {
      CPPUNIT_ASSERT_EQUAL(kServiceKey, r.apiKey);
      CPPUNIT_ASSERT(r.body.find(payloadSecret) != std::string::npos);
    }
    const auto lines = logger.lines();
    CPPUNIT_ASSERT_EQUAL(size_t{4}, lines.size());  // one line per failed attempt
    CPPUNIT_ASSERT(logger.mentions("destination=notification"));
    CPPUNIT_ASSERT(logger.mentions("event=email.verification"));
    CPPUNIT_ASSERT(logger.mentions("attempt=4"));
    CPPUNIT_ASSERT(!logger.mentions(kServiceKey));
    CPPUNIT_ASSERT(!logger.mentions(payloadSecret));
    CPPUNIT_ASSERT(!logger.mentions("idem-key-Kp02"));
    CPPUNIT_ASSERT(!logger.mentions("user-1@example.com"));
    // lastError holds no secret either.
    const auto lastError = crow::test::text(db.row(id), t::kLastError);
    CPPUNIT_ASSERT(lastError.find(kServiceKey) == std::string::npos);
    CPPUNIT_ASSERT(lastError.find(payloadSecret) == std::string::npos);
  }

  // An https service gets TLS: against this plain-HTTP receiver the handshake fails, which is a
  // retryable network error (and the message stays pending), never a plaintext POST.
  void testHttpsServiceIsAttemptedOverTls() {
    OutboxDatabase db;
    ManualClock clock;
    TestReceiver receiver;
    CapturingLogger logger;
    const auto id = crow::host::enqueue(*db.store, clock, email("user-1", 1));
    std::map<std::string, crow::host::ServiceTarget> services{
        {"notification", crow::host::ServiceTarget{"notification", "https://127.0.0.1:" + std::to_string(receiver.port()), kServiceKey}}};
    OutboxWorker worker(*db.store, clock, services, logger, fastOptions());
    CPPUNIT_ASSERT_EQUAL(size_t{0}, worker.deliverDueOnce());
    const auto row = db.row(id);
    CPPUNIT_ASSERT_EQUAL(std::string("pending"), crow::test::text(row, t::kStatus));
    const auto lastError = crow::test::text(row, t::kLastError);
    // The plain receiver either rejects the ClientHello at once (a network error) or, when the
    // hello's random bytes read as the start of a request line, waits for more until the
    // request timeout: both are retryable failures, and no POST reached it in clear text.
    if (crow::host::HttpDelivery::supportsHttps())
      CPPUNIT_ASSERT_MESSAGE(lastError, lastError.rfind("network error", 0) == 0 || lastError.rfind("timeout", 0) == 0);
    else
      CPPUNIT_ASSERT_MESSAGE(lastError, lastError.find("unsupported URL scheme") != std::string::npos);
    // The receiver may record the timed-out hello's bytes as a request of its own; what must never
    // arrive is the delivery itself (its service key, its event).
    for (const auto& request : receiver.requests()) {
      CPPUNIT_ASSERT(request.apiKey != kServiceKey);
      CPPUNIT_ASSERT(request.eventType.empty());
    }
  }

  void testStopIsPrompt() {
    OutboxDatabase db;
    crow::test::WallClock clock;
    TestReceiver receiver;
    CapturingLogger logger;
    auto options = fastOptions();
    options.pollInterval = 60s;
    OutboxWorker worker(*db.store, clock, servicesFor(receiver), logger, options);
    worker.start();
    std::this_thread::sleep_for(100ms);  // now sleeping in its 60 s wait
    const auto started = std::chrono::steady_clock::now();
    worker.stop();
    CPPUNIT_ASSERT(std::chrono::steady_clock::now() - started < 1s);
    worker.start();  // restartable
    crow::host::enqueue(*db.store, clock, email("user-1", 1));
    worker.wake();
    for (int i = 0; i < 250 && receiver.requests().empty(); ++i) std::this_thread::sleep_for(20ms);
    worker.stop();
    CPPUNIT_ASSERT_EQUAL(size_t{1}, receiver.requests().size());
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(OutboxDeliveryTest);
