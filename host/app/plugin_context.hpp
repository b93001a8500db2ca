// The InitContext a plugin receives: its own config block and logger, the shared services, and
// registration that records the plugin as owner of every route and hook it adds.
#pragma once

#include "crow/context.hpp"

#include <memory>
#include <string>
#include <vector>

namespace crow::host {

class Router;
class RequestHooks;
class DataHooks;
struct AppConfig;

/// What `crow-auth plugins` prints about one plugin's registrations.
struct Registrations {
  std::vector<std::string> routes;  ///< "GET /api/v1/auth/example/hello/:name"
  std::vector<std::string> hooks;   ///< "request.before /example (priority 0)"
};

class PluginContext final : public crow::InitContext {
 public:
  PluginContext(std::string pluginId, std::shared_ptr<const crow::ConfigNode> config, const AppConfig& app,
                const crow::Settings& settings, crow::Store& store, std::unique_ptr<crow::Logger> logger,
                const crow::Clock& clock, Router& router, RequestHooks& requestHooks, DataHooks& dataHooks);

  const std::string& pluginId() const noexcept override { return pluginId_; }
  const crow::ConfigNode& config() const override { return *config_; }
  const crow::Settings& settings() const noexcept override { return settings_; }
  std::optional<std::string> secret(std::string_view name) const override;
  std::optional<crow::ServiceEndpoint> service(std::string_view name) const override;
  crow::Store& store() override { return store_; }
  crow::Logger& logger() override { return *logger_; }
  const crow::Clock& clock() const override { return clock_; }

  void route(crow::Method method, const std::string& path, crow::RouteHandler handler,
             crow::RouteOptions options) override;
  void onRequest(crow::HookPoint point, crow::RequestHook hook, crow::RequestHookOptions options) override;
  void onData(crow::HookPoint point, const std::string& table, crow::DataHook hook, int priority) override;

  const Registrations& registrations() const noexcept { return registrations_; }
  /// The plugin's logger outlives init: handlers keep using it.
  std::unique_ptr<crow::Logger> releaseLogger() { return std::move(logger_); }

 private:
  std::string pluginId_;
  std::shared_ptr<const crow::ConfigNode> config_;
  const AppConfig& app_;
  const crow::Settings& settings_;
  crow::Store& store_;
  std::unique_ptr<crow::Logger> logger_;
  const crow::Clock& clock_;
  Router& router_;
  RequestHooks& requestHooks_;
  DataHooks& dataHooks_;
  Registrations registrations_;
};

}  // namespace crow::host
