// config/app_config.hpp - crow-auth's YAML configuration, loaded and validated.
//
// loadConfig() reads the file, expands `${VAR}` / `${VAR:-default}` from the environment, checks
// every key, type and range, applies the secret policy of the chosen environment, and returns plain
// structs. Any problem stops start-up with one line, "<file>:<line>: <key.path>: <message>".
#pragma once

#include "config/env_substitution.hpp"
#include "crow/config.hpp"
#include "crow/context.hpp"
#include "services/service_target.hpp"

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace crow::host {

/// Better Auth's own development default; refused in prod, used (with a warning) elsewhere.
inline constexpr std::string_view kDevelopmentSecret = "better-auth-secret-12345678901234567890";
/// The shortest secret prod accepts (Better Auth warns below this).
inline constexpr size_t kMinimumSecretLength = 32;

struct ServerConfig {
  std::string host = "127.0.0.1";
  int port = 8787;               ///< 0 picks a free port (tests)
  int workers = 0;   ///< event workers; 0 = two per core
  int threads = 64;  ///< threads at most, counting workers added while others are blocked
  int maxQueued = 256;  ///< open connections at most: threads + maxQueued
  int64_t maxBodyBytes = 1048576;
  /// Peers (IPs or CIDRs) whose X-Forwarded-For is believed.
  std::vector<std::string> trustedProxies;
  bool keepAlive = true;
  int shutdownGraceMs = 10000;
};

struct DatabaseConfig {
  /// "sqlite", "postgresql" or "mysql"; derived from the url's scheme when not given.
  std::string backend;
  /// sqlite:///abs/path, sqlite://relative/path (to the working directory), sqlite://:memory:,
  /// postgresql://user:pass@host:port/db (postgres:// too), mysql://user:pass@host:port/db.
  std::string url;
  /// Connections per process. 0 (the default) picks per backend: SQLite one reader per server
  /// thread (readers are cheap, open on demand, and a request thread never waits for one);
  /// client-server databases 8, since their connections cost the server memory.
  int poolSize = 0;
  int busyTimeoutMs = 5000;
};

/// One entry of the ordered `plugins:` list.
struct PluginSpec {
  std::string id;    ///< set when the entry names a plugin by id
  std::string path;  ///< set when it names a library file (made absolute against the config's directory)
  bool enabled = true;
  /// The entry's `config:` block; never null (an empty mapping when absent). Errors it raises read
  /// "<file>:<line>: plugins[<i>].config.<key>: <message>".
  std::shared_ptr<const crow::ConfigNode> config;
  /// "file:line" of the entry, for error messages.
  std::string location;
};

struct LoggingConfig {
  std::string level = "info";  ///< debug, info, warn, error
  bool accessLog = true;
};

/// The `outbox:` block: how the delivery worker paces itself (outbox/outbox.hpp says what each
/// does). Durations in milliseconds, like the other *Ms keys.
struct OutboxConfig {
  int pollIntervalMs = 200;      ///< a pass starts this often when nothing wakes the worker
  int requestTimeoutMs = 5000;   ///< per delivery (connect, send, answer)
  int maxAttempts = 12;          ///< then the message is parked as dead
  int initialBackoffMs = 500;    ///< delay after the first failure, doubled per attempt (with jitter)
  int maxBackoffMs = 300000;     ///< the longest delay between attempts
  int leaseMs = 30000;           ///< a claimed message is retried by anyone after this; > requestTimeoutMs
  int batchSize = 32;            ///< due messages read per query
  int deliveryLanes = 4;         ///< messages in flight at once (an aggregate stays in one lane)
};

/// A key another service presents to us in X-Service-API-Key.
struct InboundKey {
  std::string caller;  ///< "gateway", "web-ingest", ...
  std::string key;     ///< never log it
};

/// An OAuth provider under Better Auth's `socialProviders:` (only configured ones are listed).
struct SocialProviderConfig {
  std::string clientId;
  std::string clientSecret;  ///< never log it
  std::string redirectURI;   ///< empty: Better Auth's default, <baseURL><basePath>/callback/<provider>
};

struct AppConfig {
  std::string sourceFile;
  ServerConfig server;
  std::string baseURL;  ///< absolute http(s) URL, no trailing slash (BETTER_AUTH_URL)
  std::string basePath = "/api/v1/auth";
  /// From `trustedOrigins` (a list, or a comma-separated string such as TRUSTED_ORIGINS), plus the
  /// origins of urls.authClient and urls.dashboard; no trailing slashes, no duplicates. The origin
  /// of baseURL is not added here (the server trusts it anyway, as Better Auth does).
  std::vector<std::string> trustedOrigins;
  std::string environment = "local";  ///< local, dev or prod
  /// BETTER_AUTH_SECRET; Better Auth's development default outside prod when unset.
  std::string secret;
  DatabaseConfig database;
  std::vector<PluginSpec> plugins;  ///< in file order, disabled ones included
  /// Outbound services with a url: user, organization, billing, notification, product. Their keys
  /// stay in the host (plugins see ServiceEndpoint, without the key).
  std::map<std::string, ServiceTarget> services;
  /// Keys accepted from callers (gateway, web-ingest, ...); several per caller allow rotation.
  std::vector<InboundKey> inboundKeys;
  /// authClient, dashboard (only the ones set).
  std::map<std::string, std::string> urls;
  /// google (only when its clientId is set).
  std::map<std::string, SocialProviderConfig> socialProviders;
  /// Every secret by its environment name, for InitContext::secret(): BETTER_AUTH_SECRET,
  /// GOOGLE_CLIENT_ID, GOOGLE_CLIENT_SECRET, SERVICE_API_KEY_<SERVICE or CALLER> and any from the
  /// `secrets:` block. Only set values.
  std::map<std::string, std::string> secrets;
  LoggingConfig logging;
  OutboxConfig outbox;
  /// Extra plugin directories, searched before the default ones (absolute).
  std::vector<std::string> pluginPaths;
  /// Non-fatal findings to print at start, each "<file>:<line>: <key>: <message>".
  std::vector<std::string> warnings;

  /// The `auth:` block (sessions, email and password, JWT), validated by the auth core; never
  /// null (an empty mapping when absent).
  std::shared_ptr<const crow::ConfigNode> auth;

  /// The part plugins see through InitContext::settings().
  crow::Settings settings() const { return {baseURL, basePath, environment, trustedOrigins}; }
};

/// Reads and validates the file. Throws crow::ConfigError with one line:
///   "<file>: cannot read: No such file or directory"
///   "<file>:<line>:<col>: invalid YAML: <reason>"
///   "<file>:<line>: <key.path>: <message>"     (unknown key, wrong type, range, missing value, ...)
AppConfig loadConfig(const std::string& path, const Getenv& getenv = processEnvironment);

/// The same for text already in memory; `sourceName` stands for the file name in messages and
/// relative plugin paths are taken from its directory.
AppConfig loadConfigFromString(const std::string& yaml, const std::string& sourceName,
                               const Getenv& getenv = processEnvironment);

}  // namespace crow::host
