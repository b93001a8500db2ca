// options.cpp - reads the `config:` block; see options.hpp and README.md.
#include "options.hpp"

#include "path_normaliser.hpp"

namespace crow::rate_limit {

namespace {

constexpr int64_t kMaxWindowSeconds = 7 * 24 * 3600;
constexpr int64_t kMaxMax = 1000000000;

int64_t readSeconds(const crow::ConfigNode& node, std::string_view key, int64_t fallback) {
  const int64_t value = node.getInt(key, fallback);
  if (value < 1 || value > kMaxWindowSeconds)
    node.fail(key, "must be a number of seconds between 1 and " + std::to_string(kMaxWindowSeconds));
  return value;
}

int64_t readMax(const crow::ConfigNode& node, std::string_view key, int64_t fallback) {
  const int64_t value = node.getInt(key, fallback);
  if (value < 1 || value > kMaxMax) node.fail(key, "must be between 1 and " + std::to_string(kMaxMax));
  return value;
}

Rule readRule(const crow::ConfigNode& node, std::string_view basePath, int64_t windowSeconds, int64_t max) {
  node.allowOnly({"path", "window", "max", "failClosed", "enabled"});
  Rule rule;
  const std::string text = node.requireString("path");
  rule.path = normaliseRulePath(text, basePath);
  if (rule.path.empty())
    node.fail("path", "must start with '/' (a path below the base path, optionally ending in '*') or be '*'");
  rule.windowMs = readSeconds(node, "window", windowSeconds) * 1000;
  rule.max = readMax(node, "max", max);
  rule.failClosed = node.getBool("failClosed", isCredentialPath(rule.path));
  rule.enabled = node.getBool("enabled", true);
  rule.perPath = rule.path == "*";
  return rule;
}

void readRedis(const crow::ConfigNode& node, RedisOptions& redis) {
  node.allowOnly({"url", "poolSize", "timeoutMs", "keyPrefix"});
  redis.url = node.getString("url", redis.url);
  if (redis.url.empty()) node.fail("url", "must not be empty");
  const int64_t pool = node.getInt("poolSize", redis.poolSize);
  if (pool < 1 || pool > 1024) node.fail("poolSize", "must be between 1 and 1024");
  redis.poolSize = static_cast<int>(pool);
  const int64_t timeout = node.getInt("timeoutMs", redis.timeoutMs);
  if (timeout < 1 || timeout > 60000) node.fail("timeoutMs", "must be between 1 and 60000");
  redis.timeoutMs = static_cast<int>(timeout);
  redis.keyPrefix = node.getString("keyPrefix", redis.keyPrefix);
}

void readMemory(const crow::ConfigNode& node, MemoryOptions& memory) {
  node.allowOnly({"maxEntries"});
  const int64_t entries = node.getInt("maxEntries", static_cast<int64_t>(memory.maxEntries));
  if (entries < 1000 || entries > 100000000) node.fail("maxEntries", "must be between 1000 and 100000000");
  memory.maxEntries = static_cast<size_t>(entries);
}

}  // namespace

std::string normaliseRulePath(std::string_view text, std::string_view basePath) {
  if (text == "*") return "*";
  if (text.empty() || text.front() != '/') return {};
  const bool prefix = text.back() == '*';
  if (prefix) text.remove_suffix(1);
  if (text.find('*') != std::string_view::npos) return {};
  std::string path(stripBasePath(normalisePath(text), normaliseBasePath(basePath)));
  // "/sign-in/*" and "/sign-in*" differ: keep the slash the operator wrote before the star.
  if (prefix && text.size() > 1 && text.back() == '/' && path != "/") path.push_back('/');
  if (prefix) path.push_back('*');
  return path;
}

Options Options::read(const crow::ConfigNode& config, std::string_view basePath) {
  config.allowOnly({"store", "preset", "window", "max", "rules", "storeDownStatus", "storeDownRetryAfter", "memory",
                    "redis", "account"});
  Options options;

  const std::string store = config.getString("store", "memory");
  if (store == "memory") options.store = StoreKind::Memory;
  else if (store == "database") options.store = StoreKind::Database;
  else if (store == "redis") options.store = StoreKind::Redis;
  else config.fail("store", "must be memory, database or redis");

  options.preset = config.getString("preset", options.preset);
  const bool betterAuth = options.preset == "better-auth";
  if (!betterAuth && options.preset != "service") config.fail("preset", "must be service or better-auth");
  // The preset's base numbers: the service's 300 per 60 s, Better Auth's 100 per 10 s.
  const int64_t windowSeconds = readSeconds(config, "window", betterAuth ? 10 : 60);
  const int64_t max = readMax(config, "max", betterAuth ? 100 : 300);
  options.rules = betterAuth ? betterAuthPreset(windowSeconds * 1000, max) : servicePreset(windowSeconds * 1000, max);
  for (const auto& node : config.children("rules")) options.rules.push_back(readRule(*node, basePath, windowSeconds, max));

  const int64_t status = config.getInt("storeDownStatus", options.storeDownStatus);
  if (status != 503 && status != 429) config.fail("storeDownStatus", "must be 503 or 429");
  options.storeDownStatus = static_cast<int>(status);
  options.storeDownRetryAfterSeconds = readSeconds(config, "storeDownRetryAfter", options.storeDownRetryAfterSeconds);

  if (auto memory = config.child("memory")) readMemory(*memory, options.memory);
  if (auto redis = config.child("redis")) readRedis(*redis, options.redis);
  if (auto account = config.child("account")) options.account = readAccountOptions(*account);
  return options;
}

}  // namespace crow::rate_limit
