// The FIFO semaphore behind the password hasher's bound. Deterministic: threads are observed
// through waiting()/inUse(), never through sleeps that must be "long enough".
#include "crypto/fifo_semaphore.hpp"

#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

using namespace crow::host;

namespace {
// Spins (yielding) until `condition` holds; the suite's timeout catches a hang.
template <typename Condition>
void waitUntil(Condition condition) {
  while (!condition()) std::this_thread::yield();
}
}  // namespace

class FifoSemaphoreTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(FifoSemaphoreTest);
  CPPUNIT_TEST(zeroPermitsMeansOne);
  CPPUNIT_TEST(blocksBeyondPermitsAndResumesOnRelease);
  CPPUNIT_TEST(admitsWaitersInArrivalOrder);
  CPPUNIT_TEST(neverExceedsPermitsUnderContention);
  CPPUNIT_TEST_SUITE_END();

 public:
  void zeroPermitsMeansOne() { CPPUNIT_ASSERT_EQUAL(std::size_t(1), FifoSemaphore(0).permits()); }

  void blocksBeyondPermitsAndResumesOnRelease() {
    FifoSemaphore semaphore(2);
    semaphore.acquire();
    semaphore.acquire();
    CPPUNIT_ASSERT_EQUAL(std::size_t(2), semaphore.inUse());
    std::atomic<bool> entered{false};
    std::thread third([&] {
      FifoSemaphore::Permit permit(semaphore);
      entered = true;
    });
    waitUntil([&] { return semaphore.waiting() == 1; });
    CPPUNIT_ASSERT(!entered.load());  // it is queued, and cannot have entered while both are held
    semaphore.release();
    third.join();
    CPPUNIT_ASSERT(entered.load());
    semaphore.release();
    CPPUNIT_ASSERT_EQUAL(std::size_t(0), semaphore.inUse());
    CPPUNIT_ASSERT_EQUAL(std::size_t(0), semaphore.waiting());
  }

  void admitsWaitersInArrivalOrder() {
    FifoSemaphore semaphore(1);
    semaphore.acquire();
    std::mutex orderMutex;
    std::vector<int> order;
    std::vector<std::thread> threads;
    for (int i = 0; i < 5; ++i) {
      threads.emplace_back([&, i] {
        FifoSemaphore::Permit permit(semaphore);
        std::lock_guard lock(orderMutex);
        order.push_back(i);
      });
      // Thread i is queued before thread i+1 starts: arrival order is 0, 1, 2, 3, 4.
      waitUntil([&] { return semaphore.waiting() == static_cast<std::size_t>(i + 1); });
    }
    semaphore.release();
    for (auto& thread : threads) thread.join();
    CPPUNIT_ASSERT_EQUAL(std::size_t(5), order.size());
    for (int i = 0; i < 5; ++i) CPPUNIT_ASSERT_EQUAL(i, order[static_cast<std::size_t>(i)]);
  }

  void neverExceedsPermitsUnderContention() {
    FifoSemaphore semaphore(3);
    std::atomic<int> inside{0};
    std::atomic<int> peak{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
      threads.emplace_back([&] {
        for (int i = 0; i < 2000; ++i) {
          FifoSemaphore::Permit permit(semaphore);
          const int now = ++inside;
          int seen = peak.load();
          while (now > seen && !peak.compare_exchange_weak(seen, now)) {
          }
          --inside;
        }
      });
    }
    for (auto& thread : threads) thread.join();
    CPPUNIT_ASSERT(peak.load() >= 1 && peak.load() <= 3);
    CPPUNIT_ASSERT_EQUAL(std::size_t(0), semaphore.inUse());
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(FifoSemaphoreTest);
