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
class ServiceDirectory;
class SessionService;
class InboundKeys;
struct AppConfig;

/// What `crow-auth plugins` prints about one plugin's registrations.
struct Registrations {
  std::vector<std::string> routes;  ///< "GET /api/v1/auth/example/hello/:name"
  std::vector<std::string> hooks;   ///< "request.before /example (priority 0)"
};

/// crow::Sessions over the core's SessionService: resolves, never refreshes or writes.
class CoreSessions final : public crow::Sessions {
 public:
  explicit CoreSessions(SessionService& sessions) : sessions_(sessions) {}
  std::optional<crow::CurrentSession> current(const crow::Request& request) override;
  crow::CurrentSession require(const crow::Request& request) override;
  void addSource(std::string name, crow::SessionSource source) override;

 private:
  SessionService& sessions_;
};

class PluginContext final : public crow::InitContext {
 public:
  PluginContext(std::string pluginId, std::shared_ptr<const crow::ConfigNode> config, const AppConfig& app,
                const crow::Settings& settings, crow::Store& store, std::unique_ptr<crow::Logger> logger,
                const crow::Clock& clock, Router& router, RequestHooks& requestHooks, DataHooks& dataHooks,
                const ServiceDirectory* services = nullptr, crow::Outbox* outbox = nullptr);

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
  /// nullptr also when the context was built without a ServiceDirectory (tests).
  crow::ServiceClient* serviceClient(std::string_view name) override;
  /// Throws std::logic_error when the context was built without an outbox (tests); App always
  /// passes one.
  crow::Outbox& outbox() override;
  /// Over AppConfig::inboundKeys, as SHA-256 digests computed when the context is built.
  std::optional<std::string> inboundCaller(std::string_view presentedKey) const override;
  /// Throws std::logic_error until setSessions() gave it the core's sessions (App always does).
  crow::Sessions& sessions() override;
  /// The core's session resolver, adapted (CoreSessions); host-owned, outlives the context.
  void setSessions(crow::Sessions* sessions) noexcept { sessions_ = sessions; }
  /// nullptr until setTokenSigner() (App sets the JWT core's, unless auth.jwt is off).
  crow::TokenSigner* tokenSigner() override { return tokenSigner_; }
  void setTokenSigner(crow::TokenSigner* signer) noexcept { tokenSigner_ = signer; }

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
  const ServiceDirectory* services_;
  crow::Outbox* outbox_;
  std::shared_ptr<const InboundKeys> inboundKeys_;
  crow::Sessions* sessions_ = nullptr;
  crow::TokenSigner* tokenSigner_ = nullptr;
  Registrations registrations_;
};

}  // namespace crow::host
