// Hex, base64, base64url and URI-component encodings: known values and strict rejection.
#include "crypto/encoding.hpp"

#include <cppunit/extensions/HelperMacros.h>

using namespace crow::host;

class EncodingTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(EncodingTest);
  CPPUNIT_TEST(hexRoundTripAndCase);
  CPPUNIT_TEST(hexRejectsMalformed);
  CPPUNIT_TEST(base64KnownValues);
  CPPUNIT_TEST(base64RejectsMalformed);
  CPPUNIT_TEST(base64UrlKnownValues);
  CPPUNIT_TEST(base64UrlRejectsMalformed);
  CPPUNIT_TEST(allByteValuesRoundTrip);
  CPPUNIT_TEST(uriComponentMatchesJavaScript);
  CPPUNIT_TEST(uriComponentDecodeRejectsWhatJavaScriptRejects);
  CPPUNIT_TEST_SUITE_END();

 public:
  void hexRoundTripAndCase() {
    CPPUNIT_ASSERT_EQUAL(std::string("00ff10ab"), hexEncode(std::string("\x00\xff\x10\xab", 4)));
    CPPUNIT_ASSERT_EQUAL(std::string("\x00\xff\x10\xab", 4), *hexDecode("00FF10aB"));
    CPPUNIT_ASSERT_EQUAL(std::string(), *hexDecode(""));
  }

  void hexRejectsMalformed() {
    CPPUNIT_ASSERT(!hexDecode("abc"));
    CPPUNIT_ASSERT(!hexDecode("zz"));
    CPPUNIT_ASSERT(!hexDecode("0x12"));
    CPPUNIT_ASSERT(!hexDecode("12 4"));
  }

  void base64KnownValues() {
    // RFC 4648 §10.
    CPPUNIT_ASSERT_EQUAL(std::string(""), base64Encode(""));
    CPPUNIT_ASSERT_EQUAL(std::string("Zg=="), base64Encode("f"));
    CPPUNIT_ASSERT_EQUAL(std::string("Zm8="), base64Encode("fo"));
    CPPUNIT_ASSERT_EQUAL(std::string("Zm9v"), base64Encode("foo"));
    CPPUNIT_ASSERT_EQUAL(std::string("Zm9vYmFy"), base64Encode("foobar"));
    CPPUNIT_ASSERT_EQUAL(std::string("+/8="), base64Encode("\xfb\xff"));
    CPPUNIT_ASSERT_EQUAL(std::string("foobar"), *base64Decode("Zm9vYmFy"));
    CPPUNIT_ASSERT_EQUAL(std::string("fo"), *base64Decode("Zm8="));
    CPPUNIT_ASSERT_EQUAL(std::string("f"), *base64Decode("Zg=="));
  }

  void base64RejectsMalformed() {
    CPPUNIT_ASSERT(!base64Decode("Zg"));      // missing padding
    CPPUNIT_ASSERT(!base64Decode("Zg="));     // wrong length
    CPPUNIT_ASSERT(!base64Decode("Z==="));    // too much padding
    CPPUNIT_ASSERT(!base64Decode("Zg=a"));    // padding in the middle
    CPPUNIT_ASSERT(!base64Decode("=Zg="));
    CPPUNIT_ASSERT(!base64Decode("Zh=="));    // non-zero unused bits (non-canonical)
    CPPUNIT_ASSERT(!base64Decode("-_8="));    // URL-safe characters
    CPPUNIT_ASSERT(!base64Decode("Zm9v\n"));  // whitespace
    CPPUNIT_ASSERT(!base64Decode("Zm 9"));
  }

  void base64UrlKnownValues() {
    CPPUNIT_ASSERT_EQUAL(std::string("-_8"), base64UrlEncode("\xfb\xff"));
    CPPUNIT_ASSERT_EQUAL(std::string("Zg"), base64UrlEncode("f"));
    CPPUNIT_ASSERT_EQUAL(std::string("eyJhbGciOiJFZERTQSJ9"), base64UrlEncode(R"({"alg":"EdDSA"})"));
    CPPUNIT_ASSERT_EQUAL(std::string("\xfb\xff"), *base64UrlDecode("-_8"));
    CPPUNIT_ASSERT_EQUAL(std::string("f"), *base64UrlDecode("Zg"));
  }

  void base64UrlRejectsMalformed() {
    CPPUNIT_ASSERT(!base64UrlDecode("Zg=="));  // padding
    CPPUNIT_ASSERT(!base64UrlDecode("+/8"));   // standard alphabet
    CPPUNIT_ASSERT(!base64UrlDecode("Z"));     // impossible length
    CPPUNIT_ASSERT(!base64UrlDecode("Zh"));    // non-canonical
    CPPUNIT_ASSERT(!base64UrlDecode("Zm.9"));
  }

  void allByteValuesRoundTrip() {
    std::string all;
    for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
    for (std::size_t length = 0; length <= all.size(); length += 37) {
      const std::string bytes = all.substr(0, length);
      CPPUNIT_ASSERT_EQUAL(bytes, *hexDecode(hexEncode(bytes)));
      CPPUNIT_ASSERT_EQUAL(bytes, *base64Decode(base64Encode(bytes)));
      CPPUNIT_ASSERT_EQUAL(bytes, *base64UrlDecode(base64UrlEncode(bytes)));
    }
  }

  void uriComponentMatchesJavaScript() {
    // encodeURIComponent("a+b/c=d e&é!~*'()-_.") in Node.
    CPPUNIT_ASSERT_EQUAL(std::string("a%2Bb%2Fc%3Dd%20e%26%C3%A9!~*'()-_."),
                         urlComponentEncode("a+b/c=d e&\xc3\xa9!~*'()-_."));
    CPPUNIT_ASSERT_EQUAL(std::string("a+b/c=d e&\xc3\xa9"), *urlComponentDecode("a%2Bb%2fc%3Dd%20e%26%C3%A9"));
    CPPUNIT_ASSERT_EQUAL(std::string("a+b"), *urlComponentDecode("a+b"));  // '+' is not a space
  }

  void uriComponentDecodeRejectsWhatJavaScriptRejects() {
    CPPUNIT_ASSERT(!urlComponentDecode("%"));
    CPPUNIT_ASSERT(!urlComponentDecode("%2"));
    CPPUNIT_ASSERT(!urlComponentDecode("abc%G1"));
    CPPUNIT_ASSERT(!urlComponentDecode("%FF"));        // not UTF-8
    CPPUNIT_ASSERT(!urlComponentDecode("%C3"));        // truncated sequence
    CPPUNIT_ASSERT(!urlComponentDecode("%ED%A0%80"));  // an encoded surrogate
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(EncodingTest);
