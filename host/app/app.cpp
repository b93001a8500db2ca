#include "app/app.hpp"

#include "app/plugin_context.hpp"
#include "app/system_clock.hpp"
#include "auth/core_auth.hpp"
#include "auth/core_schema.hpp"
#include "auth/row_json.hpp"
#include "config/url_rules.hpp"
#include "jwt/jwt_core.hpp"
#include "outbox/outbox.hpp"
#include "outbox/plugin_outbox.hpp"
#include "data/data_hooks.hpp"
#include "data/hooked_store.hpp"
#include "data/migrator.hpp"
#include "data/schema_registry.hpp"
#include "plugins/dependency_order.hpp"
#include "plugins/library_loader.hpp"
#include "plugins/plugin_resolver.hpp"
#include "server/http_server.hpp"
#include "server/request_hooks.hpp"
#include "server/router.hpp"
#include "services/service_directory.hpp"
#include "util/logger.hpp"

#include "crow/error.hpp"

#include <csignal>
#include <filesystem>
#include <iostream>

namespace crow::host {

// The libraries and services that exist once start-up has gone far enough.
struct App::Loaded {
  LoadedLibrary backendLibrary;
  crow::Backend* backend = nullptr;
  std::vector<LoadedLibrary> plugins;  // in initialisation order
  std::vector<const PluginSpec*> specs;  // the YAML entry of each plugin, parallel to plugins
  SchemaRegistry schema;
  std::vector<crow::TableDecl> tables;
  bool databaseOpen = false;
  std::shared_ptr<crow::Store> rawStore;
  DataHooks dataHooks;
  std::unique_ptr<HookedStore> store;
  Router router;
  RequestHooks requestHooks;
  std::vector<std::unique_ptr<crow::Logger>> pluginLoggers;
  std::vector<Registrations> registrations;  // parallel to plugins
  std::shared_ptr<const SchemaCatalog> catalog;
  std::unique_ptr<CoreAuth> coreAuth;
  std::unique_ptr<JwtCore> jwt;
  std::unique_ptr<crow::Logger> coreLogger;
  Registrations coreRegistrations;
  std::unique_ptr<OutboxWorker> outbox;
  std::unique_ptr<ServiceDirectory> serviceClients;  // InitContext::serviceClient
  std::unique_ptr<PluginOutbox> pluginOutbox;        // InitContext::outbox
  std::unique_ptr<CoreSessions> sessions;            // InitContext::sessions
  // InitContext promises plugins their context for the life of the process (service-auth and
  // organization call inboundCaller() from request threads), so each plugin's context, and the
  // logger it owns, lives as long as the plugins.
  std::vector<std::unique_ptr<PluginContext>> pluginContexts;
};

namespace {

crow::LogLevel parseLevel(const std::string& level) {
  if (level == "debug") return crow::LogLevel::Debug;
  if (level == "warn") return crow::LogLevel::Warn;
  if (level == "error") return crow::LogLevel::Error;
  return crow::LogLevel::Info;
}

// The database URL with any password replaced, for start-up messages.
std::string redactUrl(const std::string& url) {
  auto scheme = url.find("://");
  auto at = url.find('@');
  if (scheme == std::string::npos || at == std::string::npos || at < scheme) return url;
  auto colon = url.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon + 1) + "***" + url.substr(at);
}

// What start-up prints for the database: the absolute file for SQLite (operators look for it),
// the URL without its password otherwise.
std::string describeDatabase(const DatabaseConfig& database) {
  if (database.backend == "sqlite") {
    const std::string file = sqliteFilePath(database.url);
    if (!file.empty() && file != ":memory:")
      return "sqlite " + std::filesystem::absolute(file).lexically_normal().string();
  }
  return database.backend + " " + redactUrl(database.url);
}

OutboxOptions outboxOptions(const OutboxConfig& config) {
  using std::chrono::milliseconds;
  OutboxOptions options;
  options.pollInterval = milliseconds(config.pollIntervalMs);
  options.requestTimeout = milliseconds(config.requestTimeoutMs);
  options.maxAttempts = config.maxAttempts;
  options.initialBackoff = milliseconds(config.initialBackoffMs);
  options.maxBackoff = milliseconds(config.maxBackoffMs);
  options.lease = milliseconds(config.leaseMs);
  options.batchSize = config.batchSize;
  options.deliveryLanes = config.deliveryLanes;
  return options;
}

}  // namespace

App::App(AppConfig config)
    : config_(std::move(config)),
      logger_(std::make_unique<StderrLogger>("crow-auth", parseLevel(config_.logging.level))),
      clock_(std::make_unique<SystemClock>()),
      loaded_(std::make_unique<Loaded>()) {
  settings_ = config_.settings();
}

