// Better Auth's signed cookies: CONTRACT §2.2's worked example, values captured from a live
// Better Auth server, and every way verification must fail.
#include "crypto/signed_cookie.hpp"

#include <cppunit/extensions/HelperMacros.h>

using namespace crow::host;

namespace {
const std::string kSecret = "test-secret-0123456789abcdefghijklmnopqrstuvwxyz";
const std::string kToken = "PWGVlc13btklFq9Uv0F1gEs2dAPUAGK4";
const std::string kSignedToken = "PWGVlc13btklFq9Uv0F1gEs2dAPUAGK4.UnNcVfBnFVI5AFJWIXrPxtRUZRxTXQFgQnyZHwOFvG0=";
const std::string kWireToken = "PWGVlc13btklFq9Uv0F1gEs2dAPUAGK4.UnNcVfBnFVI5AFJWIXrPxtRUZRxTXQFgQnyZHwOFvG0%3D";
const std::string kWireDontRemember = "true.1Ue91JS%2BcwPpyhFiSTriJ9vlBOt6RG78rdQqJ%2BTjbEk%3D";
}  // namespace

class SignedCookieTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(SignedCookieTest);
  CPPUNIT_TEST(sessionTokenWorkedExample);
  CPPUNIT_TEST(dontRememberWorkedExample);
  CPPUNIT_TEST(verifiesValuesFromLiveServer);
  CPPUNIT_TEST(verifiesDecodedForm);
  CPPUNIT_TEST(tokenMayContainDots);
  CPPUNIT_TEST(rejectsWrongSecret);
  CPPUNIT_TEST(rejectsTamperedTokenOrSignature);
  CPPUNIT_TEST(rejectsMalformedValues);
  CPPUNIT_TEST_SUITE_END();

 public:
  void sessionTokenWorkedExample() {
    CPPUNIT_ASSERT_EQUAL(kSignedToken, signCookieValue(kToken, kSecret));
    CPPUNIT_ASSERT_EQUAL(kWireToken, encodeCookieValue(signCookieValue(kToken, kSecret)));
    CPPUNIT_ASSERT_EQUAL(kToken, *verifySignedCookie(kWireToken, kSecret));
  }

  void dontRememberWorkedExample() {
    CPPUNIT_ASSERT_EQUAL(kWireDontRemember, encodeCookieValue(signCookieValue("true", kSecret)));
    CPPUNIT_ASSERT_EQUAL(std::string("true"), *verifySignedCookie(kWireDontRemember, kSecret));
  }

  void verifiesValuesFromLiveServer() {
    // Set-Cookie values in shared/better-auth/transcript-1.7.25.md.
    CPPUNIT_ASSERT_EQUAL(std::string("zBkUaO8GbUiwiWeUBlyP7aB7ZB7Dwgzj"),
                         *verifySignedCookie("zBkUaO8GbUiwiWeUBlyP7aB7ZB7Dwgzj.ujx9MM7zIFeB3wJ2HAdz3L1NxyAbd7LgwfuwFAoQD%2FY%3D", kSecret));
    CPPUNIT_ASSERT_EQUAL(std::string("hgDZeuK6byxTtgXQfEm80XKc5MPENxvY"),
                         *verifySignedCookie("hgDZeuK6byxTtgXQfEm80XKc5MPENxvY.rQ8ab4Z2hS6SGhdk0HXRFb%2B7D2W0cVh3Kb6TE%2BOmGSQ%3D", kSecret));
  }

  void verifiesDecodedForm() {
    // The set-auth-token header / bearer token carries the value without URL encoding.
    CPPUNIT_ASSERT_EQUAL(kToken, *verifySignedCookie(kSignedToken, kSecret));
  }

  void tokenMayContainDots() {
    const std::string signedValue = signCookieValue("a.b.c", kSecret);
    CPPUNIT_ASSERT_EQUAL(std::string("a.b.c"), *verifySignedCookie(encodeCookieValue(signedValue), kSecret));
  }

  void rejectsWrongSecret() {
    CPPUNIT_ASSERT(!verifySignedCookie(kWireToken, kSecret + "x"));
    CPPUNIT_ASSERT(!verifySignedCookie(kWireToken, ""));
  }

  void rejectsTamperedTokenOrSignature() {
    std::string tamperedToken = kWireToken;
    tamperedToken[0] = 'Q';
    CPPUNIT_ASSERT(!verifySignedCookie(tamperedToken, kSecret));
    std::string tamperedSignature = kSignedToken;
    tamperedSignature[40] = tamperedSignature[40] == 'A' ? 'B' : 'A';
    CPPUNIT_ASSERT(!verifySignedCookie(tamperedSignature, kSecret));
    // Same 32 bytes, spelt with different unused bits in the last character.
    std::string nonCanonical = kSignedToken;
    nonCanonical[nonCanonical.size() - 2] = '1';  // '0' -> '1' changes only the padding bits
    CPPUNIT_ASSERT(!verifySignedCookie(nonCanonical, kSecret));
  }

  void rejectsMalformedValues() {
    CPPUNIT_ASSERT(!verifySignedCookie("", kSecret));
    CPPUNIT_ASSERT(!verifySignedCookie(kToken, kSecret));                                  // unsigned
    CPPUNIT_ASSERT(!verifySignedCookie(kToken + ".", kSecret));                            // empty signature
    CPPUNIT_ASSERT(!verifySignedCookie(kSignedToken.substr(kToken.size()), kSecret));      // empty token
    CPPUNIT_ASSERT(!verifySignedCookie(kSignedToken.substr(0, kSignedToken.size() - 1), kSecret));  // 43 chars
    CPPUNIT_ASSERT(!verifySignedCookie(kSignedToken + "=", kSecret));                      // 45 chars
    CPPUNIT_ASSERT(!verifySignedCookie(kToken + "." + std::string(44, 'A'), kSecret));     // no trailing '='
    CPPUNIT_ASSERT(!verifySignedCookie(kToken + ".%ZZ", kSecret));                         // bad escape
    CPPUNIT_ASSERT(!verifySignedCookie(kWireToken + "%", kSecret));
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(SignedCookieTest);
