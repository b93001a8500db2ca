// The event workers: a connection holds no thread between requests or while its head trickles
// in, blocked workers get help, and idle or stalled connections are closed on time.
#include "test_server.hpp"

#include <cppunit/extensions/HelperMacros.h>

#include <Poco/Net/NetException.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <thread>
#include <vector>

using crow::Method;
using Clock = std::chrono::steady_clock;

namespace {

long long millisSince(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t).count();
}

std::unique_ptr<Poco::Net::StreamSocket> openConnection(int port) {
  auto socket = std::make_unique<Poco::Net::StreamSocket>();
  socket->connect(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(port)));
  return socket;
}

// Milliseconds until the server closes `socket` (reads return 0 or fail), or -1 after `limitMs`.
long long millisUntilClosed(Poco::Net::StreamSocket& socket, int limitMs) {
  const auto start = Clock::now();
  socket.setReceiveTimeout(Poco::Timespan(0, 100 * 1000));
  char buffer[4096];
  while (millisSince(start) < limitMs) {
    try {
      if (socket.receiveBytes(buffer, sizeof buffer) <= 0) return millisSince(start);
    } catch (const Poco::TimeoutException&) {
    } catch (const Poco::Exception&) {
      return millisSince(start);
    }
  }
  return -1;
}

}  // namespace

class EventWorkersTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(EventWorkersTest);
  CPPUNIT_TEST(tricklingHeadsHoldNoThread);
  CPPUNIT_TEST(idleKeepAliveConnectionsHoldNoThread);
  CPPUNIT_TEST(blockedWorkersGetHelp);
  CPPUNIT_TEST(idleConnectionIsClosedAfterKeepAliveTimeout);
  CPPUNIT_TEST(incompleteHeadIsDroppedAfterReceiveTimeout);
  CPPUNIT_TEST(headCompletedLaterIsServed);
  CPPUNIT_TEST_SUITE_END();

 public:
  // Two threads in all, and twenty clients sending half a head each: with a thread per connection
  // the server would be stuck; here /health is still answered at once.
  void tricklingHeadsHoldNoThread() {
    crow::host::ServerOptions options = crow::test::TestServer::defaults();
    options.workers = 2;
    options.threads = 2;
    crow::test::TestServer srv(options);
    srv.start();
    std::vector<std::unique_ptr<Poco::Net::StreamSocket>> slow;
    for (int i = 0; i < 20; ++i) {
      slow.push_back(openConnection(srv.port()));
      const std::string part = "GET /api/v1/auth/x HTTP/1.1\r\nHost: slow\r\nX-Part: ";
      slow.back()->sendBytes(part.data(), static_cast<int>(part.size()));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    const auto start = Clock::now();
    CPPUNIT_ASSERT_EQUAL(200, crow::test::request(srv.port(), "GET", "/health").status);
    CPPUNIT_ASSERT(millisSince(start) < 1000);
  }

  void idleKeepAliveConnectionsHoldNoThread() {
    crow::host::ServerOptions options = crow::test::TestServer::defaults();
    options.workers = 2;
    options.threads = 2;
    crow::test::TestServer srv(options);
    srv.start();
    std::vector<std::unique_ptr<Poco::Net::HTTPClientSession>> idle;
    for (int i = 0; i < 10; ++i) {
      idle.push_back(std::make_unique<Poco::Net::HTTPClientSession>("127.0.0.1", static_cast<Poco::UInt16>(srv.port())));
      idle.back()->setKeepAlive(true);
      CPPUNIT_ASSERT_EQUAL(200, crow::test::request(srv.port(), "GET", "/health", {}, {}, idle.back().get()).status);
    }
    // Ten open keep-alive connections, two threads: a new client is still served, and so is
    // every idle one when it comes back.
    CPPUNIT_ASSERT_EQUAL(200, crow::test::request(srv.port(), "GET", "/health").status);
    for (auto& session : idle)
      CPPUNIT_ASSERT_EQUAL(200, crow::test::request(srv.port(), "GET", "/health", {}, {}, session.get()).status);
  }

  // Two workers, six requests that each block for 400 ms: the watchdog adds workers, so they
  // overlap instead of taking three rounds, and /health is answered meanwhile.
  void blockedWorkersGetHelp() {
    crow::host::ServerOptions options = crow::test::TestServer::defaults();
    options.workers = 2;
    options.threads = 16;
    crow::test::TestServer srv(options);
    srv.router.add(Method::Get, "/api/v1/auth/blocking", [](crow::Request&, crow::Response& r) {
      std::this_thread::sleep_for(std::chrono::milliseconds(400));
      r.body = "done";
    }, "core");
    srv.start();
    const auto start = Clock::now();
    std::atomic<int> ok{0};
    std::vector<std::thread> clients;
    for (int i = 0; i < 6; ++i)
      clients.emplace_back([&] {
        if (crow::test::request(srv.port(), "GET", "/api/v1/auth/blocking").status == 200) ++ok;
      });
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    const auto healthAt = Clock::now();
    CPPUNIT_ASSERT_EQUAL(200, crow::test::request(srv.port(), "GET", "/health").status);
    const long long healthMs = millisSince(healthAt);
    for (auto& client : clients) client.join();
    const long long allMs = millisSince(start);
    CPPUNIT_ASSERT_EQUAL(6, ok.load());
    CPPUNIT_ASSERT_MESSAGE("health took " + std::to_string(healthMs) + " ms", healthMs < 300);
    CPPUNIT_ASSERT_MESSAGE("six blocking requests took " + std::to_string(allMs) + " ms", allMs < 1100);
  }

  void idleConnectionIsClosedAfterKeepAliveTimeout() {
    crow::host::ServerOptions options = crow::test::TestServer::defaults();
    options.keepAliveTimeoutS = 1;
    crow::test::TestServer srv(options);
    srv.start();
    auto socket = openConnection(srv.port());
    const std::string get = "GET /health HTTP/1.1\r\nHost: t\r\n\r\n";
    socket->sendBytes(get.data(), static_cast<int>(get.size()));
    const long long closedAfter = millisUntilClosed(*socket, 4000);
    CPPUNIT_ASSERT_MESSAGE(std::to_string(closedAfter), closedAfter >= 700 && closedAfter < 2500);
  }

  void incompleteHeadIsDroppedAfterReceiveTimeout() {
    crow::host::ServerOptions options = crow::test::TestServer::defaults();
    options.receiveTimeoutS = 1;
    options.keepAliveTimeoutS = 10;
    crow::test::TestServer srv(options);
    srv.start();
    auto socket = openConnection(srv.port());
    const std::string part = "GET /health HTTP/1.1\r\nHost: t\r\n";
    socket->sendBytes(part.data(), static_cast<int>(part.size()));
    const long long closedAfter = millisUntilClosed(*socket, 5000);
    CPPUNIT_ASSERT_MESSAGE(std::to_string(closedAfter), closedAfter >= 700 && closedAfter < 2500);
  }

  // A head sent in pieces with pauses is answered once its last piece arrives.
  void headCompletedLaterIsServed() {
    crow::test::TestServer srv;
    srv.start();
    auto socket = openConnection(srv.port());
    for (const std::string piece : {"GET /hea", "lth HTTP/1.1\r\n", "Host: t\r\n", "\r\n"}) {
      socket->sendBytes(piece.data(), static_cast<int>(piece.size()));
      std::this_thread::sleep_for(std::chrono::milliseconds(60));
    }
    socket->setReceiveTimeout(Poco::Timespan(2, 0));
    char buffer[4096];
    const int n = socket->receiveBytes(buffer, sizeof buffer);
    CPPUNIT_ASSERT(n > 12);
    CPPUNIT_ASSERT_EQUAL(std::string("HTTP/1.1 200"), std::string(buffer, 12));
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(EventWorkersTest);
