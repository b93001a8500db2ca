// Better Auth's scrypt password hash: vectors from Node and a live Better Auth row, NFKC,
// malformed stored hashes, and the concurrency bound.
#include "crypto/crypto_error.hpp"
#include "crypto/password_hasher.hpp"
#include "independent_vectors.hpp"

#include <cppunit/extensions/HelperMacros.h>

#include <cctype>
#include <thread>
#include <vector>

using namespace crow::host;
namespace vectors = crow::test_vectors;

class PasswordHasherTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(PasswordHasherTest);
  CPPUNIT_TEST(contractTestVector);
  CPPUNIT_TEST(verifiesHashWrittenByBetterAuth);
  CPPUNIT_TEST(hashHasBetterAuthShapeAndRoundTrips);
  CPPUNIT_TEST(wrongPasswordDoesNotVerify);
  CPPUNIT_TEST(fullwidthPasswordNormalisesToAscii);
  CPPUNIT_TEST(angstromSignEqualsARingAbove);
  CPPUNIT_TEST(embeddedNulAndEmptyPasswordMatchNode);
  CPPUNIT_TEST(invalidUtf8IsRejectedNotCrashed);
  CPPUNIT_TEST(malformedStoredHashesAreFalse);
  CPPUNIT_TEST(extraFieldsAfterKeyAreIgnoredLikeJavaScriptSplit);
  CPPUNIT_TEST(burnEquivalentWorkRunsOneDerivation);
  CPPUNIT_TEST(concurrencyBoundOfOneIsRespected);
  CPPUNIT_TEST(concurrencyBoundOfTwoIsRespected);
  CPPUNIT_TEST_SUITE_END();

 public:
  void contractTestVector() {
    CPPUNIT_ASSERT_EQUAL(std::string(vectors::kScryptKeyPassword1234),
                         PasswordHasher::deriveKeyHex("password1234", vectors::kScryptSalt));
    PasswordHasher hasher(1);
    CPPUNIT_ASSERT(hasher.verify(std::string(vectors::kScryptSalt) + ":" + vectors::kScryptKeyPassword1234,
                                 "password1234"));
  }

  void verifiesHashWrittenByBetterAuth() {
    PasswordHasher hasher(1);
    CPPUNIT_ASSERT(hasher.verify(vectors::kBetterAuthStoredPassword, "password1234"));
    CPPUNIT_ASSERT(!hasher.verify(vectors::kBetterAuthStoredPassword, "password1235"));
  }

  void hashHasBetterAuthShapeAndRoundTrips() {
    PasswordHasher hasher(1);
    const std::string stored = hasher.hash("correct horse battery staple");
    CPPUNIT_ASSERT_EQUAL(std::size_t(161), stored.size());
    CPPUNIT_ASSERT_EQUAL(':', stored[32]);
    for (std::size_t i = 0; i < stored.size(); ++i) {
      if (i == 32) continue;
      const char c = stored[i];
      CPPUNIT_ASSERT((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
    }
    CPPUNIT_ASSERT(hasher.verify(stored, "correct horse battery staple"));
    // The salt is the hex text itself, used as bytes.
    CPPUNIT_ASSERT_EQUAL(stored.substr(33), PasswordHasher::deriveKeyHex("correct horse battery staple", stored.substr(0, 32)));
    // Fresh salt every time.
    CPPUNIT_ASSERT(stored.substr(0, 32) != hasher.hash("correct horse battery staple").substr(0, 32));
  }

  void wrongPasswordDoesNotVerify() {
    PasswordHasher hasher(1);
    const std::string stored = hasher.hash("password1234");
    CPPUNIT_ASSERT(!hasher.verify(stored, "password123"));
    CPPUNIT_ASSERT(!hasher.verify(stored, "Password1234"));
    CPPUNIT_ASSERT(!hasher.verify(stored, ""));
  }

  void fullwidthPasswordNormalisesToAscii() {
    const std::string fullwidth = "\xef\xbd\x90\xef\xbd\x81\xef\xbd\x93\xef\xbd\x93\xef\xbd\x97\xef\xbd\x8f\xef\xbd\x92\xef\xbd\x84" "1234";
    CPPUNIT_ASSERT_EQUAL(std::string(vectors::kScryptKeyPassword1234),
                         PasswordHasher::deriveKeyHex(fullwidth, vectors::kScryptSalt));
    PasswordHasher hasher(1);
    CPPUNIT_ASSERT(hasher.verify(hasher.hash("password1234"), fullwidth));
  }

  void angstromSignEqualsARingAbove() {
    const std::string angstromSign = "\xe2\x84\xab";  // U+212B
    const std::string aRingAbove = "\xc3\x85";        // U+00C5
    const std::string decomposed = "A\xcc\x8a";       // U+0041 U+030A
    CPPUNIT_ASSERT_EQUAL(std::string(vectors::kScryptKeyAringAbove),
                         PasswordHasher::deriveKeyHex(angstromSign, vectors::kScryptSalt));
    CPPUNIT_ASSERT_EQUAL(std::string(vectors::kScryptKeyAringAbove),
                         PasswordHasher::deriveKeyHex(aRingAbove, vectors::kScryptSalt));
    CPPUNIT_ASSERT_EQUAL(std::string(vectors::kScryptKeyAringAbove),
                         PasswordHasher::deriveKeyHex(decomposed, vectors::kScryptSalt));
  }

  void embeddedNulAndEmptyPasswordMatchNode() {
    CPPUNIT_ASSERT_EQUAL(std::string(vectors::kScryptKeyEmbeddedNul),
                         PasswordHasher::deriveKeyHex(std::string("p\0w", 3), vectors::kScryptSalt));
    CPPUNIT_ASSERT_EQUAL(std::string(vectors::kScryptKeyEmpty), PasswordHasher::deriveKeyHex("", vectors::kScryptSalt));
  }

  void invalidUtf8IsRejectedNotCrashed() {
    PasswordHasher hasher(1);
    CPPUNIT_ASSERT_THROW(hasher.hash("pass\xffword"), CryptoError);
    CPPUNIT_ASSERT_THROW(PasswordHasher::deriveKeyHex("\xc3", vectors::kScryptSalt), CryptoError);
    const std::string stored = std::string(vectors::kScryptSalt) + ":" + vectors::kScryptKeyPassword1234;
    const std::size_t before = hasher.derivationCount();
    CPPUNIT_ASSERT(!hasher.verify(stored, "password1234\xff"));
    CPPUNIT_ASSERT(!hasher.verify(stored, "\xed\xa0\x80"));  // an encoded surrogate
    CPPUNIT_ASSERT_EQUAL(before, hasher.derivationCount());
  }

  void malformedStoredHashesAreFalse() {
    PasswordHasher hasher(1);
    const std::string key = vectors::kScryptKeyPassword1234;
    for (const std::string& stored :
         {std::string(), std::string("abc"), std::string("x:y"), std::string(":"), std::string("::"),
          std::string(vectors::kScryptSalt) + key,           // no colon
          std::string(vectors::kScryptSalt) + ":",           // no key
          ":" + key,                                          // no salt
          std::string(vectors::kScryptSalt) + ":" + key.substr(1),  // short key
          std::string(vectors::kScryptSalt) + ":" + key + "0",      // long key
          std::string(vectors::kScryptSalt) + ":" + std::string(128, 'z')}) {  // non-hex key
      CPPUNIT_ASSERT_MESSAGE("stored: " + stored, !hasher.verify(stored, "password1234"));
    }
    // An uppercase key never matches, as in Better Auth (it compares lowercase hex strings).
    std::string upper = key;
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    CPPUNIT_ASSERT(!hasher.verify(std::string(vectors::kScryptSalt) + ":" + upper, "password1234"));
  }

  void extraFieldsAfterKeyAreIgnoredLikeJavaScriptSplit() {
    PasswordHasher hasher(1);
    CPPUNIT_ASSERT(hasher.verify(std::string(vectors::kScryptSalt) + ":" + vectors::kScryptKeyPassword1234 + ":extra",
                                 "password1234"));
  }

  void burnEquivalentWorkRunsOneDerivation() {
    PasswordHasher hasher(1);
    hasher.burnEquivalentWork("password1234");
    hasher.burnEquivalentWork("not utf-8 \xff");
    CPPUNIT_ASSERT_EQUAL(std::size_t(2), hasher.derivationCount());
    CPPUNIT_ASSERT_EQUAL(std::size_t(1), hasher.peakConcurrentDerivations());
  }

  void concurrencyBoundOfOneIsRespected() { runParallel(1, 4); }
  void concurrencyBoundOfTwoIsRespected() { runParallel(2, 4); }

 private:
  static void runParallel(std::size_t bound, int threads) {
    PasswordHasher hasher(bound);
    CPPUNIT_ASSERT_EQUAL(bound, hasher.maxConcurrent());
    std::vector<std::thread> workers;
    std::vector<int> ok(static_cast<std::size_t>(threads), 0);
    for (int i = 0; i < threads; ++i) {
      workers.emplace_back([&, i] {
        const std::string password = "password-" + std::to_string(i);
        ok[static_cast<std::size_t>(i)] = hasher.verify(hasher.hash(password), password) ? 1 : 0;
      });
    }
    for (auto& worker : workers) worker.join();
    for (int result : ok) CPPUNIT_ASSERT_EQUAL(1, result);
    CPPUNIT_ASSERT_EQUAL(static_cast<std::size_t>(threads * 2), hasher.derivationCount());
    CPPUNIT_ASSERT(hasher.peakConcurrentDerivations() >= 1);
    CPPUNIT_ASSERT(hasher.peakConcurrentDerivations() <= bound);
    CPPUNIT_ASSERT_EQUAL(std::size_t(0), hasher.waitingCount());
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PasswordHasherTest);
