// The host's service client (what InitContext::serviceClient hands plugins) against a small Poco
// HTTP server on a loopback port, the service directory, and the plugin-facing outbox adapter.
#include "outbox/outbox_table.hpp"
#include "outbox/plugin_outbox.hpp"
#include "services/host_service_client.hpp"
#include "services/service_directory.hpp"

#include "test/fakes.hpp"  // plugins/example/test: FakeStore, FixedClock

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/ThreadPool.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>
#include <Poco/String.h>

#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

namespace {

using SteadyClock = std::chrono::steady_clock;

const std::string kUserKey = "user-service-key-0123456789abcdef0123";

struct Seen {
  std::string method, uri, apiKey, contentType, trace, body, peer;
  int apiKeyHeaders = 0;
};

struct Recorder {
  std::mutex mutex;
  std::vector<Seen> seen;
  std::vector<Seen> all() {
    std::lock_guard lock(mutex);
    return seen;
  }
};

class Handler final : public Poco::Net::HTTPRequestHandler {
 public:
  explicit Handler(Recorder& recorder) : recorder_(recorder) {}
  void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
    Seen seen;
    seen.method = request.getMethod();
    seen.uri = request.getURI();
    seen.apiKey = request.get("X-Service-API-Key", "<none>");
    for (const auto& [name, value] : request)
      if (Poco::icompare(name, "X-Service-API-Key") == 0) ++seen.apiKeyHeaders;
    seen.contentType = request.get("Content-Type", "<none>");
    seen.trace = request.get("X-Trace", "<none>");
    seen.peer = request.clientAddress().toString();
    Poco::StreamCopier::copyToString(request.stream(), seen.body);
    {
      std::lock_guard lock(recorder_.mutex);
      recorder_.seen.push_back(seen);
    }
    const std::string path = seen.uri.substr(0, seen.uri.find('?'));
    if (path.ends_with("/unavailable")) {
      response.setStatus(Poco::Net::HTTPResponse::HTTP_SERVICE_UNAVAILABLE);
      response.setContentType("application/json");
      response.sendBuffer(R"({"code":"DOWN"})", 15);
    } else if (path.ends_with("/slow")) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1500));
      response.send() << "late";
    } else if (path.ends_with("/big")) {
      const std::string chunk(1 << 20, 'x');
      response.setContentLength(9 * chunk.size());
      std::ostream& out = response.send();
      for (int i = 0; i < 9 && out; ++i) out << chunk;
    } else {
      response.setContentType("application/json");
      response.sendBuffer(R"({"ok":true})", 11);  // with a length, so the connection can stay open
    }
  }

 private:
  Recorder& recorder_;
};

class Factory final : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit Factory(Recorder& recorder) : recorder_(recorder) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
    return new Handler(recorder_);
  }

 private:
  Recorder& recorder_;
};

/// A service on 127.0.0.1 that records what it receives.
class FakeService {
 public:
  FakeService() : socket_(Poco::Net::SocketAddress("127.0.0.1", 0)) {
    auto* params = new Poco::Net::HTTPServerParams();
    params->setKeepAlive(true);
    params->setMaxThreads(16);  // a kept-alive connection holds a server thread
    server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(recorder), socket_, params);
    server_->start();
  }
  ~FakeService() {
    server_->stopAll(true);
    // Poco's connection threads outlive stopAll (they belong to the default pool): wait for them,
    // or one still answering a stalled client reads this object after it is gone.
    for (int i = 0; i < 500 && server_->currentConnections() > 0; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    server_.reset();
    Poco::ThreadPool::defaultPool().joinAll();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(socket_.address().port()); }
  Recorder recorder;

 private:
  Poco::Net::ServerSocket socket_;
  std::unique_ptr<Poco::Net::HTTPServer> server_;
};

crow::host::ServiceTarget userService(const std::string& url) { return {"user", url, kUserKey}; }

long long millisSince(SteadyClock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(SteadyClock::now() - start).count();
}