App::~App() = default;

void App::loadLibraries(const std::string& dialect) {
  const std::string backendName = dialect.empty() ? config_.database.backend : dialect;
  const std::string backendFile =
      resolveBackendFile(backendName, backendSearchDirs(), config_.sourceFile + ": database.backend");
  loaded_->backendLibrary = loadLibrary(backendFile, CROW_KIND_BACKEND);
  loaded_->backend = loaded_->backendLibrary.backend();

  const auto dirs = pluginSearchDirs(config_.pluginPaths);
  std::vector<LoadedLibrary> libraries;
  std::vector<const PluginSpec*> specs;
  for (size_t i = 0; i < config_.plugins.size(); ++i) {
    const PluginSpec& spec = config_.plugins[i];
    if (!spec.enabled) continue;
    specs.push_back(&spec);
    // The config already made `path` absolute; the location names the YAML entry for messages.
    PluginSpecRef ref{spec.id, spec.path, spec.location + ": plugins[" + std::to_string(i) + "]", {}};
    libraries.push_back(loadLibrary(resolvePluginFile(ref, dirs), CROW_KIND_PLUGIN));
    if (!spec.id.empty() && libraries.back().id != spec.id)
      throw crow::ConfigError(ref.location + ".id: file " + libraries.back().path + " holds plugin '" +
                              libraries.back().id + "', not '" + spec.id + "'");
  }
  for (size_t index : orderByDependencies(libraries, {"core"})) {
    loaded_->plugins.push_back(libraries[index]);
    loaded_->specs.push_back(specs[index]);
  }
}

void App::declareSchemas() {
  crow::SchemaBuilder core;
  declareCoreSchema(core);
  declareOutboxSchema(core);
  JwtCore::declareSchema(core);
  loaded_->schema.add("core", core.tables());
  for (const auto& lib : loaded_->plugins) {
    crow::SchemaBuilder builder;
    try {
      lib.plugin()->declareSchema(builder);
    } catch (const std::exception& e) {
      throw crow::ConfigError("plugin " + lib.id + ": declareSchema failed: " + e.what());
    }
    loaded_->schema.add(lib.id, builder.tables());
  }
  loaded_->tables = loaded_->schema.merged();
}

void App::openDatabase(const std::string& urlOverride) {
  crow::BackendOptions options;
  options.url = urlOverride.empty() ? config_.database.url : urlOverride;
  options.poolSize = config_.database.poolSize;
  if (options.poolSize <= 0) options.poolSize = loaded_->backend->dialect() == "sqlite" ? config_.server.threads : 8;
  options.busyTimeoutMs = config_.database.busyTimeoutMs;
  options.logger = logger_.get();
  loaded_->backend->open(options);
  loaded_->databaseOpen = true;
}

std::vector<crow::MigrationStep> App::planMigrations(bool connected) {
  if (connected && !loaded_->databaseOpen) openDatabase();
  return crow::host::planMigrations(*loaded_->backend, loaded_->tables);
}

size_t App::migrate() {
  auto steps = planMigrations(true);
  if (!steps.empty()) {
    applyMigrations(*loaded_->backend, steps);
    logger_->info("migrations applied", {{"steps", std::to_string(steps.size())}});
  }
  return steps.size();
}

void App::initPlugins() {
  if (!loaded_->rawStore) loaded_->rawStore = loaded_->backend->store(loaded_->tables);
  loaded_->store = std::make_unique<HookedStore>(loaded_->rawStore, loaded_->dataHooks, *logger_);
  loaded_->catalog = std::make_shared<const SchemaCatalog>(loaded_->tables);
  loaded_->serviceClients = std::make_unique<ServiceDirectory>(config_.services);
  loaded_->pluginOutbox = std::make_unique<PluginOutbox>(*clock_);
  initCore();
  for (size_t i = 0; i < loaded_->plugins.size(); ++i) {
    const auto& lib = loaded_->plugins[i];
    const auto& node = loaded_->specs[i]->config;
    auto& context = *loaded_->pluginContexts.emplace_back(std::make_unique<PluginContext>(
        lib.id, node, config_, settings_, *loaded_->store,
        std::make_unique<StderrLogger>(lib.id, parseLevel(config_.logging.level)), *clock_, loaded_->router,
        loaded_->requestHooks, loaded_->dataHooks, loaded_->serviceClients.get(), loaded_->pluginOutbox.get()));
    context.setSessions(loaded_->sessions.get());
    context.setTokenSigner(loaded_->jwt->tokenSigner());
    try {
      lib.plugin()->init(context);
    } catch (const crow::ConfigError& e) {
      throw crow::ConfigError("plugin " + lib.id + ": " + e.what());
    } catch (const std::exception& e) {
      throw crow::ConfigError("plugin " + lib.id + ": init failed: " + e.what());
    } catch (...) {
      throw crow::ConfigError("plugin " + lib.id + ": init failed with a non-standard exception");
    }
    loaded_->registrations.push_back(context.registrations());
  }
}

