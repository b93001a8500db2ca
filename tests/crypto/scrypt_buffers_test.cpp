// The scrypt buffer pool: installed before OpenSSL allocates (its own test binary, so nothing ran
// before it), it keeps hashes correct and spares each derivation its 8,000 page faults.
#include "crypto/password_hasher.hpp"
#include "crypto/scrypt_buffers.hpp"

#include <cppunit/extensions/HelperMacros.h>

#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

// Minor page faults of this process so far (field 10 of /proc/self/stat).
long minorFaults() {
  std::ifstream stat("/proc/self/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  std::istringstream fields(text.substr(text.rfind(')') + 2));
  std::string field;
  for (int i = 3; i <= 10; ++i) fields >> field;
  return std::stol(field);
}

// Installed once, before any test touches OpenSSL.
const bool installed = crow::host::installScryptBufferPool(2);

}  // namespace

class ScryptBuffersTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(ScryptBuffersTest);
  CPPUNIT_TEST(installsBeforeOpenSslAllocates);
  CPPUNIT_TEST(hashesStayCorrectAndReuseTheBuffer);
  CPPUNIT_TEST(concurrentHashesBeyondThePoolStillWork);
  CPPUNIT_TEST(installingTwiceChangesNothing);
  CPPUNIT_TEST_SUITE_END();

 public:
  void installsBeforeOpenSslAllocates() { CPPUNIT_ASSERT(installed); }

  void hashesStayCorrectAndReuseTheBuffer() {
    crow::host::PasswordHasher hasher(1);
    const std::string stored = hasher.hash("correct horse battery staple");  // maps the buffer
    const long before = minorFaults();
    for (int i = 0; i < 3; ++i) {
      CPPUNIT_ASSERT(hasher.verify(stored, "correct horse battery staple"));
      CPPUNIT_ASSERT(!hasher.verify(stored, "wrong horse battery staple"));
    }
    const long perHash = (minorFaults() - before) / 6;
    // Without the pool each derivation faults in its 32 MiB again: about 8,200 pages.
    CPPUNIT_ASSERT_MESSAGE(std::to_string(perHash) + " page faults a hash", perHash < 2000);
    // The derivation itself is unchanged (the CONTRACT §3 vector is checked in crypto_test).
    CPPUNIT_ASSERT_EQUAL(stored.substr(33), crow::host::PasswordHasher::deriveKeyHex("correct horse battery staple",
                                                                                      stored.substr(0, 32)));
  }

  // More derivations at once than the pool has buffers: the extra ones use malloc, all correct.
  void concurrentHashesBeyondThePoolStillWork() {
    crow::host::PasswordHasher hasher(4);
    const std::string stored = hasher.hash("pool-overflow-password");
    std::vector<std::thread> threads;
    std::vector<int> ok(4, 0);
    for (int i = 0; i < 4; ++i)
      threads.emplace_back([&, i] { ok[i] = hasher.verify(stored, "pool-overflow-password") ? 1 : 0; });
    for (auto& t : threads) t.join();
    for (int v : ok) CPPUNIT_ASSERT_EQUAL(1, v);
  }

  void installingTwiceChangesNothing() {
    CPPUNIT_ASSERT(!crow::host::installScryptBufferPool(2));
    crow::host::PasswordHasher hasher(1);
    CPPUNIT_ASSERT(hasher.verify(hasher.hash("still-works-1"), "still-works-1"));
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ScryptBuffersTest);