// A port nothing listens on: bound, then closed.
uint16_t closedPort() {
  Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
  const uint16_t port = socket.address().port();
  socket.close();
  return port;
}

}  // namespace

class ServiceClientTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(ServiceClientTest);
  CPPUNIT_TEST(presentsTheConfiguredKey);
  CPPUNIT_TEST(getSendsNoBody);
  CPPUNIT_TEST(aCallerCannotSetTheKeyHeader);
  CPPUNIT_TEST(headersCannotSplitTheRequest);
  CPPUNIT_TEST(anErrorStatusIsAnAnswer);
  CPPUNIT_TEST(aDownServiceIsUnavailableAtOnce);
  CPPUNIT_TEST(aStalledServiceIsUnavailableWithinTheTimeout);
  CPPUNIT_TEST(aSlowAnswerIsUnavailableWithinTheTimeout);
  CPPUNIT_TEST(connectionsAreReused);
  CPPUNIT_TEST(manyThreadsShareOneClient);
  CPPUNIT_TEST(anOversizedAnswerIsRefused);
  CPPUNIT_TEST(httpsNeedsTls);
  CPPUNIT_TEST(theDirectoryHoldsConfiguredServicesOnly);
  CPPUNIT_TEST(theOutboxWritesThePluginsMessage);
  CPPUNIT_TEST_SUITE_END();

 public:
  void presentsTheConfiguredKey() {
    FakeService service;
    crow::host::HostServiceClient impl(userService(service.url() + "/internal/"));
    crow::ServiceClient& client = impl;  // as plugins hold it (the defaults are the interface's)
    CPPUNIT_ASSERT_EQUAL(std::string("user"), client.name());
    const crow::ServiceResponse response =
        client.send(crow::Method::Post, "/v1/users?sync=1", R"({"id":"u1"})", {{"X-Trace", "t-1"}});
    CPPUNIT_ASSERT_EQUAL(200, response.status);
    CPPUNIT_ASSERT_EQUAL(std::string(R"({"ok":true})"), response.body);
    const auto seen = service.recorder.all();
    CPPUNIT_ASSERT_EQUAL(size_t(1), seen.size());
    CPPUNIT_ASSERT_EQUAL(std::string("POST"), seen[0].method);
    CPPUNIT_ASSERT_EQUAL(std::string("/internal/v1/users?sync=1"), seen[0].uri);
    CPPUNIT_ASSERT_EQUAL(kUserKey, seen[0].apiKey);
    CPPUNIT_ASSERT_EQUAL(1, seen[0].apiKeyHeaders);
    CPPUNIT_ASSERT_EQUAL(std::string("application/json"), seen[0].contentType);
    CPPUNIT_ASSERT_EQUAL(std::string("t-1"), seen[0].trace);
    CPPUNIT_ASSERT_EQUAL(std::string(R"({"id":"u1"})"), seen[0].body);
  }

  void getSendsNoBody() {
    FakeService service;
    crow::host::HostServiceClient impl(userService(service.url()));
    crow::ServiceClient& client = impl;  // as plugins hold it (the defaults are the interface's)
    CPPUNIT_ASSERT_EQUAL(200, client.send(crow::Method::Get, "v1/users/u1").status);
    const auto seen = service.recorder.all();
    CPPUNIT_ASSERT_EQUAL(std::string("GET"), seen.at(0).method);
    CPPUNIT_ASSERT_EQUAL(std::string("/v1/users/u1"), seen.at(0).uri);
    CPPUNIT_ASSERT_EQUAL(std::string("<none>"), seen.at(0).contentType);
    CPPUNIT_ASSERT_EQUAL(kUserKey, seen.at(0).apiKey);
    CPPUNIT_ASSERT(seen.at(0).body.empty());
  }

  // The key is the host's: a plugin's own X-Service-API-Key (any spelling) is refused before
  // anything is sent, so it can neither replace the configured key nor ride along beside it.
  void aCallerCannotSetTheKeyHeader() {
    FakeService service;
    crow::host::HostServiceClient impl(userService(service.url()));
    crow::ServiceClient& client = impl;  // as plugins hold it (the defaults are the interface's)
    for (const char* name : {"X-Service-API-Key", "x-service-api-key", "X-SERVICE-API-KEY"})
      CPPUNIT_ASSERT_THROW(client.send(crow::Method::Post, "/v1/users", "{}", {{name, "attacker-key"}}),
                           std::invalid_argument);
    CPPUNIT_ASSERT(service.recorder.all().empty());
    // Without the header the configured key goes out, once.
    client.send(crow::Method::Post, "/v1/users", "{}");
    CPPUNIT_ASSERT_EQUAL(kUserKey, service.recorder.all().at(0).apiKey);
    CPPUNIT_ASSERT_EQUAL(1, service.recorder.all().at(0).apiKeyHeaders);
  }

  void headersCannotSplitTheRequest() {
    FakeService service;
    crow::host::HostServiceClient impl(userService(service.url()));
    crow::ServiceClient& client = impl;  // as plugins hold it (the defaults are the interface's)
    CPPUNIT_ASSERT_THROW(client.send(crow::Method::Get, "/x", {}, {{"X-Trace", "a\r\nX-Service-API-Key: evil"}}),
                         std::invalid_argument);
    CPPUNIT_ASSERT_THROW(client.send(crow::Method::Get, "/x", {}, {{"X-Trace\n", "a"}}), std::invalid_argument);
    CPPUNIT_ASSERT_THROW(client.send(crow::Method::Get, "/x HTTP/1.1\r\nX: y"), std::invalid_argument);
    CPPUNIT_ASSERT(service.recorder.all().empty());
  }

  void anErrorStatusIsAnAnswer() {
    FakeService service;
    crow::host::HostServiceClient impl(userService(service.url()));
    crow::ServiceClient& client = impl;  // as plugins hold it (the defaults are the interface's)
    const crow::ServiceResponse response = client.send(crow::Method::Post, "/unavailable", "{}");
    CPPUNIT_ASSERT_EQUAL(503, response.status);
    CPPUNIT_ASSERT_EQUAL(std::string(R"({"code":"DOWN"})"), response.body);
  }

  void aDownServiceIsUnavailableAtOnce() {
    crow::host::HostServiceClient impl(userService("http://127.0.0.1:" + std::to_string(closedPort())));
    crow::ServiceClient& client = impl;  // as plugins hold it (the defaults are the interface's)
    const auto start = SteadyClock::now();
    try {
      client.send(crow::Method::Post, "/v1/users", "{}", {}, std::chrono::seconds(2));
      CPPUNIT_FAIL("a down service answered");
    } catch (const crow::ServiceUnavailable& e) {
      const std::string message = e.what();
      CPPUNIT_ASSERT_MESSAGE(message, message.find("service user unavailable: connection refused") != std::string::npos);
      CPPUNIT_ASSERT(message.find(kUserKey) == std::string::npos);
    }
    CPPUNIT_ASSERT(millisSince(start) < 2000);
  }

  // Accepted by the kernel, never answered: the call ends when its timeout does.
  void aStalledServiceIsUnavailableWithinTheTimeout() {
    Poco::Net::ServerSocket stalled(Poco::Net::SocketAddress("127.0.0.1", 0));
    crow::host::HostServiceClient impl(userService("http://127.0.0.1:" + std::to_string(stalled.address().port())));
    crow::ServiceClient& client = impl;  // as plugins hold it (the defaults are the interface's)
    const auto start = SteadyClock::now();
    try {
      client.send(crow::Method::Post, "/v1/users", "{}", {}, std::chrono::milliseconds(300));
      CPPUNIT_FAIL("a stalled service answered");
    } catch (const crow::ServiceUnavailable& e) {
      CPPUNIT_ASSERT_MESSAGE(e.what(), std::string(e.what()).find("timeout") != std::string::npos);
    }
    const long long elapsed = millisSince(start);
    CPPUNIT_ASSERT_MESSAGE(std::to_string(elapsed), elapsed >= 250 && elapsed < 1500);
  }

  void aSlowAnswerIsUnavailableWithinTheTimeout() {
    FakeService service;
    crow::host::HostServiceClient impl(userService(service.url()));
    crow::ServiceClient& client = impl;  // as plugins hold it (the defaults are the interface's)
    const auto start = SteadyClock::now();
    CPPUNIT_ASSERT_THROW(client.send(crow::Method::Get, "/slow", {}, {}, std::chrono::milliseconds(300)),
                         crow::ServiceUnavailable);
    CPPUNIT_ASSERT(millisSince(start) < 1200);
    // The client is still usable afterwards (the timed-out connection was dropped).
    CPPUNIT_ASSERT_EQUAL(200, client.send(crow::Method::Get, "/ok").status);
  }

  void connectionsAreReused() {
    FakeService service;
    crow::host::HostServiceClient impl(userService(service.url()));
    crow::ServiceClient& client = impl;  // as plugins hold it (the defaults are the interface's)
    for (int i = 0; i < 5; ++i) CPPUNIT_ASSERT_EQUAL(200, client.send(crow::Method::Post, "/v1/ping", "{}").status);
    const auto seen = service.recorder.all();
    CPPUNIT_ASSERT_EQUAL(size_t(5), seen.size());
    for (const Seen& s : seen) CPPUNIT_ASSERT_EQUAL(seen[0].peer, s.peer);  // one client port: one connection
  }

  void manyThreadsShareOneClient() {
    FakeService service;
    crow::host::HostServiceClient impl(userService(service.url()));
    crow::ServiceClient& client = impl;  // as plugins hold it (the defaults are the interface's)
    std::atomic<int> ok{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 6; ++t)
      threads.emplace_back([&] {
        for (int i = 0; i < 10; ++i) {
          try {
            if (client.send(crow::Method::Post, "/v1/ping", "{}").status == 200) ++ok;
          } catch (const std::exception&) {
          }
        }
      });
    for (auto& thread : threads) thread.join();
    CPPUNIT_ASSERT_EQUAL(60, ok.load());
    for (const Seen& s : service.recorder.all()) CPPUNIT_ASSERT_EQUAL(kUserKey, s.apiKey);
  }

  void anOversizedAnswerIsRefused() {
    FakeService service;
    crow::host::HostServiceClient impl(userService(service.url()));
    crow::ServiceClient& client = impl;  // as plugins hold it (the defaults are the interface's)
    try {
      client.send(crow::Method::Get, "/big");
      CPPUNIT_FAIL("a 9 MiB answer was accepted");
    } catch (const crow::ServiceUnavailable& e) {
      CPPUNIT_ASSERT_MESSAGE(e.what(), std::string(e.what()).find("response body too large") != std::string::npos);
    }
    CPPUNIT_ASSERT_EQUAL(200, client.send(crow::Method::Get, "/ok").status);
  }

  // An https service gets TLS: against a plain-HTTP server the handshake fails.
  void httpsNeedsTls() {
    FakeService service;
    const std::string url = "https://127.0.0.1:" + service.url().substr(service.url().rfind(':') + 1);
    if (!crow::host::ServiceConnections::supportsHttps()) {
      CPPUNIT_ASSERT_THROW(crow::host::HostServiceClient(userService(url)), std::invalid_argument);
      return;
    }
    crow::host::HostServiceClient impl(userService(url));
    crow::ServiceClient& client = impl;  // as plugins hold it (the defaults are the interface's)
    try {
      client.send(crow::Method::Post, "/v1/users", "{}", {}, std::chrono::seconds(2));
      CPPUNIT_FAIL("TLS to a plain HTTP server succeeded");
    } catch (const crow::ServiceUnavailable& e) {
      // The plain server refuses the ClientHello at once, or, when its random bytes read as the
      // start of a request line, waits for more until the timeout: both mean no plaintext call.
      const std::string what = e.what();
      CPPUNIT_ASSERT_MESSAGE(what, what.find("network error") != std::string::npos ||
                                       what.find("timeout") != std::string::npos);
    }
    // Nothing arrived in plaintext. (The ClientHello's random bytes can, rarely, parse as some
    // request line of their own; that is not the call, so only the call itself is looked for.)
    for (const Seen& seen : service.recorder.all()) {
      CPPUNIT_ASSERT(seen.uri != "/v1/users");
      CPPUNIT_ASSERT(seen.apiKey == "<none>");
    }
  }

  void theDirectoryHoldsConfiguredServicesOnly() {
    std::map<std::string, crow::host::ServiceTarget> targets{
        {"user", userService("http://127.0.0.1:9")}, {"billing", {"billing", "", "billing-key"}}};
    crow::host::ServiceDirectory directory(targets);
    CPPUNIT_ASSERT(directory.find("user") != nullptr);
    CPPUNIT_ASSERT_EQUAL(std::string("user"), directory.find("user")->name());
    CPPUNIT_ASSERT(directory.find("billing") == nullptr);  // a key without a url is no service
    CPPUNIT_ASSERT(directory.find("notification") == nullptr);
    targets["product"] = {"product", "ftp://products", ""};
    CPPUNIT_ASSERT_THROW(crow::host::ServiceDirectory{targets}, crow::ConfigError);
  }

  void theOutboxWritesThePluginsMessage() {
    namespace t = crow::host::outbox_table;
    example_test::FakeStore store;
    example_test::FixedClock clock;
    crow::host::PluginOutbox outbox(clock);
    const std::string id = outbox.enqueue(
        store, {"organization", "/v1/orgs", "org-1", "organization.created", R"({"id":"org-1","name":"Acme"})", ""});
    const auto& rows = store.tables[t::kTable];
    CPPUNIT_ASSERT_EQUAL(size_t(1), rows.size());
    const crow::Row& row = rows[0];
    CPPUNIT_ASSERT_EQUAL(id, *crow::asString(crow::field(row, t::kId)));
    CPPUNIT_ASSERT_EQUAL(std::string("organization"), *crow::asString(crow::field(row, t::kDestination)));
    CPPUNIT_ASSERT_EQUAL(std::string("/v1/orgs"), *crow::asString(crow::field(row, t::kPath)));
    CPPUNIT_ASSERT_EQUAL(std::string("org-1"), *crow::asString(crow::field(row, t::kAggregateId)));
    CPPUNIT_ASSERT_EQUAL(std::string("organization.created"), *crow::asString(crow::field(row, t::kEventType)));
    CPPUNIT_ASSERT_EQUAL(id, *crow::asString(crow::field(row, t::kIdempotencyKey)));  // generated: the id
    const std::string payload = *crow::asString(crow::field(row, t::kPayload));
    CPPUNIT_ASSERT_MESSAGE(payload, payload.find(R"("name":"Acme")") != std::string::npos);

    outbox.enqueue(store, {"user", "/v1/users", "", "user.synced", "", "key-1"});
    CPPUNIT_ASSERT_EQUAL(std::string("{}"), *crow::asString(crow::field(store.tables[t::kTable][1], t::kPayload)));
    CPPUNIT_ASSERT_EQUAL(std::string("key-1"),
                         *crow::asString(crow::field(store.tables[t::kTable][1], t::kIdempotencyKey)));

    CPPUNIT_ASSERT_THROW(outbox.enqueue(store, {"user", "/v1", "", "user.synced", "{not json", ""}), std::invalid_argument);
    CPPUNIT_ASSERT_THROW(outbox.enqueue(store, {"user", "/v1", "", "user.synced", "[1,2]", ""}), std::invalid_argument);
    CPPUNIT_ASSERT_THROW(outbox.enqueue(store, {"", "/v1", "", "user.synced", "{}", ""}), std::invalid_argument);
    CPPUNIT_ASSERT_THROW(outbox.enqueue(store, {"user", "/v1", "", "", "{}", ""}), std::invalid_argument);
    CPPUNIT_ASSERT_EQUAL(size_t(2), store.tables[t::kTable].size());
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ServiceClientTest);
