#include "jwt_fixture.hpp"

#include "auth/core_schema.hpp"
#include "jwt/lock_table.hpp"

#include <cppunit/extensions/HelperMacros.h>

namespace jwt_test {

void RecordingLogger::log(crow::LogLevel, std::string_view message, const crow::LogFields& fields) {
  std::string line(message);
  for (const auto& [key, value] : fields) line += " " + key + "=" + value;
  std::lock_guard lock(mutex_);
  lines_.push_back(std::move(line));
}

std::vector<std::string> RecordingLogger::lines() const {
  std::lock_guard lock(mutex_);
  return lines_;
}

std::vector<crow::TableDecl> coreTables() {
  crow::SchemaBuilder schema;
  crow::host::declareCoreSchema(schema);
  // What JwtCore::declareSchema declares; called directly so this helper does not need JwtCore.
  crow::host::declareLockTable(schema);
  for (auto& table : schema.tables()) table.owner = "core";
  return schema.tables();
}

SqliteDatabase::SqliteDatabase() {
  db.open(4);
  store = db.migrateAndStore(coreTables());
}

std::shared_ptr<crow::Store> SqliteDatabase::openAnotherInstance(
    std::vector<std::unique_ptr<crow::Backend>>& keepAlive) const {
  auto backend = crow::test::loadBackend("sqlite");
  crow::BackendOptions options;
  options.url = db.url;
  options.poolSize = 2;
  options.busyTimeoutMs = 20000;
  backend->open(options);
  auto other = backend->store(coreTables());
  keepAlive.push_back(std::move(backend));
  return other;
}

crow::host::AppConfig loadTestConfig(const std::string& yaml) {
  return crow::host::loadConfigFromString(yaml, "test.yaml",
                                          [](const std::string&) -> std::optional<std::string> { return std::nullopt; });
}

crow::host::AppConfig configWithAuth(const std::string& authBlock) {
  return loadTestConfig(
      "baseURL: http://localhost:3000\n"
      "secret: test-secret-0123456789abcdefghijklmnopqrstuvwxyz\n"
      "auth:\n" +
      (authBlock.empty() ? std::string("  {}\n") : authBlock));
}

RecordingContext::RecordingContext(const crow::host::AppConfig& config, crow::Store& store, const crow::Clock& clock)
    : config_(config), settings_(config.settings()), store_(store), clock_(clock) {}

void RecordingContext::route(crow::Method method, const std::string& path, crow::RouteHandler handler,
                             crow::RouteOptions) {
  CPPUNIT_ASSERT_MESSAGE("route registered twice: " + path, !hasRoute(method, path));
  routes_[{method, path}] = std::move(handler);
}

void RecordingContext::onRequest(crow::HookPoint point, crow::RequestHook hook, crow::RequestHookOptions options) {
  CPPUNIT_ASSERT_MESSAGE("JwtCore registers after-hooks only", point == crow::HookPoint::RequestAfter);
  afterHooks_.emplace_back(std::move(options), std::move(hook));
}

bool RecordingContext::hasRoute(crow::Method method, const std::string& path) const {
  return routes_.count({method, path}) != 0;
}

crow::Response RecordingContext::call(crow::Method method, const std::string& path, crow::Request request) {
  auto it = routes_.find({method, path});
  CPPUNIT_ASSERT_MESSAGE("no route " + path, it != routes_.end());
  request.method = method;
  request.path = path;
  crow::Response response;
  it->second(request, response);
  return response;
}

void RecordingContext::runAfterHooks(crow::Request& request, crow::Response& response) {
  for (auto& [options, hook] : afterHooks_)
    if (request.path.rfind(options.pathPrefix, 0) == 0) hook(request, response);
}

}  // namespace jwt_test
