#include "app/plugin_context.hpp"

#include "auth/session_service.hpp"

#include "config/app_config.hpp"
#include "crow/error.hpp"
#include "data/data_hooks.hpp"
#include "server/request_hooks.hpp"
#include "server/router.hpp"
#include "services/inbound_keys.hpp"
#include "services/service_directory.hpp"

#include <stdexcept>

namespace crow::host {

namespace {

// Joins the base path and a plugin's route path without doubling or dropping the slash.
std::string mountPath(const crow::Settings& settings, const std::string& path, bool underBasePath) {
  std::string rel = path.empty() || path[0] != '/' ? "/" + path : path;
  return underBasePath ? settings.basePath + rel : rel;
}

}  // namespace

PluginContext::PluginContext(std::string pluginId, std::shared_ptr<const crow::ConfigNode> config,
                             const AppConfig& app, const crow::Settings& settings, crow::Store& store,
                             std::unique_ptr<crow::Logger> logger, const crow::Clock& clock, Router& router,
                             RequestHooks& requestHooks, DataHooks& dataHooks, const ServiceDirectory* services,
                             crow::Outbox* outbox)
    : pluginId_(std::move(pluginId)),
      config_(std::move(config)),
      app_(app),
      settings_(settings),
      store_(store),
      logger_(std::move(logger)),
      clock_(clock),
      router_(router),
      requestHooks_(requestHooks),
      dataHooks_(dataHooks),
      services_(services),
      outbox_(outbox),
      inboundKeys_(std::make_shared<const InboundKeys>(app.inboundKeys)) {}

std::optional<std::string> PluginContext::secret(std::string_view name) const {
  auto it = app_.secrets.find(std::string(name));
  if (it == app_.secrets.end() || it->second.empty()) return std::nullopt;
  return it->second;
}

std::optional<crow::ServiceEndpoint> PluginContext::service(std::string_view name) const {
  auto it = app_.services.find(std::string(name));
  if (it == app_.services.end() || it->second.url.empty()) return std::nullopt;
  return it->second.endpoint();
}

crow::ServiceClient* PluginContext::serviceClient(std::string_view name) {
  return services_ ? services_->find(name) : nullptr;
}

crow::Outbox& PluginContext::outbox() {
  if (!outbox_) throw std::logic_error("plugin " + pluginId_ + ": this context has no outbox");
  return *outbox_;
}

std::optional<std::string> PluginContext::inboundCaller(std::string_view presentedKey) const {
  return inboundKeys_->callerFor(presentedKey);
}

crow::Sessions& PluginContext::sessions() {
  if (!sessions_) throw std::logic_error("plugin " + pluginId_ + ": this context has no sessions");
  return *sessions_;
}

std::optional<crow::CurrentSession> CoreSessions::current(const crow::Request& request) {
  SessionLookup lookup = sessions_.resolve(request);
  if (!lookup.found) return std::nullopt;
  return crow::CurrentSession{std::move(lookup.found->session), std::move(lookup.found->user)};
}

crow::CurrentSession CoreSessions::require(const crow::Request& request) {
  SessionWithUser found = sessions_.require(request);
  return crow::CurrentSession{std::move(found.session), std::move(found.user)};
}

void CoreSessions::addSource(std::string name, crow::SessionSource source) {
  sessions_.addSource(std::move(name), std::move(source));
}

void PluginContext::route(crow::Method method, const std::string& path, crow::RouteHandler handler,
                          crow::RouteOptions options) {
  const std::string full = mountPath(settings_, path, options.underBasePath);
  router_.add(method, full, std::move(handler), pluginId_, options);
  registrations_.routes.push_back(std::string(crow::methodName(method)) + " " + full);
}

void PluginContext::onRequest(crow::HookPoint point, crow::RequestHook hook, crow::RequestHookOptions options) {
  if (point != crow::HookPoint::RequestBefore && point != crow::HookPoint::RequestAfter)
    throw crow::ConfigError("plugin " + pluginId_ + ": onRequest takes request.before or request.after, not " +
                            std::string(crow::hookPointName(point)));
  registrations_.hooks.push_back(std::string(crow::hookPointName(point)) + " " +
                                 (options.pathPrefix.empty() ? "*" : options.pathPrefix + "*") + " (priority " +
                                 std::to_string(options.priority) + ")");
  requestHooks_.add(point, std::move(hook), std::move(options), pluginId_);
}

void PluginContext::onData(crow::HookPoint point, const std::string& table, crow::DataHook hook, int priority) {
  if (point == crow::HookPoint::RequestBefore || point == crow::HookPoint::RequestAfter)
    throw crow::ConfigError("plugin " + pluginId_ + ": onData takes a create/update/delete hook point, not " +
                            std::string(crow::hookPointName(point)));
  registrations_.hooks.push_back(std::string(crow::hookPointName(point)) + " " + table + " (priority " +
                                 std::to_string(priority) + ")");
  dataHooks_.add(point, table, std::move(hook), priority, pluginId_);
}

}  // namespace crow::host
