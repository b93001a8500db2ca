// The fixed-window contract every LimitStore keeps (limit_store.hpp, README "Semantics"), as
// checks any store's test can run: memory here, SQLite and PostgreSQL in database_store_test,
// Redis in the Redis helper's tests.
#pragma once

#include "limit_store.hpp"

#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

namespace rate_limit_test {

using crow::rate_limit::Decision;
using crow::rate_limit::LimitStore;

/// A window of `windowMs` opened by the first hit; `max` allowed; the next denied with the time
/// left; denied hits do not extend the window; the window's end starts a fresh one.
inline void checkFixedWindow(LimitStore& store, const std::string& key, int64_t t0 = 1'700'000'000'000) {
  const int64_t window = 10000;
  const int64_t max = 3;
  for (int64_t i = 1; i <= max; ++i) {
    Decision d = store.hit(key, window, max, t0 + i * 100);
    CPPUNIT_ASSERT_MESSAGE("hit " + std::to_string(i) + " allowed", d.allowed);
    CPPUNIT_ASSERT_EQUAL(i, d.count);
  }
  Decision denied = store.hit(key, window, max, t0 + 2500);
  CPPUNIT_ASSERT(!denied.allowed);
  CPPUNIT_ASSERT_EQUAL(max, denied.count);
  // The window opened at t0 + 100 (the first hit) and ends at t0 + 10100.
  CPPUNIT_ASSERT_EQUAL(int64_t{7600}, denied.retryAfterMs);
  // Denied hits do not extend it.
  Decision later = store.hit(key, window, max, t0 + 10099);
  CPPUNIT_ASSERT(!later.allowed);
  CPPUNIT_ASSERT_EQUAL(int64_t{1}, later.retryAfterMs);
  // Its end opens a new window with count 1.
  Decision fresh = store.hit(key, window, max, t0 + 10100);
  CPPUNIT_ASSERT(fresh.allowed);
  CPPUNIT_ASSERT_EQUAL(int64_t{1}, fresh.count);
  CPPUNIT_ASSERT(store.hit(key, window, max, t0 + 10101).allowed);
  // Another key is counted on its own.
  CPPUNIT_ASSERT(store.hit(key + "-other", window, max, t0 + 2600).allowed);
}

/// After a long quiet period the old window is long gone: a hit starts again at 1.
inline void checkExpiredWindowRestarts(LimitStore& store, const std::string& key, int64_t t0 = 1'700'000'000'000) {
  for (int i = 0; i < 2; ++i) CPPUNIT_ASSERT(store.hit(key, 1000, 2, t0).allowed);
  CPPUNIT_ASSERT(!store.hit(key, 1000, 2, t0 + 999).allowed);
  Decision d = store.hit(key, 1000, 2, t0 + 3600'000);
  CPPUNIT_ASSERT(d.allowed);
  CPPUNIT_ASSERT_EQUAL(int64_t{1}, d.count);
}

/// `threads` threads hit one key `perThread` times each at the same instant: exactly `max` pass.
inline void checkExactlyMaxUnderContention(LimitStore& store, const std::string& key, int threads, int perThread,
                                           int64_t max, int64_t now = 1'700'000'000'000) {
  std::atomic<int64_t> allowed{0};
  std::atomic<int64_t> errors{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&] {
      while (!go.load()) std::this_thread::yield();
      for (int i = 0; i < perThread; ++i) {
        try {
          if (store.hit(key, 60000, max, now).allowed) ++allowed;
        } catch (const std::exception&) {
          ++errors;
        }
      }
    });
  }
  go = true;
  for (auto& thread : pool) thread.join();
  CPPUNIT_ASSERT_EQUAL(int64_t{0}, errors.load());
  CPPUNIT_ASSERT_EQUAL(max, allowed.load());
}

}  // namespace rate_limit_test
