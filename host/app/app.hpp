// The start-up sequence of crow-auth, shared by every verb: config -> backend and plugin
// libraries -> merged schema -> database -> migrations -> plugin init -> server.
//
// Each phase throws (ConfigError, LoadError, DatabaseError, ...) with a one-line message; main()
// prints it as `crow-auth: <message>` and exits non-zero, so a bad start never half-serves.
#pragma once

#include "config/app_config.hpp"
#include "crow/backend.hpp"
#include "crow/context.hpp"
#include "crow/plugin.hpp"

#include <memory>
#include <string>
#include <vector>

namespace crow::host {

class Router;
class RequestHooks;
class DataHooks;
class HookedStore;
struct Registrations;

/// One plugin as `crow-auth plugins` shows it.
struct PluginReport {
  std::string id, version, path;
  std::vector<std::string> dependsOn;
  std::vector<std::string> routes;
  std::vector<std::string> hooks;
};

class App {
 public:
  explicit App(AppConfig config);
  ~App();
  App(const App&) = delete;
  App& operator=(const App&) = delete;

  const AppConfig& config() const noexcept { return config_; }
  crow::Logger& logger() noexcept { return *logger_; }

  /// Resolves and loads the backend library for `dialect` (default: the configured one) and every
  /// enabled plugin, in dependency order. No plugin code runs beyond the descriptor checks and
  /// create().
  void loadLibraries(const std::string& dialect = {});
  /// Collects the core's and each plugin's tables and merges them (a conflict throws).
  void declareSchemas();
  /// The SQL a migrate would run. With `connected` false, renders the whole schema offline.
  std::vector<crow::MigrationStep> planMigrations(bool connected);
  /// Connects the backend (`urlOverride` replaces the configured URL, e.g. an in-memory database).
  void openDatabase(const std::string& urlOverride = {});
  /// Plans and applies the migrations; returns how many steps ran.
  size_t migrate();
  /// Builds the Store and calls each plugin's init in dependency order.
  void initPlugins();
  /// Each plugin with its registrations (after initPlugins).
  std::vector<PluginReport> pluginReports() const;
  /// The Store over the merged schema, without running any plugin (after openDatabase): for verbs
  /// that only look at or repair host tables, such as `crow-auth outbox`.
  crow::Store& dataStore();
  const crow::Clock& clock() const noexcept { return *clock_; }
  /// `crow-auth jwks rotate`: adds a signing key (after initPlugins); returns its id.
  std::string rotateJwks();
  /// The loaded backend's dialect ("sqlite", "postgresql").
  std::string dialect() const;
  /// Serves until SIGTERM/SIGINT, then drains and shuts plugins down. Returns the exit code.
  int serve();

 private:
  struct Loaded;
  void initCore();
  AppConfig config_;
  std::unique_ptr<crow::Logger> logger_;
  std::unique_ptr<crow::Clock> clock_;
  crow::Settings settings_;
  std::unique_ptr<Loaded> loaded_;
};

/// Blocks SIGTERM, SIGINT and SIGHUP in the calling thread (and every thread it starts after), so
/// serve() can wait for them synchronously. Call first thing in main().
void blockTerminationSignals();

}  // namespace crow::host
