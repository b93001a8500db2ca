// VerifyCache on its own: time-to-live, what forget() drops, the generation check that keeps a
// row read before a write from being cached after it, and the size bound.
#include "verify_cache.hpp"

#include <cppunit/extensions/HelperMacros.h>

using apikey::VerifyCache;
using namespace std::chrono_literals;

namespace {

crow::Row keyRow(const std::string& id, const std::string& hash, const std::string& name = "n") {
  return crow::Row{{"id", id}, {"key", hash}, {"name", name}};
}

}  // namespace

class VerifyCacheTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(VerifyCacheTest);
  CPPUNIT_TEST(servesUntilTheTimeIsUp);
  CPPUNIT_TEST(zeroMeansOff);
  CPPUNIT_TEST(forgetsByHashByIdOrEverything);
  CPPUNIT_TEST(aRowReadBeforeAWriteIsNotCached);
  CPPUNIT_TEST(staysWithinItsSize);
  CPPUNIT_TEST_SUITE_END();

 public:
  void servesUntilTheTimeIsUp() {
    VerifyCache cache(1000);
    const auto t0 = VerifyCache::Clock::now();
    cache.store("h1", keyRow("k1", "h1", "first"), cache.generation(), t0);
    auto hit = cache.find("h1", t0 + 999ms);
    CPPUNIT_ASSERT(hit);
    CPPUNIT_ASSERT_EQUAL(std::string("first"), *crow::asString(crow::field(*hit, "name")));
    CPPUNIT_ASSERT(!cache.find("h1", t0 + 1000ms));
    CPPUNIT_ASSERT(!cache.find("h2", t0));
  }

  void zeroMeansOff() {
    VerifyCache cache(0);
    CPPUNIT_ASSERT(!cache.enabled());
    cache.store("h1", keyRow("k1", "h1"), cache.generation());
    CPPUNIT_ASSERT(!cache.find("h1"));
  }

  void forgetsByHashByIdOrEverything() {
    VerifyCache cache(60'000);
    for (const char* n : {"1", "2", "3"})
      cache.store(std::string("h") + n, keyRow(std::string("k") + n, std::string("h") + n), cache.generation());
    // An updated row names its hash; an increment's row may name only its id.
    cache.forget(keyRow("k1", "h1"));
    CPPUNIT_ASSERT(!cache.find("h1"));
    cache.forget(crow::Row{{"id", std::string("k2")}, {"requestCount", int64_t{4}}});
    CPPUNIT_ASSERT(!cache.find("h2"));
    CPPUNIT_ASSERT(cache.find("h3"));
    // A patch of many rows names neither: everything goes.
    cache.forget(crow::Row{{"enabled", false}});
    CPPUNIT_ASSERT(!cache.find("h3"));
    CPPUNIT_ASSERT_EQUAL(size_t{0}, cache.size());
  }

  void aRowReadBeforeAWriteIsNotCached() {
    VerifyCache cache(60'000);
    const uint64_t seen = cache.generation();  // a verify is about to read the row...
    cache.forget(keyRow("k1", "h1"));          // ...a disable commits meanwhile...
    cache.store("h1", keyRow("k1", "h1"), seen);  // ...and the row it read may predate it.
    CPPUNIT_ASSERT(!cache.find("h1"));
    cache.store("h1", keyRow("k1", "h1"), cache.generation());
    CPPUNIT_ASSERT(cache.find("h1"));
  }

  void staysWithinItsSize() {
    VerifyCache cache(1000, 2);
    const auto t0 = VerifyCache::Clock::now();
    cache.store("h1", keyRow("k1", "h1"), cache.generation(), t0);
    cache.store("h2", keyRow("k2", "h2"), cache.generation(), t0);
    cache.store("h3", keyRow("k3", "h3"), cache.generation(), t0);
    CPPUNIT_ASSERT_EQUAL(size_t{2}, cache.size());
    CPPUNIT_ASSERT(!cache.find("h3", t0));
    // Once the others' time is up they make room.
    cache.store("h3", keyRow("k3", "h3"), cache.generation(), t0 + 2s);
    CPPUNIT_ASSERT_EQUAL(size_t{1}, cache.size());
    CPPUNIT_ASSERT(cache.find("h3", t0 + 2s));
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(VerifyCacheTest);
