#include "config/app_config.hpp"

#include "config/config_sections.hpp"
#include "config/suggest.hpp"
#include "config/url_rules.hpp"
#include "crow/error.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

namespace crow::host {

using sections::LoadContext;

namespace {

const std::vector<std::string_view> kTopLevelKeys = {
    "server", "baseURL", "basePath", "trustedOrigins", "environment", "secret", "database", "plugins",
    "pluginPaths", "services", "inboundKeys", "urls", "socialProviders", "secrets", "logging",
    "auth", "outbox"};
const std::vector<std::string_view> kEnvironments = {"local", "dev", "prod"};

[[noreturn]] void cannotRead(const std::string& path, int error) {
  throw crow::ConfigError(path + ": cannot read: " + std::strerror(error));
}

// Reads the whole file, refusing anything larger than the YAML limit before reading it.
std::string readConfigFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) cannotRead(path, errno);
  struct stat info {};
  if (::fstat(fd, &info) != 0) {
    int error = errno;
    ::close(fd);
    cannotRead(path, error);
  }
  if (S_ISDIR(info.st_mode)) {
    ::close(fd);
    cannotRead(path, EISDIR);
  }
  const size_t limit = YamlLimits{}.maxBytes;
  if (S_ISREG(info.st_mode) && static_cast<size_t>(info.st_size) > limit) {
    ::close(fd);
    throw crow::ConfigError(path + ": file is too large (" + std::to_string(info.st_size) +
                            " bytes; the limit is " + std::to_string(limit) + ")");
  }
  std::string text;
  char buffer[65536];
  for (;;) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0) {
      if (errno == EINTR) continue;
      int error = errno;
      ::close(fd);
      cannotRead(path, error);
    }
    if (n == 0) break;
    text.append(buffer, static_cast<size_t>(n));
    if (text.size() > limit) break;  // a pipe or device: parseYamlDocument reports the size
  }
  ::close(fd);
  return text;
}

void readEnvironment(const YamlConfigNode& root, AppConfig& config) {
  std::string environment = root.getString("environment", "local");
  if (std::find(kEnvironments.begin(), kEnvironments.end(), environment) != kEnvironments.end()) {
    config.environment = environment;
    return;
  }
  std::string hint = environment == "production" ? std::string(" (did you mean \"prod\"?)")
                     : environment == "development" ? std::string(" (did you mean \"dev\"?)")
                                                    : didYouMean(environment, kEnvironments);
  const YamlValue* raw = root.value("environment");
  std::string from = raw && raw->expanded ? " (from " + raw->raw + ")" : "";
  root.fail("environment", "expected local, dev or prod, got \"" + environment + "\"" + from + hint);
}

void readBasePath(const YamlConfigNode& root, AppConfig& config) {
  auto basePath = root.getString("basePath");
  if (!basePath) return;
  const std::string& p = *basePath;
  if (p.empty() || p[0] != '/') root.fail("basePath", "must start with \"/\", got \"" + p + "\"");
  if (p.size() > 1 && p.back() == '/') root.fail("basePath", "must not end with \"/\", got \"" + p + "\"");
  if (p == "/") root.fail("basePath", "must name a path such as \"/api/auth\", not \"/\"");
  if (p.find("//") != std::string::npos || p.find_first_of("?#% \t") != std::string::npos)
    root.fail("basePath", "must be a plain path such as \"/api/v1/auth\", got \"" + p + "\"");
  config.basePath = p;
}

void readBaseUrl(const YamlConfigNode& root, LoadContext& context) {
  AppConfig& config = context.config;
  auto baseURL = root.getString("baseURL");
  if (!baseURL) {
    if (context.prod()) root.fail("baseURL", "required in environment prod (set BETTER_AUTH_URL)");
    config.baseURL = "http://localhost:" + std::to_string(config.server.port);
    context.warn(root, "baseURL", "not set; using " + config.baseURL + " (set BETTER_AUTH_URL)");
    return;
  }
  std::string url = *baseURL;
  while (url.size() > 1 && url.back() == '/') url.pop_back();
  if (!isAbsoluteHttpUrl(url))
    root.fail("baseURL", "expected an absolute http:// or https:// URL such as https://auth.example.com, got \"" +
                             *baseURL + "\"");
  config.baseURL = url;
  if (context.prod() && urlScheme(url) != "https")
    context.warn(root, "baseURL", "is not https in environment prod; session cookies will not be Secure");
}

}  // namespace

AppConfig loadConfigFromString(const std::string& yaml, const std::string& sourceName, const Getenv& getenv) {
  auto document = parseYamlDocument(yaml, sourceName, getenv);
  const YamlValue& rootValue = *document->root;
  if (rootValue.kind == YamlValue::Kind::Null)
    throw crow::ConfigError(sourceName +
                            ":1: the configuration is empty; expected settings such as server:, database: "
                            "and plugins: (see config/crow-auth.yaml)");
  if (rootValue.kind != YamlValue::Kind::Mapping)
    throw crow::ConfigError(sourceLocation(sourceName, rootValue.line) +
                            ": expected a mapping of settings at the top level (key: value lines)");

  AppConfig config;
  config.sourceFile = sourceName;
  LoadContext context{config, std::filesystem::path(sourceName).parent_path().string()};
  YamlConfigNode root(document, document->root, "", 1);
  root.allowOnly(kTopLevelKeys);

  readEnvironment(root, config);
  sections::readServer(root, context);
  readBaseUrl(root, context);
  readBasePath(root, config);
  sections::readSecret(root, context);
  sections::readDatabase(root, context);
  sections::readLogging(root, context);
  sections::readOutbox(root, context);
  sections::readIntegrations(root, context);
  sections::readPlugins(root, context);
  // The auth core validates its own block (sessions, passwords, JWT), as a plugin does.
  config.auth = blockNode(root, "auth");
  return config;
}

AppConfig loadConfig(const std::string& path, const Getenv& getenv) {
  return loadConfigFromString(readConfigFile(path), path, getenv);
}

namespace sections {

int64_t readIntInRange(const YamlConfigNode& node, std::string_view key, int64_t min, int64_t max,
                       int64_t fallback) {
  auto value = node.getInt(key);
  if (!value) return fallback;
  if (*value < min || *value > max)
    node.fail(key, "must be between " + std::to_string(min) + " and " + std::to_string(max) + ", got " +
                       std::to_string(*value));
  return *value;
}

std::string resolvePath(const LoadContext& context, const std::string& path) {
  std::filesystem::path p(path);
  if (p.is_relative() && !context.baseDir.empty()) p = std::filesystem::path(context.baseDir) / p;
  return std::filesystem::absolute(p).lexically_normal().string();
}

}  // namespace sections

}  // namespace crow::host