void App::initCore() {
  // The auth core registers like a plugin (owner "core") before any plugin, so plugins can hook
  // its routes and a plugin route can never shadow a core one.
  PluginContext context("core", config_.auth, config_, settings_, *loaded_->store,
                        std::make_unique<StderrLogger>("core", parseLevel(config_.logging.level)), *clock_,
                        loaded_->router, loaded_->requestHooks, loaded_->dataHooks, loaded_->serviceClients.get(),
                        loaded_->pluginOutbox.get());
  loaded_->coreAuth = std::make_unique<CoreAuth>(config_, loaded_->catalog);
  loaded_->coreAuth->init(context);
  // After init: the core builds its SessionService there.
  loaded_->sessions = std::make_unique<CoreSessions>(loaded_->coreAuth->sessions());
  context.setSessions(loaded_->sessions.get());
  loaded_->jwt = std::make_unique<JwtCore>(config_, loaded_->catalog, loaded_->coreAuth->sessions());
  loaded_->jwt->init(context);
  loaded_->coreRegistrations = context.registrations();
  loaded_->coreLogger = context.releaseLogger();
}

crow::Store& App::dataStore() {
  if (!loaded_->rawStore) loaded_->rawStore = loaded_->backend->store(loaded_->tables);
  return *loaded_->rawStore;
}

std::string App::rotateJwks() { return loaded_->jwt->rotate(); }

std::string App::dialect() const { return loaded_->backend ? loaded_->backend->dialect() : std::string(); }

std::vector<PluginReport> App::pluginReports() const {
  std::vector<PluginReport> out;
  if (loaded_->coreAuth)
    out.push_back(PluginReport{"core", CROW_VERSION_STRING, "(built in)", {}, loaded_->coreRegistrations.routes,
                               loaded_->coreRegistrations.hooks});
  for (size_t i = 0; i < loaded_->plugins.size(); ++i) {
    const auto& lib = loaded_->plugins[i];
    PluginReport r{lib.id, lib.version, lib.path, lib.dependsOn, {}, {}};
    if (i < loaded_->registrations.size()) {
      r.routes = loaded_->registrations[i].routes;
      r.hooks = loaded_->registrations[i].hooks;
    }
    out.push_back(std::move(r));
  }
  return out;
}

void blockTerminationSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

int App::serve() {
  ServerOptions options;
  options.host = config_.server.host;
  options.port = config_.server.port;
  options.workers = config_.server.workers;
  options.threads = config_.server.threads;
  options.maxQueued = config_.server.maxQueued;
  options.maxBodyBytes = static_cast<size_t>(config_.server.maxBodyBytes);
  options.keepAlive = config_.server.keepAlive;
  options.trustedProxies = config_.server.trustedProxies;
  options.basePath = config_.basePath;
  options.shutdownGraceMs = config_.server.shutdownGraceMs;
  options.accessLog = config_.logging.accessLog;

  crow::Store* store = loaded_->store.get();
  HttpServer server(options, loaded_->router, loaded_->requestHooks, *logger_,
                    [store]() { return store->ping(); });
  loaded_->outbox =
      std::make_unique<OutboxWorker>(*loaded_->store, *clock_, config_.services, *logger_, outboxOptions(config_.outbox));
  loaded_->outbox->start();
  server.start();

  std::cout << "crow-auth " << CROW_VERSION_STRING << " listening on http://" << options.host << ":" << server.port()
            << " (base path " << config_.basePath << ")\n"
            << "  config:   " << std::filesystem::absolute(config_.sourceFile).string() << "\n"
            << "  database: " << describeDatabase(config_.database) << "\n"
            << "  plugins:  " << loaded_->plugins.size() << " loaded\n"
            << std::flush;

  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGHUP);
  int signal = 0;
  while (sigwait(&set, &signal) == 0 && signal == SIGHUP) {
    logger_->info("SIGHUP ignored: restart the process to change config or plugins");
  }
  logger_->info("stopping", {{"signal", signal == SIGTERM ? "SIGTERM" : "SIGINT"}});
  server.stop();
  loaded_->outbox->stop();
  loaded_->coreAuth->shutdown();
  for (auto it = loaded_->plugins.rbegin(); it != loaded_->plugins.rend(); ++it) it->plugin()->shutdown();
  logger_->info("stopped");
  return 0;
}

}  // namespace crow::host
