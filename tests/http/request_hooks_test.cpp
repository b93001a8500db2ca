#include "server/request_hooks.hpp"

#include "crow/error.hpp"

#include <cppunit/extensions/HelperMacros.h>

using crow::HookPoint;
using crow::host::HookFailure;
using crow::host::RequestHooks;

class RequestHooksTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(RequestHooksTest);
  CPPUNIT_TEST(runInPriorityThenRegistrationOrder);
  CPPUNIT_TEST(pathPrefixFilters);
  CPPUNIT_TEST(firstRejectionWins);
  CPPUNIT_TEST(otherExceptionsBecomeHookFailureNamingTheOwner);
  CPPUNIT_TEST(onlyRequestPointsAccepted);
  CPPUNIT_TEST_SUITE_END();

 public:
  void runInPriorityThenRegistrationOrder() {
    RequestHooks hooks;
    auto append = [](std::string tag) {
      return [tag](crow::Request& r, crow::Response&) { r.attributes["order"] += tag; };
    };
    hooks.add(HookPoint::RequestBefore, append("b"), {10, ""}, "p1");
    hooks.add(HookPoint::RequestBefore, append("a"), {-5, ""}, "p2");
    hooks.add(HookPoint::RequestBefore, append("c"), {10, ""}, "p3");
    hooks.add(HookPoint::RequestBefore, append("z"), {0, ""}, "p4");
    hooks.add(HookPoint::RequestAfter, append("!"), {0, ""}, "p5");
    crow::Request req;
    req.path = "/x";
    crow::Response res;
    hooks.runBefore(req, res);
    CPPUNIT_ASSERT_EQUAL(std::string("azbc"), req.attributes["order"]);
    hooks.runAfter(req, res);
    CPPUNIT_ASSERT_EQUAL(std::string("azbc!"), req.attributes["order"]);
    auto list = hooks.list();
    CPPUNIT_ASSERT_EQUAL(std::size_t{5}, list.size());
    CPPUNIT_ASSERT_EQUAL(std::string("p2"), list[0].owner);
    CPPUNIT_ASSERT_EQUAL(std::string("p5"), list[4].owner);
  }

  void pathPrefixFilters() {
    RequestHooks hooks;
    int calls = 0;
    hooks.add(HookPoint::RequestBefore, [&](crow::Request&, crow::Response&) { ++calls; }, {0, "/sign-in"}, "rl");
    crow::Request req;
    crow::Response res;
    req.path = "/sign-in/email";
    hooks.runBefore(req, res);
    req.path = "/sign-up/email";
    hooks.runBefore(req, res);
    req.path = "/sign";
    hooks.runBefore(req, res);
    CPPUNIT_ASSERT_EQUAL(1, calls);
  }

  void firstRejectionWins() {
    RequestHooks hooks;
    bool laterRan = false;
    hooks.add(HookPoint::RequestBefore,
              [](crow::Request&, crow::Response&) { throw crow::ApiError(429, "TOO_MANY", "first"); }, {}, "a");
    hooks.add(HookPoint::RequestBefore,
              [](crow::Request&, crow::Response&) { throw crow::ApiError(403, "NO", "second"); }, {}, "b");
    hooks.add(HookPoint::RequestBefore, [&](crow::Request&, crow::Response&) { laterRan = true; }, {}, "c");
    crow::Request req;
    crow::Response res;
    try {
      hooks.runBefore(req, res);
      CPPUNIT_FAIL("expected rejection");
    } catch (const crow::ApiError& e) {
      CPPUNIT_ASSERT_EQUAL(429, e.status());
    }
    CPPUNIT_ASSERT(!laterRan);
  }

  void otherExceptionsBecomeHookFailureNamingTheOwner() {
    RequestHooks hooks;
    hooks.add(HookPoint::RequestBefore, [](crow::Request&, crow::Response&) { throw std::logic_error("boom"); }, {},
              "broken");
    crow::Request req;
    crow::Response res;
    try {
      hooks.runBefore(req, res);
      CPPUNIT_FAIL("expected failure");
    } catch (const HookFailure& e) {
      CPPUNIT_ASSERT_EQUAL(std::string("broken"), e.owner());
      CPPUNIT_ASSERT_EQUAL(std::string("boom"), std::string(e.what()));
    }
  }

  void onlyRequestPointsAccepted() {
    RequestHooks hooks;
    CPPUNIT_ASSERT_THROW(hooks.add(HookPoint::CreateBefore, [](crow::Request&, crow::Response&) {}, {}, "x"),
                         crow::ConfigError);
    CPPUNIT_ASSERT_THROW(hooks.add(HookPoint::RequestBefore, crow::RequestHook{}, {}, "x"), crow::ConfigError);
    CPPUNIT_ASSERT(hooks.empty());
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(RequestHooksTest);
