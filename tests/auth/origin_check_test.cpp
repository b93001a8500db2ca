// Origin and redirect checks: Better Auth's rules and the attack corpus of
// reliability-security.md §8 E (ADV-30, ADV-31) and REG-01..04.
#include "auth/origin_check.hpp"

#include "crow/error.hpp"

#include <cppunit/extensions/HelperMacros.h>

using crow::host::TrustedOrigins;

namespace {

TrustedOrigins origins() {
  return TrustedOrigins("http://localhost:3000", {"http://localhost:5173", "https://trusted.com", "https://*.example.org",
                                                  "myapp://callback"});
}

crow::Request post(std::vector<std::pair<std::string, std::string>> headers, std::string body = {}) {
  crow::Request r;
  r.method = crow::Method::Post;
  r.headers = std::move(headers);
  r.body = std::move(body);
  return r;
}

std::string errorCode(const std::function<void()>& fn, int* status = nullptr) {
  try {
    fn();
  } catch (const crow::ApiError& e) {
    if (status) *status = e.status();
    return e.code().empty() ? "(no code) " + e.message() : e.code();
  }
  return "";
}

}  // namespace

class OriginCheckTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(OriginCheckTest);
  CPPUNIT_TEST(originsAreNormalised);
  CPPUNIT_TEST(trustedOriginsMatchExactly);
  CPPUNIT_TEST(attackCorpusIsRejected);
  CPPUNIT_TEST(safeRelativePathsPass);
  CPPUNIT_TEST(wildcardsStayInsideTheHost);
  CPPUNIT_TEST(appSchemesFollowThePath);
  CPPUNIT_TEST(requestOriginNeedsCookies);
  CPPUNIT_TEST(formCsrfRules);
  CPPUNIT_TEST(bodyUrlsAreChecked);
  CPPUNIT_TEST(queryParamsAreAppendedBeforeTheFragment);
  CPPUNIT_TEST_SUITE_END();

 public:
  void originsAreNormalised() {
    using crow::host::httpOriginOf;
    CPPUNIT_ASSERT_EQUAL(std::string("http://localhost:3000"), httpOriginOf("http://LocalHost:3000/a?b#c").value());
    CPPUNIT_ASSERT_EQUAL(std::string("https://a.com"), httpOriginOf("HTTPS://a.com:443/").value());
    CPPUNIT_ASSERT_EQUAL(std::string("http://a.com"), httpOriginOf("http://a.com:80").value());
    CPPUNIT_ASSERT_EQUAL(std::string("http://a.com:8080"), httpOriginOf("http://a.com:08080").value());
    CPPUNIT_ASSERT(!httpOriginOf("ftp://a.com"));
    CPPUNIT_ASSERT(!httpOriginOf("http://a.com:99999"));
    CPPUNIT_ASSERT(!httpOriginOf("http:/a.com"));
    CPPUNIT_ASSERT(!httpOriginOf("a.com"));
  }

  void trustedOriginsMatchExactly() {
    auto o = origins();
    CPPUNIT_ASSERT(o.isTrusted("http://localhost:3000"));
    CPPUNIT_ASSERT(o.isTrusted("http://localhost:3000/dashboard?x=1"));
    CPPUNIT_ASSERT(o.isTrusted("http://localhost:5173"));
    CPPUNIT_ASSERT(o.isTrusted("https://trusted.com/x"));
    CPPUNIT_ASSERT(!o.isTrusted("http://localhost:3001"));
    CPPUNIT_ASSERT(!o.isTrusted("http://trusted.com"));  // only https is trusted (ADV-30)
    CPPUNIT_ASSERT(!o.isTrusted("/dashboard"));          // an Origin is never relative
  }

  void attackCorpusIsRejected() {
    auto o = origins();
    for (const char* url :
         {"https://evil.tld", "//evil.tld", "/\\evil.tld", "/%5C/evil.tld", "/%5c/evil.tld", "/%2F%2Fevil.tld",
          "/..%2F..%2Fevil.com", "https://trusted.com.evil.tld", "https://trusted.com@evil.tld",
          "https://user:pw@trusted.com", "javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,<script>",
          "http://trusted.com", "malicious.com?.trusted.com", "https://malicious.com?.example.org",
          "https://malicious.com#.example.org", "/dash\r\nLocation: https://evil.tld", "/a\nb", "/a\tb",
          " /dashboard", "/dash board", "https://trusted.com\\@evil.tld", "https:\\\\evil.tld", "https://exаmple.org",
          "https://xn--exmple-cua.example.org.evil.tld", "https://tru%73ted.com", "http://localhost:3000\t",
          "/\xc2\x85" "evil", "", "https://trusted.com:443@evil.tld", "\\\\evil.tld", "https:evil.tld"}) {
      CPPUNIT_ASSERT_MESSAGE(std::string("accepted: ") + url, !o.isTrustedRedirect(std::string(url)));
    }
    CPPUNIT_ASSERT(!o.isTrustedRedirect(std::string("/a\0b", 4)));
  }

  void safeRelativePathsPass() {
    auto o = origins();
    for (const char* url : {"/", "/dashboard", "/dashboard?x=1", "/a/b#frag", "/reset?next=%2Fhome", "/caf\xc3\xa9"})
      CPPUNIT_ASSERT_MESSAGE(url, o.isTrustedRedirect(url));
  }

  void wildcardsStayInsideTheHost() {
    auto o = origins();
    CPPUNIT_ASSERT(o.isTrusted("https://app.example.org/x"));
    CPPUNIT_ASSERT(o.isTrusted("https://a.b.example.org"));
    CPPUNIT_ASSERT(!o.isTrusted("https://example.org.evil.tld"));
    CPPUNIT_ASSERT(!o.isTrusted("http://app.example.org"));
    CPPUNIT_ASSERT(!o.isTrusted("https://app.example.org.evil.tld/x"));
    TrustedOrigins hostOnly("http://localhost:3000", {"*.example.net"});
    CPPUNIT_ASSERT(hostOnly.isTrusted("https://a.example.net/x"));
    CPPUNIT_ASSERT(!hostOnly.isTrusted("https://example.net.evil.tld"));
  }

  void appSchemesFollowThePath() {
    auto o = origins();
    CPPUNIT_ASSERT(o.isTrusted("myapp://callback"));
    CPPUNIT_ASSERT(o.isTrusted("myapp://callback/done"));
    CPPUNIT_ASSERT(!o.isTrusted("otherapp://callback"));
    CPPUNIT_ASSERT(!o.isTrusted("myapp://evil"));
  }

  void requestOriginNeedsCookies() {
    auto o = origins();
    // No cookies: nothing to forge, no check (CLI and bearer clients).
    CPPUNIT_ASSERT_EQUAL(std::string(), errorCode([&] { validateRequestOrigin(post({}), o, false); }));
    int status = 0;
    CPPUNIT_ASSERT_EQUAL(std::string("MISSING_OR_NULL_ORIGIN"),
                         errorCode([&] { validateRequestOrigin(post({{"cookie", "a=b"}}), o, false); }, &status));
    CPPUNIT_ASSERT_EQUAL(403, status);
    CPPUNIT_ASSERT_EQUAL(std::string("MISSING_OR_NULL_ORIGIN"),
                         errorCode([&] { validateRequestOrigin(post({{"cookie", "a=b"}, {"origin", "null"}}), o, false); }));
    CPPUNIT_ASSERT_EQUAL(std::string("INVALID_ORIGIN"),
                         errorCode([&] { validateRequestOrigin(post({{"cookie", "a=b"}, {"origin", "http://evil.com"}}), o, false); }));
    CPPUNIT_ASSERT_EQUAL(std::string(), errorCode([&] {
                           validateRequestOrigin(post({{"cookie", "a=b"}, {"origin", "http://localhost:5173"}}), o, false);
                         }));
    // Referer stands in for a missing Origin; its path does not matter.
    CPPUNIT_ASSERT_EQUAL(std::string(), errorCode([&] {
                           validateRequestOrigin(post({{"cookie", "a=b"}, {"referer", "http://localhost:3000/login?x"}}), o, false);
                         }));
    CPPUNIT_ASSERT_EQUAL(std::string("INVALID_ORIGIN"), errorCode([&] {
                           validateRequestOrigin(post({{"cookie", "a=b"}, {"referer", "http://localhost:3000.evil.tld/"}}), o, false);
                         }));
  }

  void formCsrfRules() {
    auto o = origins();
    CPPUNIT_ASSERT_EQUAL(std::string(), errorCode([&] { validateFormCsrf(post({}), o); }));
    CPPUNIT_ASSERT_EQUAL(std::string("CROSS_SITE_NAVIGATION_LOGIN_BLOCKED"), errorCode([&] {
                           validateFormCsrf(post({{"sec-fetch-site", "cross-site"}, {"sec-fetch-mode", "navigate"}}), o);
                         }));
    CPPUNIT_ASSERT_EQUAL(std::string("MISSING_OR_NULL_ORIGIN"),
                         errorCode([&] { validateFormCsrf(post({{"sec-fetch-site", "same-origin"}}), o); }));
    CPPUNIT_ASSERT_EQUAL(std::string("INVALID_ORIGIN"),
                         errorCode([&] { validateFormCsrf(post({{"origin", "http://evil.com"}}), o); }));
    CPPUNIT_ASSERT_EQUAL(std::string(), errorCode([&] { validateFormCsrf(post({{"origin", "http://localhost:3000"}}), o); }));
  }

  void bodyUrlsAreChecked() {
    auto o = origins();
    auto check = [&](const std::string& body, int* status = nullptr) {
      return errorCode([&] { checkRequestOriginAndUrls(post({{"content-type", "application/json"}}, body), o); }, status);
    };
    int status = 0;
    CPPUNIT_ASSERT_EQUAL(std::string("INVALID_CALLBACK_URL"), check(R"({"callbackURL":"http://evil.com/x"})", &status));
    CPPUNIT_ASSERT_EQUAL(403, status);
    CPPUNIT_ASSERT_EQUAL(std::string("INVALID_REDIRECT_URL"), check(R"({"redirectTo":"//evil.com"})"));
    CPPUNIT_ASSERT_EQUAL(std::string("INVALID_ERROR_CALLBACK_URL"), check(R"({"errorCallbackURL":"javascript:x"})"));
    CPPUNIT_ASSERT_EQUAL(std::string("INVALID_NEW_USER_CALLBACK_URL"), check(R"({"newUserCallbackURL":"/\\x"})"));
    CPPUNIT_ASSERT_EQUAL(std::string("(no code) Invalid callbackURL: expected a string"), check(R"({"callbackURL":{}})", &status));
    CPPUNIT_ASSERT_EQUAL(400, status);
    CPPUNIT_ASSERT_EQUAL(std::string(), check(R"({"callbackURL":"/dashboard","redirectTo":"http://localhost:5173/r"})"));
    CPPUNIT_ASSERT_EQUAL(std::string(), check(R"({"callbackURL":""})"));
    CPPUNIT_ASSERT_EQUAL(std::string(), check(R"({bad json)"));  // left to the route
    // A form body is checked too, without caching a form parse on the request.
    crow::Request form = post({{"content-type", "application/x-www-form-urlencoded"}}, "callbackURL=%2F%2Fevil.com");
    CPPUNIT_ASSERT_EQUAL(std::string("INVALID_CALLBACK_URL"), errorCode([&] { checkRequestOriginAndUrls(form, o); }));
    CPPUNIT_ASSERT_EQUAL(std::string("UNSUPPORTED_MEDIA_TYPE"), errorCode([&] { form.json(false); }));
    // ?callbackURL on a POST counts as well.
    crow::Request query = post({});
    query.queryString = "callbackURL=https%3A%2F%2Fevil.tld";
    CPPUNIT_ASSERT_EQUAL(std::string("INVALID_CALLBACK_URL"), errorCode([&] { checkRequestOriginAndUrls(query, o); }));
    // GET requests are never checked here (their routes check their own callbackURL).
    crow::Request get = query;
    get.method = crow::Method::Get;
    CPPUNIT_ASSERT_EQUAL(std::string(), errorCode([&] { checkRequestOriginAndUrls(get, o); }));
  }

  void queryParamsAreAppendedBeforeTheFragment() {
    using crow::host::appendQueryParam;
    CPPUNIT_ASSERT_EQUAL(std::string("/verified?error=INVALID_TOKEN"), appendQueryParam("/verified", "error", "INVALID_TOKEN"));
    CPPUNIT_ASSERT_EQUAL(std::string("/v?a=1&token=x"), appendQueryParam("/v?a=1", "token", "x"));
    CPPUNIT_ASSERT_EQUAL(std::string("http://h/v?token=x#top"), appendQueryParam("http://h/v#top", "token", "x"));
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(OriginCheckTest);
