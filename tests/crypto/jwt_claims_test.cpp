// Registered-claim checks (exp, nbf, iat types, iss, aud, sub) with jose's boundaries.
#include "jwt/jwt_claims.hpp"

#include <Poco/JSON/Parser.h>
#include <cppunit/extensions/HelperMacros.h>

using namespace crow::host;

namespace {
Poco::JSON::Object::Ptr parse(const std::string& json) {
  return Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>();
}
const char* kPayload =
    R"({"iat":1000,"sub":"u1","exp":1900,"iss":"http://localhost:3000","aud":"http://localhost:3000"})";
JwtClaimRules rulesAt(std::int64_t now) {
  JwtClaimRules rules;
  rules.nowSeconds = now;
  rules.issuer = "http://localhost:3000";
  rules.audience = "http://localhost:3000";
  rules.requireSubject = true;
  return rules;
}
}  // namespace

class JwtClaimsTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(JwtClaimsTest);
  CPPUNIT_TEST(acceptsValidPayload);
  CPPUNIT_TEST(expiryBoundary);
  CPPUNIT_TEST(notBeforeBoundary);
  CPPUNIT_TEST(issuerAudienceSubject);
  CPPUNIT_TEST(nonNumericTimeClaimsAreRejected);
  CPPUNIT_TEST_SUITE_END();

 public:
  void acceptsValidPayload() { CPPUNIT_ASSERT(claimsAcceptable(*parse(kPayload), rulesAt(1500))); }

  void expiryBoundary() {
    CPPUNIT_ASSERT(claimsAcceptable(*parse(kPayload), rulesAt(1899)));
    CPPUNIT_ASSERT(!claimsAcceptable(*parse(kPayload), rulesAt(1900)));  // exp <= now: expired
    JwtClaimRules skewed = rulesAt(1905);
    skewed.clockSkewSeconds = 10;
    CPPUNIT_ASSERT(claimsAcceptable(*parse(kPayload), skewed));
  }

  void notBeforeBoundary() {
    const auto payload = parse(R"({"nbf":1200,"exp":1900})");
    JwtClaimRules rules;
    rules.nowSeconds = 1199;
    CPPUNIT_ASSERT(!claimsAcceptable(*payload, rules));
    rules.nowSeconds = 1200;
    CPPUNIT_ASSERT(claimsAcceptable(*payload, rules));
  }

  void issuerAudienceSubject() {
    CPPUNIT_ASSERT(!claimsAcceptable(*parse(R"({"sub":"u","iss":"http://evil","aud":"http://localhost:3000"})"), rulesAt(1)));
    CPPUNIT_ASSERT(!claimsAcceptable(*parse(R"({"sub":"u","iss":"http://localhost:3000","aud":"http://other"})"), rulesAt(1)));
    CPPUNIT_ASSERT(claimsAcceptable(
        *parse(R"({"sub":"u","iss":"http://localhost:3000","aud":["http://other","http://localhost:3000"]})"), rulesAt(1)));
    CPPUNIT_ASSERT(!claimsAcceptable(*parse(R"({"sub":"u","iss":"http://localhost:3000"})"), rulesAt(1)));
    CPPUNIT_ASSERT(!claimsAcceptable(*parse(R"({"iss":"http://localhost:3000","aud":"http://localhost:3000"})"), rulesAt(1)));
    CPPUNIT_ASSERT(!claimsAcceptable(*parse(R"({"sub":"","iss":"http://localhost:3000","aud":"http://localhost:3000"})"), rulesAt(1)));
    CPPUNIT_ASSERT(claimsAcceptable(*parse(R"({})"), JwtClaimRules{}));  // nothing required
  }

  void nonNumericTimeClaimsAreRejected() {
    JwtClaimRules rules;
    rules.nowSeconds = 1;
    CPPUNIT_ASSERT(!claimsAcceptable(*parse(R"({"exp":"9999999999"})"), rules));
    CPPUNIT_ASSERT(!claimsAcceptable(*parse(R"({"nbf":true})"), rules));
    CPPUNIT_ASSERT(!claimsAcceptable(*parse(R"({"iat":null})"), rules));
    CPPUNIT_ASSERT(claimsAcceptable(*parse(R"({"exp":2.5})"), rules));
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(JwtClaimsTest);
