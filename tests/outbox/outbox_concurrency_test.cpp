// Several workers on one database: each message is delivered once, per-aggregate order holds,
// and a message whose claimer died is delivered by another worker once the lease ends.
#include "outbox_fixture.hpp"
#include "test_receiver.hpp"

#include "outbox/claims.hpp"
#include "outbox/outbox.hpp"
#include "outbox/outbox_table.hpp"
#include "outbox/outcomes.hpp"

#include <Poco/JSON/Object.h>
#include <cppunit/extensions/HelperMacros.h>

#include <iostream>
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

OutboxMessage event(const std::string& aggregateId, int n) {
  OutboxMessage m;
  m.destination = "user";
  m.path = "/v1/events";
  m.aggregateId = aggregateId;
  m.eventType = "user.updated";
  m.payload = new Poco::JSON::Object;
  m.payload->set("n", n);
  return m;
}

std::map<std::string, crow::host::ServiceTarget> servicesFor(const TestReceiver& receiver,
                                                         const std::string& key = "user-service-key") {
  return {{"user", crow::host::ServiceTarget{"user", receiver.url(), key}}};
}

}  // namespace

class OutboxConcurrencyTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(OutboxConcurrencyTest);
  CPPUNIT_TEST(testOnlyOneClaimWins);
  CPPUNIT_TEST(testTwoWorkersDeliverEachMessageOnce);
  CPPUNIT_TEST(testExpiredLeaseIsTakenOverByAnotherWorker);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testOnlyOneClaimWins() {
    OutboxDatabase db;
    ManualClock clock;
    const auto id = crow::host::enqueue(*db.store, clock, event("u1", 1));
    crow::host::OutboxClaims first(*db.store, 30s);
    auto second = db.openSecondInstance();
    crow::host::OutboxClaims other(*second, 30s);
    const auto claimed = first.claim(id, clock.now());
    CPPUNIT_ASSERT(claimed.has_value());
    CPPUNIT_ASSERT(!other.claim(id, clock.now()).has_value());
    CPPUNIT_ASSERT(!first.claim(id, clock.now()).has_value());
    const auto row = db.row(id);
    CPPUNIT_ASSERT_EQUAL(std::string("delivering"), crow::test::text(row, t::kStatus));
    CPPUNIT_ASSERT(crow::test::timestamp(row, t::kLeaseUntil).epochMs == clock.now().epochMs + 30000);
    // Not due while leased, for anyone.
    CPPUNIT_ASSERT(other.dueAfter(clock.now(), "", 10).empty());
  }

  // Two instances (two backends, two connection pools, one SQLite file), each with its worker
  // thread, drain 200 messages over 20 aggregates. The receiver counts duplicates by key.
  void testTwoWorkersDeliverEachMessageOnce() {
    OutboxDatabase db;
    crow::test::WallClock clock;
    TestReceiver receiver;
    CapturingLogger logger;
    auto secondStore = db.openSecondInstance();
    constexpr int kAggregates = 20, kPerAggregate = 10;
    std::map<std::string, std::vector<std::string>> expectedOrder;
    db.store->transaction([&](crow::Store& tx) {
      for (int n = 0; n < kAggregates * kPerAggregate; ++n) {
        const std::string aggregate = "user-" + std::to_string(n % kAggregates);
        expectedOrder[aggregate].push_back(crow::host::enqueue(tx, clock, event(aggregate, n)));
      }
    });

    OutboxOptions options;
    options.pollInterval = 5ms;
    options.batchSize = 16;
    // Each instance presents its own key, so the receiver can tell who delivered what.
    OutboxWorker one(*db.store, clock, servicesFor(receiver, "instance-one"), logger, options);
    OutboxWorker two(*secondStore, clock, servicesFor(receiver, "instance-two"), logger, options);
    const auto started = std::chrono::steady_clock::now();
    one.start();
    two.start();
    for (int i = 0; i < 3000 && db.countWithStatus("delivered") < kAggregates * kPerAggregate; ++i)
      std::this_thread::sleep_for(10ms);
    const auto elapsed = std::chrono::steady_clock::now() - started;
    one.stop();
    two.stop();

    CPPUNIT_ASSERT_EQUAL(int64_t{kAggregates * kPerAggregate}, db.countWithStatus("delivered"));
    CPPUNIT_ASSERT_EQUAL(size_t{0}, receiver.duplicates());
    CPPUNIT_ASSERT_EQUAL(size_t{kAggregates * kPerAggregate}, receiver.acceptedKeys().size());
    CPPUNIT_ASSERT_EQUAL(size_t{kAggregates * kPerAggregate}, receiver.requests().size());
    // Order within each aggregate, as the receiver saw it.
    std::map<std::string, std::string> aggregateOf;
    for (const auto& [aggregate, ids] : expectedOrder)
      for (const auto& id : ids) aggregateOf[id] = aggregate;
    std::map<std::string, std::vector<std::string>> seenOrder;
    for (const auto& key : receiver.acceptedKeys()) seenOrder[aggregateOf.at(key)].push_back(key);
    CPPUNIT_ASSERT(seenOrder == expectedOrder);
    CPPUNIT_ASSERT(logger.lines().empty());  // no failure, no lost lease
    size_t byOne = 0;
    for (const auto& r : receiver.requests()) byOne += r.apiKey == "instance-one";
    std::cerr << "\n  [instance one delivered " << byOne << ", instance two " << 200 - byOne << "]";
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count();
    std::cerr << "\n  [two workers: 200 messages in " << ms << " ms]" << std::endl;
  }

  // A worker claims a message and "crashes" (never settles it). Nobody else touches it while the
  // lease runs; afterwards another worker delivers it, and the crashed claimer's late result is
  // refused.
  void testExpiredLeaseIsTakenOverByAnotherWorker() {
    OutboxDatabase db;
    ManualClock clock;
    TestReceiver receiver;
    CapturingLogger logger;
    OutboxOptions options;
    options.lease = 2000ms;
    const auto id = crow::host::enqueue(*db.store, clock, event("u1", 1));
    const auto later = crow::host::enqueue(*db.store, clock, event("u1", 2));  // same aggregate, waits

    crow::host::OutboxClaims crashed(*db.store, options.lease);
    const auto abandoned = crashed.claim(id, clock.now());
    CPPUNIT_ASSERT(abandoned.has_value());

    OutboxWorker survivor(*db.store, clock, servicesFor(receiver), logger, options);
    CPPUNIT_ASSERT_EQUAL(size_t{0}, survivor.deliverDueOnce());
    clock.advance(1999ms);
    CPPUNIT_ASSERT_EQUAL(size_t{0}, survivor.deliverDueOnce());
    CPPUNIT_ASSERT(receiver.requests().empty());

    clock.advance(2ms);
    CPPUNIT_ASSERT_EQUAL(size_t{2}, survivor.deliverDueOnce());
    CPPUNIT_ASSERT_EQUAL(std::string("delivered"), crow::test::text(db.row(id), t::kStatus));
    CPPUNIT_ASSERT_EQUAL(std::string("delivered"), crow::test::text(db.row(later), t::kStatus));
    CPPUNIT_ASSERT((receiver.acceptedKeys() == std::vector<std::string>{id, later}));

    // The crashed worker wakes up and reports a failure: it no longer holds the lease.
    crow::host::OutboxOutcomes outcomes(*db.store);
    CPPUNIT_ASSERT(!outcomes.retryLater(*abandoned, clock.now(), clock.now(), "HTTP 500"));
    CPPUNIT_ASSERT(!outcomes.delivered(*abandoned, clock.now()));
    CPPUNIT_ASSERT_EQUAL(std::string("delivered"), crow::test::text(db.row(id), t::kStatus));
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(OutboxConcurrencyTest);
