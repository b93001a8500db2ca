// The `outbox:` block: defaults, each key, and the checks that keep the worker sane.
#include "config_test_support.hpp"

using namespace config_test;

class OutboxConfigTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(OutboxConfigTest);
  CPPUNIT_TEST(defaultsWhenAbsent);
  CPPUNIT_TEST(everyKeyIsRead);
  CPPUNIT_TEST(unknownKeyAndRanges);
  CPPUNIT_TEST(leaseMustOutlastTheRequestAndBackoffsMustBeOrdered);
  CPPUNIT_TEST_SUITE_END();

 public:
  void defaultsWhenAbsent() {
    const auto outbox = load("basePath: /api/v1/auth\n").outbox;
    CPPUNIT_ASSERT_EQUAL(200, outbox.pollIntervalMs);
    CPPUNIT_ASSERT_EQUAL(5000, outbox.requestTimeoutMs);
    CPPUNIT_ASSERT_EQUAL(12, outbox.maxAttempts);
    CPPUNIT_ASSERT_EQUAL(500, outbox.initialBackoffMs);
    CPPUNIT_ASSERT_EQUAL(300000, outbox.maxBackoffMs);
    CPPUNIT_ASSERT_EQUAL(30000, outbox.leaseMs);
    CPPUNIT_ASSERT_EQUAL(32, outbox.batchSize);
    CPPUNIT_ASSERT_EQUAL(4, outbox.deliveryLanes);
  }

  void everyKeyIsRead() {
    const auto outbox = load("outbox:\n  pollIntervalMs: 50\n  requestTimeoutMs: ${TIMEOUT}\n  maxAttempts: 3\n"
                             "  initialBackoffMs: 10\n  maxBackoffMs: 2000\n  leaseMs: 4000\n  batchSize: 100\n"
                             "  deliveryLanes: 2\n",
                             {{"TIMEOUT", "300"}})
                            .outbox;
    CPPUNIT_ASSERT_EQUAL(50, outbox.pollIntervalMs);
    CPPUNIT_ASSERT_EQUAL(300, outbox.requestTimeoutMs);
    CPPUNIT_ASSERT_EQUAL(3, outbox.maxAttempts);
    CPPUNIT_ASSERT_EQUAL(10, outbox.initialBackoffMs);
    CPPUNIT_ASSERT_EQUAL(2000, outbox.maxBackoffMs);
    CPPUNIT_ASSERT_EQUAL(4000, outbox.leaseMs);
    CPPUNIT_ASSERT_EQUAL(100, outbox.batchSize);
    CPPUNIT_ASSERT_EQUAL(2, outbox.deliveryLanes);
  }

  void unknownKeyAndRanges() {
    std::string e = loadError("outbox:\n  pollInterval: 50\n");
    CPPUNIT_ASSERT_MESSAGE(e, contains(e, "test.yaml:2: outbox.pollInterval"));
    e = loadError("outbox:\n  maxAttempts: 0\n");
    CPPUNIT_ASSERT_MESSAGE(e, contains(e, "outbox.maxAttempts: must be between 1 and 1000, got 0"));
    e = loadError("outbox:\n  batchSize: many\n");
    CPPUNIT_ASSERT_MESSAGE(e, contains(e, "outbox.batchSize"));
  }

  void leaseMustOutlastTheRequestAndBackoffsMustBeOrdered() {
    std::string e = loadError("outbox:\n  requestTimeoutMs: 30000\n");
    CPPUNIT_ASSERT_MESSAGE(e, contains(e, "test.yaml:2: outbox.requestTimeoutMs: leaseMs (30000) must be longer"));
    e = loadError("outbox:\n  requestTimeoutMs: 1000\n  leaseMs: 1000\n");
    CPPUNIT_ASSERT_MESSAGE(e, contains(e, "test.yaml:3: outbox.leaseMs"));
    e = loadError("outbox:\n  initialBackoffMs: 5000\n  maxBackoffMs: 1000\n");
    CPPUNIT_ASSERT_MESSAGE(e, contains(e, "outbox.maxBackoffMs: maxBackoffMs (1000) must not be below initialBackoffMs (5000)"));
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(OutboxConfigTest);
