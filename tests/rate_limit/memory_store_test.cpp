// The memory store: the fixed-window contract with a fake clock, exact counting under contention,
// and the bound on its size (what happens at the cap).
#include "memory_store.hpp"
#include "store_semantics.hpp"

#include <cppunit/extensions/HelperMacros.h>

using namespace crow::rate_limit;

class MemoryStoreTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(MemoryStoreTest);
  CPPUNIT_TEST(fixedWindow);
  CPPUNIT_TEST(expiredWindowRestarts);
  CPPUNIT_TEST(exactlyMaxUnderContention);
  CPPUNIT_TEST(manyKeysUnderContention);
  CPPUNIT_TEST(expiredEntriesAreSwept);
  CPPUNIT_TEST(fullStoreRefusesNewKeysButKeepsCounting);
  CPPUNIT_TEST(fullStoreRecoversWhenWindowsEnd);
  CPPUNIT_TEST_SUITE_END();

 public:
  void fixedWindow() {
    MemoryStore store;
    rate_limit_test::checkFixedWindow(store, "1.2.3.4|/sign-in*");
  }

  void expiredWindowRestarts() {
    MemoryStore store;
    rate_limit_test::checkExpiredWindowRestarts(store, "k");
  }

  void exactlyMaxUnderContention() {
    MemoryStore store;
    rate_limit_test::checkExactlyMaxUnderContention(store, "hot", 20, 200, 1000);
  }

  void manyKeysUnderContention() {
    MemoryStore store;
    std::vector<std::thread> pool;
    std::atomic<int> wrong{0};
    for (int t = 0; t < 8; ++t) {
      pool.emplace_back([&, t] {
        for (int k = 0; k < 500; ++k) {
          const std::string key = "10.0." + std::to_string(t) + "." + std::to_string(k);
          for (int i = 1; i <= 4; ++i) {
            Decision d = store.hit(key, 60000, 3, 1000);
            if (d.allowed != (i <= 3)) ++wrong;
          }
        }
      });
    }
    for (auto& thread : pool) thread.join();
    CPPUNIT_ASSERT_EQUAL(0, wrong.load());
    CPPUNIT_ASSERT_EQUAL(size_t(4000), store.size());
  }

  void expiredEntriesAreSwept() {
    MemoryStore store(MemoryOptions{.maxEntries = 100000, .shards = 4, .sweepIntervalMs = 1000});
    for (int i = 0; i < 1000; ++i) store.hit("a" + std::to_string(i), 500, 1, 0);
    CPPUNIT_ASSERT_EQUAL(size_t(1000), store.size());
    // Long after every window ended, new keys arriving in each shard sweep the old ones away.
    for (int i = 0; i < 100; ++i) store.hit("b" + std::to_string(i), 500, 1, 5000);
    CPPUNIT_ASSERT_EQUAL(size_t(100), store.size());
  }

  void fullStoreRefusesNewKeysButKeepsCounting() {
    MemoryStore store(MemoryOptions{.maxEntries = 64, .shards = 1, .sweepIntervalMs = 1000});
    for (int i = 0; i < 64; ++i) CPPUNIT_ASSERT(store.hit("k" + std::to_string(i), 60000, 2, 0).allowed);
    // A new key cannot be counted: the store says so instead of letting it through uncounted.
    CPPUNIT_ASSERT_THROW(store.hit("new", 60000, 2, 10), StoreUnavailable);
    CPPUNIT_ASSERT_THROW(store.hit("new", 60000, 2, 500), StoreUnavailable);
    CPPUNIT_ASSERT_EQUAL(size_t(64), store.size());
    // Keys already held are still counted and still limited.
    CPPUNIT_ASSERT(store.hit("k1", 60000, 2, 20).allowed);
    CPPUNIT_ASSERT(!store.hit("k1", 60000, 2, 30).allowed);
  }

  void fullStoreRecoversWhenWindowsEnd() {
    MemoryStore store(MemoryOptions{.maxEntries = 16, .shards = 1, .sweepIntervalMs = 100000});
    for (int i = 0; i < 16; ++i) store.hit("k" + std::to_string(i), 1000, 2, 0);
    CPPUNIT_ASSERT_THROW(store.hit("new", 1000, 2, 999), StoreUnavailable);
    // Once their windows are over, a full shard sweeps before refusing (even before its interval).
    CPPUNIT_ASSERT(store.hit("new", 1000, 2, 1000).allowed);
    CPPUNIT_ASSERT_EQUAL(size_t(1), store.size());
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(MemoryStoreTest);
