#include "server/router.hpp"

#include "crow/error.hpp"

#include <cppunit/extensions/HelperMacros.h>

using crow::Method;
using crow::host::Router;

namespace {

crow::RouteHandler tagged(std::string tag) {
  return [tag](crow::Request&, crow::Response& r) { r.body = tag; };
}

std::string run(const Router::Match& m) {
  crow::Request req;
  crow::Response res;
  m.route->handler(req, res);
  return res.body;
}

}  // namespace

class RouterTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(RouterTest);
  CPPUNIT_TEST(literalMatchesExactly);
  CPPUNIT_TEST(trailingSlashAndDoubleSlashDoNotMatch);
  CPPUNIT_TEST(wrongMethodDoesNotMatch);
  CPPUNIT_TEST(parametersAreCaptured);
  CPPUNIT_TEST(literalBeatsParameter);
  CPPUNIT_TEST(earlierLiteralSegmentWins);
  CPPUNIT_TEST(emptyParameterDoesNotMatch);
  CPPUNIT_TEST(duplicateIsAConflictNamingBothOwners);
  CPPUNIT_TEST(parameterNamesDoNotDistinguishRoutes);
  CPPUNIT_TEST(sameShapeOtherMethodIsFine);
  CPPUNIT_TEST(malformedPathsAreRefused);
  CPPUNIT_TEST(routesListsInRegistrationOrder);
  CPPUNIT_TEST_SUITE_END();

 public:
  void literalMatchesExactly() {
    Router r;
    r.add(Method::Get, "/api/v1/auth/get-session", tagged("gs"), "core");
    r.add(Method::Get, "/health-ish", tagged("h"), "core", crow::RouteOptions{false, "x"});
    auto m = r.match(Method::Get, "/api/v1/auth/get-session");
    CPPUNIT_ASSERT(m);
    CPPUNIT_ASSERT_EQUAL(std::string("gs"), run(*m));
    CPPUNIT_ASSERT_EQUAL(std::string("core"), m->route->owner);
    CPPUNIT_ASSERT(m->params.empty());
    CPPUNIT_ASSERT(!r.match(Method::Get, "/api/v1/auth/get-sessio"));
    CPPUNIT_ASSERT(!r.match(Method::Get, "/api/v1/auth/get-session/x"));
    CPPUNIT_ASSERT(!r.match(Method::Get, "/API/v1/auth/get-session"));
    CPPUNIT_ASSERT(!r.match(Method::Get, ""));
    CPPUNIT_ASSERT(!r.match(Method::Get, "api/v1/auth/get-session"));
    CPPUNIT_ASSERT(r.match(Method::Get, "/health-ish"));
  }

  void trailingSlashAndDoubleSlashDoNotMatch() {
    Router r;
    r.add(Method::Post, "/api/v1/auth/sign-in/email", tagged("a"), "core");
    r.add(Method::Get, "/api/v1/auth/reset-password/:token", tagged("b"), "core");
    CPPUNIT_ASSERT(!r.match(Method::Post, "/api/v1/auth/sign-in/email/"));
    CPPUNIT_ASSERT(!r.match(Method::Post, "/api/v1/auth//sign-in/email"));
    CPPUNIT_ASSERT(!r.match(Method::Post, "//api/v1/auth/sign-in/email"));
    CPPUNIT_ASSERT(!r.match(Method::Get, "/api/v1/auth/reset-password/abc/"));
    CPPUNIT_ASSERT(!r.match(Method::Get, "/api/v1/auth//reset-password/abc"));
    CPPUNIT_ASSERT(!r.match(Method::Get, "/api/v1/auth/reset-password//abc"));
  }

  void wrongMethodDoesNotMatch() {
    Router r;
    r.add(Method::Post, "/api/v1/auth/sign-out", tagged("a"), "core");
    r.add(Method::Get, "/api/v1/auth/x/:id", tagged("b"), "core");
    CPPUNIT_ASSERT(!r.match(Method::Get, "/api/v1/auth/sign-out"));
    CPPUNIT_ASSERT(!r.match(Method::Delete, "/api/v1/auth/x/1"));
    CPPUNIT_ASSERT(r.match(Method::Post, "/api/v1/auth/sign-out"));
  }

  void parametersAreCaptured() {
    Router r;
    r.add(Method::Get, "/api/v1/auth/reset-password/:token", tagged("rp"), "core");
    r.add(Method::Get, "/api/v1/auth/org/:orgId/member/:memberId", tagged("om"), "organization");
    auto m = r.match(Method::Get, "/api/v1/auth/reset-password/abc123");
    CPPUNIT_ASSERT(m);
    CPPUNIT_ASSERT_EQUAL(std::string("abc123"), m->params.at("token"));
    auto m2 = r.match(Method::Get, "/api/v1/auth/org/o1/member/m2");
    CPPUNIT_ASSERT(m2);
    CPPUNIT_ASSERT_EQUAL(std::string("om"), run(*m2));
    CPPUNIT_ASSERT_EQUAL(std::string("o1"), m2->params.at("orgId"));
    CPPUNIT_ASSERT_EQUAL(std::string("m2"), m2->params.at("memberId"));
    CPPUNIT_ASSERT(!r.match(Method::Get, "/api/v1/auth/org/o1/member"));
    CPPUNIT_ASSERT(!r.match(Method::Get, "/api/v1/auth/org/o1/member/m2/x"));
  }

  void literalBeatsParameter() {
    Router r;
    r.add(Method::Get, "/a/:id", tagged("param"), "p1");
    r.add(Method::Get, "/a/list", tagged("literal"), "p2");
    CPPUNIT_ASSERT_EQUAL(std::string("literal"), run(*r.match(Method::Get, "/a/list")));
    CPPUNIT_ASSERT_EQUAL(std::string("param"), run(*r.match(Method::Get, "/a/other")));
  }

  void earlierLiteralSegmentWins() {
    Router r;
    r.add(Method::Get, "/a/:x/c", tagged("late"), "p1");
    r.add(Method::Get, "/a/b/:y", tagged("early"), "p2");
    CPPUNIT_ASSERT_EQUAL(std::string("early"), run(*r.match(Method::Get, "/a/b/c")));
    CPPUNIT_ASSERT_EQUAL(std::string("late"), run(*r.match(Method::Get, "/a/z/c")));
  }

  void emptyParameterDoesNotMatch() {
    Router r;
    r.add(Method::Get, "/a/:id", tagged("x"), "p");
    CPPUNIT_ASSERT(!r.match(Method::Get, "/a/"));
    CPPUNIT_ASSERT(!r.match(Method::Get, "/a"));
  }

  void duplicateIsAConflictNamingBothOwners() {
    Router r;
    r.add(Method::Get, "/x", tagged("a"), "a");
    try {
      r.add(Method::Get, "/x", tagged("b"), "b");
      CPPUNIT_FAIL("expected a conflict");
    } catch (const crow::ConfigError& e) {
      CPPUNIT_ASSERT_EQUAL(std::string("route conflict: GET /x registered by plugin a and plugin b"),
                           std::string(e.what()));
    }
  }

  void parameterNamesDoNotDistinguishRoutes() {
    Router r;
    r.add(Method::Get, "/r/:token", tagged("a"), "a");
    CPPUNIT_ASSERT_THROW(r.add(Method::Get, "/r/:id", tagged("b"), "b"), crow::ConfigError);
  }

  void sameShapeOtherMethodIsFine() {
    Router r;
    r.add(Method::Get, "/r/:token", tagged("g"), "a");
    r.add(Method::Post, "/r/:other", tagged("p"), "b");
    CPPUNIT_ASSERT_EQUAL(std::string("p"), run(*r.match(Method::Post, "/r/1")));
    CPPUNIT_ASSERT_EQUAL(std::string("1"), r.match(Method::Post, "/r/1")->params.at("other"));
  }

  void malformedPathsAreRefused() {
    Router r;
    CPPUNIT_ASSERT_THROW(r.add(Method::Get, "", tagged("a"), "a"), crow::ConfigError);
    CPPUNIT_ASSERT_THROW(r.add(Method::Get, "x", tagged("a"), "a"), crow::ConfigError);
    CPPUNIT_ASSERT_THROW(r.add(Method::Get, "/a//b", tagged("a"), "a"), crow::ConfigError);
    CPPUNIT_ASSERT_THROW(r.add(Method::Get, "/a/", tagged("a"), "a"), crow::ConfigError);
    CPPUNIT_ASSERT_THROW(r.add(Method::Get, "/a/:", tagged("a"), "a"), crow::ConfigError);
    CPPUNIT_ASSERT_THROW(r.add(Method::Get, "/a/:x/:x", tagged("a"), "a"), crow::ConfigError);
    CPPUNIT_ASSERT_THROW(r.add(Method::Get, "/a?b", tagged("a"), "a"), crow::ConfigError);
    CPPUNIT_ASSERT_EQUAL(std::size_t{0}, r.size());
  }

  void routesListsInRegistrationOrder() {
    Router r;
    r.add(Method::Post, "/b", tagged("1"), "one", crow::RouteOptions{true, "first"});
    r.add(Method::Get, "/a/:id", tagged("2"), "two");
    auto list = r.routes();
    CPPUNIT_ASSERT_EQUAL(std::size_t{2}, list.size());
    CPPUNIT_ASSERT_EQUAL(std::string("/b"), list[0].path);
    CPPUNIT_ASSERT(list[0].method == Method::Post);
    CPPUNIT_ASSERT_EQUAL(std::string("first"), list[0].options.summary);
    CPPUNIT_ASSERT_EQUAL(std::string("two"), list[1].owner);
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(RouterTest);
