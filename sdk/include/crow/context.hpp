// crow/context.hpp - what the host hands a plugin at start-up.
//
// The context is the only way in: no globals, no host internals. Keep references it returns for
// the life of the process (the host outlives every plugin).
#pragma once

#include "crow/config.hpp"
#include "crow/hooks.hpp"
#include "crow/http.hpp"
#include "crow/log.hpp"
#include "crow/store.hpp"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace crow {

/// Handles one route. Throw ApiError for client errors; anything else becomes a 500.
using RouteHandler = std::function<void(Request&, Response&)>;

struct RouteOptions {
  /// false mounts the path at the server root ("/health") instead of under the base path.
  bool underBasePath = true;
  /// One line for `crow-auth plugins` and logs.
  std::string summary;
};

/// The service-wide settings from YAML.
struct Settings {
  std::string baseURL;       ///< "https://api.example.com" (BETTER_AUTH_URL)
  std::string basePath;      ///< "/api/v1/auth"
  std::string environment;   ///< "local", "dev" or "prod"
  std::vector<std::string> trustedOrigins;
};

/// Another service crow-auth calls, with the key it presents (`X-Service-API-Key`).
struct ServiceEndpoint {
  std::string name;   ///< "notification", "user", ...
  std::string url;
  std::string apiKey; ///< never log it
};

/// The current time; tests replace it.
class Clock {
 public:
  virtual ~Clock();
  virtual Timestamp now() const noexcept = 0;
};

class InitContext {
 public:
  virtual ~InitContext();

  virtual const std::string& pluginId() const noexcept = 0;
  /// This plugin's `config:` block (an empty mapping when it has none).
  virtual const ConfigNode& config() const = 0;
  virtual const Settings& settings() const noexcept = 0;
  /// A secret by its environment name (BETTER_AUTH_SECRET, GOOGLE_CLIENT_SECRET, ...), if set.
  virtual std::optional<std::string> secret(std::string_view name) const = 0;
  /// An outbound service from the `services:` block, if configured.
  virtual std::optional<ServiceEndpoint> service(std::string_view name) const = 0;

  /// The data API; its writes fire the data hooks.
  virtual Store& store() = 0;
  virtual Logger& logger() = 0;
  virtual const Clock& clock() const = 0;

  /// Registers a route. Paths may hold parameters (":id"). A method and path that another plugin
  /// registered already stops start-up.
  virtual void route(Method method, const std::string& path, RouteHandler handler,
                     RouteOptions options = {}) = 0;
  /// Registers a request hook at RequestBefore or RequestAfter.
  virtual void onRequest(HookPoint point, RequestHook hook, RequestHookOptions options = {}) = 0;
  /// Registers a data hook for one table at one of the Create/Update/Delete points.
  virtual void onData(HookPoint point, const std::string& table, DataHook hook, int priority = 0) = 0;
};

}  // namespace crow
