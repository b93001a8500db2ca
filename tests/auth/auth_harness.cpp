#include "auth_harness.hpp"

#include "app/plugin_context.hpp"
#include "auth/core_schema.hpp"
#include "auth/row_json.hpp"
#include "data/schema_registry.hpp"
#include "outbox/outbox.hpp"

#include <cppunit/extensions/HelperMacros.h>

namespace crow::test {

namespace {

std::string configYaml(const std::string& authYaml, bool withNotification, const std::string& baseURL) {
  std::string yaml = "baseURL: \"" + baseURL +
                     "\"\n"
                     "secret: \"test-secret-0123456789abcdefghijklmnopqrstuvwxyz\"\n"
                     "trustedOrigins: [\"http://localhost:5173\", \"https://*.example.org\"]\n"
                     "database:\n  url: \"sqlite://:memory:\"\n";
  if (withNotification)
    yaml += "services:\n  notification:\n    url: \"http://127.0.0.1:9\"\n    apiKey: \"notification-key\"\n";
  if (!authYaml.empty()) yaml += "auth:\n" + authYaml;
  return yaml;
}

}  // namespace

AuthHarness::AuthHarness(const std::string& authYaml, bool withNotification, const std::string& baseURL) {
  config = host::loadConfigFromString(configYaml(authYaml, withNotification, baseURL), "auth-test.yaml",
                                      [](const std::string&) -> std::optional<std::string> { return std::nullopt; });
  crow::SchemaBuilder core;
  host::declareCoreSchema(core);
  host::declareOutboxSchema(core);
  host::SchemaRegistry registry;
  registry.add("core", core.tables());
  const auto tables = registry.merged();

  database = TestDatabase::make("sqlite");
  database.open(4);
  raw = database.migrateAndStore(tables);

  server = std::make_unique<TestServer>();
  hooked = std::make_unique<host::HookedStore>(raw, dataHooks, server->logger);
  auth = std::make_unique<host::CoreAuth>(config, std::make_shared<host::SchemaCatalog>(tables));
  auto settings = std::make_shared<crow::Settings>(config.settings());
  host::PluginContext context("core", config.auth, config, *settings, *hooked,
                              std::make_unique<host::StderrLogger>("core", crow::LogLevel::Warn, server->log.fd()), clock,
                              server->router, server->hooks, dataHooks);
  auth->init(context);
  // PluginContext keeps a reference to the settings and the logger outlives init: keep both.
  settings_ = settings;
  logger_ = context.releaseLogger();
  server->start();
}

AuthHarness::~AuthHarness() {
  if (server) server->stop();
}

void AuthHarness::onData(crow::HookPoint point, const std::string& table, crow::DataHook hook) {
  dataHooks.add(point, table, std::move(hook), 0, "test-plugin");
}

HttpReply AuthHarness::post(const std::string& path, const std::string& body, const Headers& headers) {
  Headers all = headers;
  bool hasType = false;
  for (const auto& [k, v] : all)
    if (k == "Content-Type" || k == "content-type") hasType = true;
  if (!hasType) all.emplace_back("Content-Type", "application/json");
  return request(port(), "POST", "/api/v1/auth" + path, body, all);
}

HttpReply AuthHarness::get(const std::string& path, const Headers& headers) {
  return request(port(), "GET", "/api/v1/auth" + path, {}, headers);
}

HttpReply signUp(AuthHarness& h, const std::string& email, const std::string& password, const std::string& name) {
  return h.post("/sign-up/email",
                "{\"name\":\"" + name + "\",\"email\":\"" + email + "\",\"password\":\"" + password + "\"}");
}

std::vector<std::string> setCookies(const HttpReply& reply) {
  std::vector<std::string> out;
  for (const auto& [k, v] : reply.headers)
    if (k == "set-cookie") out.push_back(v);
  return out;
}

std::string cookiePair(const HttpReply& reply, const std::string& cookieName) {
  for (const auto& c : setCookies(reply))
    if (c.rfind(cookieName + "=", 0) == 0) return c.substr(0, c.find(';'));
  return {};
}

}  // namespace crow::test
