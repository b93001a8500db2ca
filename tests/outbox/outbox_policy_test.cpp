// Unit tests of the pure parts: backoff windows, how statuses are classified, id order.
#include "outbox/backoff.hpp"
#include "outbox/delivery_result.hpp"
#include "outbox/message_id.hpp"

#include <cppunit/extensions/HelperMacros.h>

using namespace std::chrono_literals;
using crow::host::BackoffPolicy;
using crow::host::DeliveryResult;

class OutboxPolicyTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(OutboxPolicyTest);
  CPPUNIT_TEST(testBackoffCeilingDoublesUpToTheCap);
  CPPUNIT_TEST(testBackoffDelayIsFullJitterWithinTheCeiling);
  CPPUNIT_TEST(testRetryAfterIsAFloorButStillCapped);
  CPPUNIT_TEST(testStatusClassification);
  CPPUNIT_TEST(testRetryAfterParsing);
  CPPUNIT_TEST(testMessageIdsSortInCreationOrder);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testBackoffCeilingDoublesUpToTheCap() {
    BackoffPolicy policy(500ms, 300000ms);
    CPPUNIT_ASSERT_EQUAL(500LL, static_cast<long long>(policy.ceiling(0).count()));
    CPPUNIT_ASSERT_EQUAL(1000LL, static_cast<long long>(policy.ceiling(1).count()));
    CPPUNIT_ASSERT_EQUAL(64000LL, static_cast<long long>(policy.ceiling(7).count()));
    CPPUNIT_ASSERT_EQUAL(300000LL, static_cast<long long>(policy.ceiling(10).count()));
    // Far past the cap: no overflow, still the cap.
    CPPUNIT_ASSERT_EQUAL(300000LL, static_cast<long long>(policy.ceiling(1000).count()));
  }

  void testBackoffDelayIsFullJitterWithinTheCeiling() {
    BackoffPolicy policy(1000ms, 60000ms);
    long long smallest = 1 << 30, largest = -1;
    for (int i = 0; i < 2000; ++i) {
      const auto d = policy.delay(3).count();  // window [0, 8000]
      CPPUNIT_ASSERT(d >= 0 && d <= 8000);
      smallest = std::min(smallest, static_cast<long long>(d));
      largest = std::max(largest, static_cast<long long>(d));
    }
    // Full jitter spreads over the whole window, not just its top half.
    CPPUNIT_ASSERT(smallest < 1000);
    CPPUNIT_ASSERT(largest > 7000);
  }

  void testRetryAfterIsAFloorButStillCapped() {
    BackoffPolicy policy(100ms, 5000ms);
    for (int i = 0; i < 100; ++i) {
      CPPUNIT_ASSERT(policy.delay(0, 2000ms) >= 2000ms);
      CPPUNIT_ASSERT(policy.delay(0, 2000ms) <= 2000ms);  // window [0,100] is below the floor
      CPPUNIT_ASSERT(policy.delay(0, 3600000ms) == 5000ms);
    }
  }

  void testStatusClassification() {
    using Kind = DeliveryResult::Kind;
    CPPUNIT_ASSERT(crow::host::classifyHttpStatus(200).kind == Kind::Delivered);
    CPPUNIT_ASSERT(crow::host::classifyHttpStatus(202).kind == Kind::Delivered);
    CPPUNIT_ASSERT(crow::host::classifyHttpStatus(204).kind == Kind::Delivered);
    for (int retry : {408, 425, 429, 500, 502, 503, 504, 301, 307})
      CPPUNIT_ASSERT_MESSAGE(std::to_string(retry), crow::host::classifyHttpStatus(retry).kind == Kind::Retry);
    for (int dead : {400, 401, 403, 404, 409, 413, 422})
      CPPUNIT_ASSERT_MESSAGE(std::to_string(dead), crow::host::classifyHttpStatus(dead).kind == Kind::Dead);
    CPPUNIT_ASSERT_EQUAL(std::string("HTTP 400 Bad Request"), crow::host::classifyHttpStatus(400, "Bad Request").reason);
  }

  void testRetryAfterParsing() {
    CPPUNIT_ASSERT(crow::host::parseRetryAfter("120") == std::optional(std::chrono::milliseconds(120000)));
    CPPUNIT_ASSERT(crow::host::parseRetryAfter("0") == std::optional(std::chrono::milliseconds(0)));
    CPPUNIT_ASSERT(!crow::host::parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT"));
    CPPUNIT_ASSERT(!crow::host::parseRetryAfter("-1"));
    CPPUNIT_ASSERT(!crow::host::parseRetryAfter(""));
    CPPUNIT_ASSERT(!crow::host::parseRetryAfter("99999999999999"));
  }

  void testMessageIdsSortInCreationOrder() {
    const crow::Timestamp sameMillisecond{1'750'000'000'000};
    std::string previous;
    for (int i = 0; i < 1000; ++i) {
      const auto id = crow::host::newOutboxMessageId(sameMillisecond);
      CPPUNIT_ASSERT_EQUAL(size_t{32}, id.size());
      CPPUNIT_ASSERT_MESSAGE(previous + " < " + id, previous < id);
      previous = id;
    }
    const auto later = crow::host::newOutboxMessageId(crow::Timestamp{sameMillisecond.epochMs + 1});
    CPPUNIT_ASSERT(previous < later);
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(OutboxPolicyTest);
