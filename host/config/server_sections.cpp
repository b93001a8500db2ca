// The `server:`, `database:` and `logging:` blocks.
#include "config/config_sections.hpp"
#include "config/suggest.hpp"
#include "config/url_rules.hpp"

#include <algorithm>

namespace crow::host::sections {

void readServer(const YamlConfigNode& root, LoadContext& context) {
  ServerConfig& server = context.config.server;
  auto node = root.childNode("server");
  if (!node) return;
  node->allowOnly({"host", "port", "workers", "threads", "maxQueued", "maxBodyBytes", "trustedProxies", "keepAlive",
                   "shutdownGraceMs"});
  server.host = node->getString("host", server.host);
  if (server.host.empty()) node->fail("host", "must not be empty");
  server.port = static_cast<int>(readIntInRange(*node, "port", 0, 65535, server.port));
  server.workers = static_cast<int>(readIntInRange(*node, "workers", 0, 256, server.workers));
  server.threads = static_cast<int>(readIntInRange(*node, "threads", 1, 1024, server.threads));
  server.maxQueued = static_cast<int>(readIntInRange(*node, "maxQueued", 1, 1000000, server.maxQueued));
  if (auto bytes = node->getByteSize("maxBodyBytes")) {
    if (*bytes <= 0 || *bytes > (int64_t{1} << 30))
      node->fail("maxBodyBytes", "must be between 1 and 1073741824 (1GiB), got " + std::to_string(*bytes));
    server.maxBodyBytes = *bytes;
  }
  if (auto proxies = node->getStringList("trustedProxies")) {
    for (const auto& proxy : *proxies)
      if (!isAddressOrCidr(proxy))
        node->fail("trustedProxies", "expected IP addresses or CIDR ranges (10.0.0.0/8, ::1), got \"" + proxy + "\"");
    server.trustedProxies = *proxies;
  }
  server.keepAlive = node->getBool("keepAlive", server.keepAlive);
  server.shutdownGraceMs =
      static_cast<int>(readIntInRange(*node, "shutdownGraceMs", 0, 600000, server.shutdownGraceMs));
}

namespace {
constexpr const char* kDefaultDatabaseUrl = "sqlite://var/crow-auth.db";
const std::vector<std::string_view> kBackends = {"sqlite", "postgresql", "mysql"};
}  // namespace

void readDatabase(const YamlConfigNode& root, LoadContext& context) {
  DatabaseConfig& database = context.config.database;
  database.url = kDefaultDatabaseUrl;
  auto node = root.childNode("database");
  if (node) {
    node->allowOnly({"backend", "url", "poolSize", "busyTimeoutMs"});
    database.url = node->getString("url", database.url);
    database.poolSize = static_cast<int>(readIntInRange(*node, "poolSize", 1, 1000, database.poolSize));
    database.busyTimeoutMs =
        static_cast<int>(readIntInRange(*node, "busyTimeoutMs", 0, 600000, database.busyTimeoutMs));
  }

  auto fromUrl = databaseBackendForUrl(database.url);
  if (!fromUrl) {
    // Only the scheme is quoted: the rest of a database URL may hold a password.
    std::string scheme = urlScheme(database.url);
    node->fail(
        "url", (scheme.empty() ? std::string("has no scheme") : "has an unsupported scheme \"" + scheme + "://\"") +
                   "; expected sqlite:///path, postgresql://... or mysql://... (DATABASE_URL)");
  }
  database.backend = *fromUrl;
  if (node) {
    if (auto backend = node->getString("backend")) {
      std::string given = *backend == "postgres" ? "postgresql" : *backend;
      if (std::find(kBackends.begin(), kBackends.end(), given) == kBackends.end())
        node->fail("backend", "expected sqlite, postgresql or mysql, got \"" + *backend + "\"" +
                                  didYouMean(*backend, kBackends));
      if (given != *fromUrl)
        node->fail("backend", "is \"" + given + "\" but database.url is a " + *fromUrl + " URL");
    }
  }
  if (database.backend == "sqlite") {
    if (sqliteFilePath(database.url).empty())
      node->fail("url", "names no file; write sqlite:///absolute/path or sqlite://relative/path");
    if (context.prod())
      context.warn(node ? *node : root, node ? "url" : "database",
                   "SQLite in environment prod: only one instance can use it (set DATABASE_URL to PostgreSQL "
                   "or MySQL to scale out)");
  }
}

void readLogging(const YamlConfigNode& root, LoadContext& context) {
  LoggingConfig& logging = context.config.logging;
  auto node = root.childNode("logging");
  if (!node) return;
  node->allowOnly({"level", "accessLog"});
  static const std::vector<std::string_view> levels = {"debug", "info", "warn", "error"};
  std::string level = node->getString("level", logging.level);
  if (std::find(levels.begin(), levels.end(), level) == levels.end())
    node->fail("level", "expected debug, info, warn or error, got \"" + level + "\"" + didYouMean(level, levels));
  logging.level = level;
  logging.accessLog = node->getBool("accessLog", logging.accessLog);
}

}  // namespace crow::host::sections
