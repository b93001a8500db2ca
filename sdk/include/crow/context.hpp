// crow/context.hpp - what the host hands a plugin at start-up.
//
// The context is the only way in: no globals, no host internals. Keep references it returns for
// the life of the process (the host outlives every plugin).
#pragma once

#include "crow/config.hpp"
#include "crow/hooks.hpp"
#include "crow/http.hpp"
#include "crow/log.hpp"
#include "crow/services.hpp"
#include "crow/sessions.hpp"
#include "crow/store.hpp"
#include "crow/tokens.hpp"

#include <functional>
#include <optional>
#include <string>
#include <string_view>
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

/// Another service crow-auth calls. Its key stays with the host: call the service through
/// InitContext::serviceClient() or the outbox, which present it as `X-Service-API-Key`.
struct ServiceEndpoint {
  std::string name;  ///< "notification", "user", ...
  std::string url;
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

  /// A client for a service of the `services:` block that has a url, or nullptr. The host owns
  /// it (keep the pointer for the life of the process); it presents the service's key itself.
  virtual ServiceClient* serviceClient(std::string_view name) = 0;
  /// The durable outbox (DESIGN.md "Outbox"), shared by every plugin; host-owned.
  virtual Outbox& outbox() = 0;

  /// The caller name ("gateway", ...) whose configured inbound key (top-level inboundKeys:) equals
  /// presentedKey, compared in constant time over every configured key; nullopt when none matches
  /// or presentedKey is empty. The keys themselves never reach a plugin. The host keeps the context
  /// for the life of the process, so request hooks may call this.
  virtual std::optional<std::string> inboundCaller(std::string_view presentedKey) const = 0;

  /// Who is calling: the session a request carries, resolved by the core (cookie or bearer).
  /// Host-owned and kept for the life of the process, so route handlers may call it.
  virtual Sessions& sessions() = 0;

  /// Signs JWTs with the keys /jwks publishes; nullptr when the core's JWT is off
  /// (auth.jwt.enabled: false). Host-owned, kept for the life of the process.
  virtual TokenSigner* tokenSigner() = 0;
};

}  // namespace crow
