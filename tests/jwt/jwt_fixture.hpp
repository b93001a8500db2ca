// Shared pieces of the JWT suites: a real SQLite database with the core schema, a clock the test
// moves, and an InitContext that records what JwtCore registers so tests can call it directly.
#pragma once

#include <stdexcept>

#include "backend_fixture.hpp"

#include "config/app_config.hpp"
#include "crow/context.hpp"
#include "crow/schema.hpp"

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace jwt_test {

/// 2026-11-28T17:44:23Z, the moment of the transcript's token (iat 1795887863).
inline constexpr int64_t kTranscriptIatMs = 1795887863000;

class TestClock final : public crow::Clock {
 public:
  explicit TestClock(int64_t ms = kTranscriptIatMs) : ms_(ms) {}
  crow::Timestamp now() const noexcept override { return crow::Timestamp{ms_.load()}; }
  void set(int64_t ms) { ms_ = ms; }
  void advanceSeconds(int64_t s) { ms_ += s * 1000; }

 private:
  std::atomic<int64_t> ms_;
};

class RecordingLogger final : public crow::Logger {
 public:
  void log(crow::LogLevel level, std::string_view message, const crow::LogFields& fields) override;
  bool enabled(crow::LogLevel) const noexcept override { return true; }
  std::vector<std::string> lines() const;

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> lines_;
};

/// The core tables plus JwtCore::declareSchema's, as the host merges them.
std::vector<crow::TableDecl> coreTables();

/// A fresh SQLite file database, migrated to coreTables().
struct SqliteDatabase {
  crow::test::TestDatabase db = crow::test::TestDatabase::make("sqlite");
  std::shared_ptr<crow::Store> store;
  SqliteDatabase();
  /// Another, independent connection pool on the same file: what a second instance would have.
  std::shared_ptr<crow::Store> openAnotherInstance(std::vector<std::unique_ptr<crow::Backend>>& keepAlive) const;
};

/// loadConfigFromString over `yaml`, with an empty environment.
crow::host::AppConfig loadTestConfig(const std::string& yaml);

/// "baseURL: http://localhost:3000 / secret: <the transcript's secret>" plus `authBlock` (YAML
/// lines already indented under `auth:`).
crow::host::AppConfig configWithAuth(const std::string& authBlock);

class RecordingContext final : public crow::InitContext {
 public:
  RecordingContext(const crow::host::AppConfig& config, crow::Store& store, const crow::Clock& clock);

  const std::string& pluginId() const noexcept override { return id_; }
  const crow::ConfigNode& config() const override { return *config_.auth; }
  const crow::Settings& settings() const noexcept override { return settings_; }
  std::optional<std::string> secret(std::string_view) const override { return std::nullopt; }
  std::optional<crow::ServiceEndpoint> service(std::string_view) const override { return std::nullopt; }
  crow::Store& store() override { return store_; }
  crow::Logger& logger() override { return logger_; }
  const crow::Clock& clock() const override { return clock_; }
  void route(crow::Method method, const std::string& path, crow::RouteHandler handler,
             crow::RouteOptions options) override;
  void onRequest(crow::HookPoint point, crow::RequestHook hook, crow::RequestHookOptions options) override;
  void onData(crow::HookPoint, const std::string&, crow::DataHook, int) override {}
  crow::ServiceClient* serviceClient(std::string_view) override { return nullptr; }
  crow::Outbox& outbox() override { throw std::logic_error("the JWT fixture has no outbox"); }
  std::optional<std::string> inboundCaller(std::string_view) const override { return std::nullopt; }
  crow::Sessions& sessions() override { throw std::logic_error("the JWT fixture has no sessions"); }
  crow::TokenSigner* tokenSigner() override { return nullptr; }

  bool hasRoute(crow::Method method, const std::string& path) const;
  /// Runs the route as the router would (ApiError is left to propagate).
  crow::Response call(crow::Method method, const std::string& path, crow::Request request = {});
  /// Runs the RequestAfter hooks whose prefix matches request.path.
  void runAfterHooks(crow::Request& request, crow::Response& response);
  size_t afterHookCount() const { return afterHooks_.size(); }
  RecordingLogger& recordingLogger() { return logger_; }

 private:
  std::string id_ = "core";
  const crow::host::AppConfig& config_;
  crow::Settings settings_;
  crow::Store& store_;
  const crow::Clock& clock_;
  RecordingLogger logger_;
  std::map<std::pair<crow::Method, std::string>, crow::RouteHandler> routes_;
  std::vector<std::pair<crow::RequestHookOptions, crow::RequestHook>> afterHooks_;
};

}  // namespace jwt_test
