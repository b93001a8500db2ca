// SHA-256 / HMAC-SHA256 against published vectors, and the constant-time comparisons.
#include "crypto/encoding.hpp"
#include "crypto/hmac.hpp"

#include <cppunit/extensions/HelperMacros.h>

using namespace crow::host;

class HmacTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(HmacTest);
  CPPUNIT_TEST(sha256KnownValues);
  CPPUNIT_TEST(hmacRfc4231Vectors);
  CPPUNIT_TEST(hmacWithEmptyKey);
  CPPUNIT_TEST(constantTimeEqualsResults);
  CPPUNIT_TEST(digestEqualsResults);
  CPPUNIT_TEST_SUITE_END();

 public:
  void sha256KnownValues() {
    CPPUNIT_ASSERT_EQUAL(std::string("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
                         hexEncode(sha256("")));
    CPPUNIT_ASSERT_EQUAL(std::string("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
                         hexEncode(sha256("abc")));
  }

  void hmacRfc4231Vectors() {
    // Test case 1 and 2 of RFC 4231.
    CPPUNIT_ASSERT_EQUAL(std::string("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
                         hexEncode(hmacSha256(std::string(20, '\x0b'), "Hi There")));
    CPPUNIT_ASSERT_EQUAL(std::string("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
                         hexEncode(hmacSha256("Jefe", "what do ya want for nothing?")));
  }

  void hmacWithEmptyKey() {
    // Python: hmac.new(b"", b"", "sha256").hexdigest()
    CPPUNIT_ASSERT_EQUAL(std::string("b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad"),
                         hexEncode(hmacSha256("", "")));
  }

  void constantTimeEqualsResults() {
    CPPUNIT_ASSERT(constantTimeEquals("", ""));
    CPPUNIT_ASSERT(constantTimeEquals("abc", "abc"));
    CPPUNIT_ASSERT(!constantTimeEquals("abc", "abd"));
    CPPUNIT_ASSERT(!constantTimeEquals("abc", "xbc"));
    CPPUNIT_ASSERT(!constantTimeEquals("abc", "abcd"));
    CPPUNIT_ASSERT(!constantTimeEquals(std::string("a\0b", 3), std::string("a\0c", 3)));
  }

  void digestEqualsResults() {
    CPPUNIT_ASSERT(digestEquals("secret-value", "secret-value"));
    CPPUNIT_ASSERT(!digestEquals("secret-value", "secret-valuf"));
    CPPUNIT_ASSERT(!digestEquals("secret-value", "secret"));
    CPPUNIT_ASSERT(digestEquals("", ""));
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(HmacTest);
