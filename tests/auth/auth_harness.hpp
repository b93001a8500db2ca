// An authentication core served over real HTTP on an ephemeral port: SQLite through the real
// backend library, the core and outbox schemas migrated, CoreAuth initialised through the same
// PluginContext the host uses, a clock the test moves. The wiring mirrors what App does, so these
// tests run before (and independently of) the crow-auth executable's own wiring.
#pragma once

#include "../http/test_server.hpp"
#include "../store/backend_fixture.hpp"

#include "auth/core_auth.hpp"
#include "config/app_config.hpp"
#include "data/data_hooks.hpp"
#include "data/hooked_store.hpp"

#include "crow/context.hpp"

#include <atomic>
#include <map>
#include <memory>
#include <string>

namespace crow::test {

class ManualClock final : public crow::Clock {
 public:
  crow::Timestamp now() const noexcept override { return crow::Timestamp{ms_.load()}; }
  void set(int64_t ms) { ms_.store(ms); }
  void advanceSeconds(int64_t s) { ms_.fetch_add(s * 1000); }

 private:
  std::atomic<int64_t> ms_{1795887861000};  // 2026-11-28T17:44:21Z, near the transcript's dates
};

struct AuthHarness {
  /// `authYaml` is the body of the `auth:` block (indented by two spaces), `extraYaml` more
  /// top-level keys. A notification service is configured unless `withNotification` is false.
  explicit AuthHarness(const std::string& authYaml = "", bool withNotification = true,
                       const std::string& baseURL = "http://localhost:3000");
  ~AuthHarness();

  /// A data hook, as a plugin would register it (call before start()).
  void onData(crow::HookPoint point, const std::string& table, crow::DataHook hook);

  int port() const { return server->port(); }
  HttpReply post(const std::string& path, const std::string& body, const Headers& headers = {});
  HttpReply get(const std::string& path, const Headers& headers = {});

  crow::Store& store() { return *hooked; }
  int64_t count(const std::string& table) { return hooked->count(table, {}); }

  ManualClock clock;
  host::AppConfig config;
  TestDatabase database;
  std::shared_ptr<crow::Store> raw;
  host::DataHooks dataHooks;
  std::unique_ptr<host::HookedStore> hooked;
  std::unique_ptr<TestServer> server;
  std::unique_ptr<host::CoreAuth> auth;
  std::shared_ptr<crow::Settings> settings_;
  std::unique_ptr<crow::Logger> logger_;
};

/// Signs up `email` with `password` (JSON, no cookies) and returns the reply.
HttpReply signUp(AuthHarness& h, const std::string& email, const std::string& password = "password1234",
                 const std::string& name = "Alice");
/// The `name=value` of the first Set-Cookie for `cookieName`, or "".
std::string cookiePair(const HttpReply& reply, const std::string& cookieName);
/// Every Set-Cookie value, in order.
std::vector<std::string> setCookies(const HttpReply& reply);

}  // namespace crow::test
