// stop(): in-flight requests finish, new connections are refused, and the grace period bounds it.
#include "test_server.hpp"

#include "crow/error.hpp"

#include <cppunit/extensions/HelperMacros.h>

#include <Poco/Net/NetException.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include <Poco/String.h>

#include <atomic>
#include <chrono>
#include <thread>

using crow::Method;
using crow::test::HttpReply;
using Clock = std::chrono::steady_clock;

namespace {

void waitForInFlight(crow::host::HttpServer& server, int n) {
  const auto deadline = Clock::now() + std::chrono::seconds(5);
  while (server.inFlight() < n && Clock::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  CPPUNIT_ASSERT_EQUAL(n, server.inFlight());
}

bool connects(int port) {
  try {
    Poco::Net::StreamSocket socket;
    socket.connect(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(port)), Poco::Timespan(1, 0));
    return true;
  } catch (const Poco::Exception&) {
    return false;
  }
}

long long millisSince(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t).count();
}

}  // namespace

class GracefulStopTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(GracefulStopTest);
  CPPUNIT_TEST(inFlightRequestFinishesAndNewConnectionsAreRefused);
  CPPUNIT_TEST(idleKeepAliveConnectionsDoNotHoldStop);
  CPPUNIT_TEST(graceBoundsAStuckRequest);
  CPPUNIT_TEST(startRefusesRoutesTheServerAnswers);
  CPPUNIT_TEST(badOptionsAreConfigErrors);
  CPPUNIT_TEST_SUITE_END();

 public:
  void inFlightRequestFinishesAndNewConnectionsAreRefused() {
    crow::test::TestServer srv;
    srv.router.add(Method::Get, "/api/v1/auth/slow", [](crow::Request&, crow::Response& r) {
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
      r.body = "done";
    }, "core");
    srv.start();
    const int port = srv.port();

    HttpReply reply;
    std::string error;
    std::thread client([&] {
      try {
        reply = crow::test::request(port, "GET", "/api/v1/auth/slow");
      } catch (const std::exception& e) {
        error = e.what();
      }
    });
    waitForInFlight(srv.server(), 1);
    const auto stopAt = Clock::now();
    srv.stop();
    const long long stopMs = millisSince(stopAt);
    client.join();

    CPPUNIT_ASSERT_EQUAL(std::string(), error);
    CPPUNIT_ASSERT_EQUAL(200, reply.status);
    CPPUNIT_ASSERT_EQUAL(std::string("done"), reply.body);
    CPPUNIT_ASSERT(Poco::icompare(*reply.header("connection"), std::string("close")) == 0);
    CPPUNIT_ASSERT_MESSAGE(std::to_string(stopMs), stopMs < 2000);
    CPPUNIT_ASSERT(!connects(port));
    srv.stop();  // idempotent
  }

  void idleKeepAliveConnectionsDoNotHoldStop() {
    crow::test::TestServer srv;
    srv.start();
    Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(srv.port()));
    CPPUNIT_ASSERT_EQUAL(200, crow::test::request(srv.port(), "GET", "/health", {}, {}, &session).status);
    const auto stopAt = Clock::now();
    srv.stop();
    // Well under the keep-alive timeout (5 s in tests): stop does not wait for idle connections.
    CPPUNIT_ASSERT(millisSince(stopAt) < 2000);
  }

  void graceBoundsAStuckRequest() {
    auto options = crow::test::TestServer::defaults();
    options.shutdownGraceMs = 200;
    crow::test::TestServer srv(options);
    std::atomic<bool> release{false};
    srv.router.add(Method::Get, "/api/v1/auth/stuck", [&](crow::Request&, crow::Response& r) {
      const auto until = Clock::now() + std::chrono::seconds(3);
      while (!release && Clock::now() < until) std::this_thread::sleep_for(std::chrono::milliseconds(5));
      r.body = "late";
    }, "core");
    srv.start();
    const int port = srv.port();
    std::thread client([&] {
      try {
        crow::test::request(port, "GET", "/api/v1/auth/stuck");
      } catch (const std::exception&) {
        // Expected: the connection is shut down after the grace period.
      }
    });
    waitForInFlight(srv.server(), 1);
    const auto stopAt = Clock::now();
    srv.stop();
    const long long stopMs = millisSince(stopAt);
    CPPUNIT_ASSERT_MESSAGE(std::to_string(stopMs), stopMs >= 150 && stopMs < 1500);
    CPPUNIT_ASSERT(srv.log.contents().find("stopped with requests still running") != std::string::npos);
    release = true;
    client.join();
  }

  void startRefusesRoutesTheServerAnswers() {
    crow::test::TestServer srv;
    srv.router.add(Method::Get, "/health", [](crow::Request&, crow::Response&) {}, "sneaky",
                   crow::RouteOptions{false, ""});
    try {
      srv.start();
      CPPUNIT_FAIL("expected a conflict");
    } catch (const crow::ConfigError& e) {
      CPPUNIT_ASSERT_EQUAL(std::string("route conflict: GET /health registered by plugin sneaky and the server"),
                           std::string(e.what()));
    }
  }

  void badOptionsAreConfigErrors() {
    crow::host::Router router;
    crow::host::RequestHooks hooks;
    crow::host::StderrLogger logger("t", crow::LogLevel::Error);
    auto make = [&](crow::host::ServerOptions o) { crow::host::HttpServer s(o, router, hooks, logger, {}); };
    auto o = crow::test::TestServer::defaults();
    o.trustedProxies = {"not-an-ip"};
    CPPUNIT_ASSERT_THROW(make(o), crow::ConfigError);
    o = crow::test::TestServer::defaults();
    o.threads = 0;
    CPPUNIT_ASSERT_THROW(make(o), crow::ConfigError);
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(GracefulStopTest);
