#include "options.hpp"

#include <string_view>

namespace apikey {

namespace {

int64_t bounded(const crow::ConfigNode& config, std::string_view key, int64_t fallback, int64_t min, int64_t max) {
  const int64_t value = config.getInt(key, fallback);
  if (value < min || value > max)
    config.fail(key, "must be between " + std::to_string(min) + " and " + std::to_string(max));
  return value;
}

bool isPrefixText(const std::string& s) {
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
      return false;
  return true;
}

bool isHeaderName(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
      return false;
  return true;
}

void readExpiration(const crow::ConfigNode& block, KeyExpirationOptions& o) {
  block.allowOnly({"defaultExpiresIn", "disableCustomExpiresTime", "minExpiresIn", "maxExpiresIn"});
  if (block.has("defaultExpiresIn") && block.getString("defaultExpiresIn").value_or("") != "")
    o.defaultExpiresInS = bounded(block, "defaultExpiresIn", 0, 1, 100LL * 365 * 86400);
  o.disableCustomExpiresTime = block.getBool("disableCustomExpiresTime", o.disableCustomExpiresTime);
  o.minExpiresInDays = bounded(block, "minExpiresIn", o.minExpiresInDays, 0, 36500);
  o.maxExpiresInDays = bounded(block, "maxExpiresIn", o.maxExpiresInDays, 0, 36500);
  if (o.minExpiresInDays > o.maxExpiresInDays) block.fail("minExpiresIn", "must not exceed maxExpiresIn");
}

void readRateLimit(const crow::ConfigNode& block, RateLimitOptions& o) {
  block.allowOnly({"enabled", "timeWindow", "maxRequests"});
  o.enabled = block.getBool("enabled", o.enabled);
  o.timeWindowMs = bounded(block, "timeWindow", o.timeWindowMs, 1, 365LL * 86'400'000);
  o.maxRequests = bounded(block, "maxRequests", o.maxRequests, 1, 1'000'000'000);
}

void readRoles(const crow::ConfigNode& block, std::map<std::string, std::set<std::string>>& roles) {
  roles.clear();
  for (const std::string& role : block.keys()) {
    if (role.empty() || role.size() > 64) block.fail(role, "a role name is 1 to 64 characters");
    std::set<std::string> actions;
    for (const std::string& action : block.getStringList(role).value_or(std::vector<std::string>{})) {
      if (action != "create" && action != "read" && action != "update" && action != "delete")
        block.fail(role, "actions are create, read, update and delete (got '" + action + "')");
      actions.insert(action);
    }
    roles[role] = std::move(actions);
  }
}

}  // namespace

Options Options::read(const crow::ConfigNode& config) {
  config.allowOnly({"apiKeyHeader", "defaultKeyLength", "defaultPrefix", "minimumPrefixLength", "maximumPrefixLength",
                    "minimumNameLength", "maximumNameLength", "requireName", "enableMetadata",
                    "enableSessionForAPIKeys", "keyExpiration", "rateLimit", "organizationRoles", "systemToken",
                    "usageFlushMs", "verifyCacheMs"});
  Options o;
  o.apiKeyHeader = config.getString("apiKeyHeader", o.apiKeyHeader);
  if (!isHeaderName(o.apiKeyHeader)) config.fail("apiKeyHeader", "must be a header name (letters, digits, '-', '_')");
  for (char& c : o.apiKeyHeader)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  // 32 letters of a 52-letter alphabet is 182 bits; fewer makes keys guessable.
  o.defaultKeyLength = bounded(config, "defaultKeyLength", o.defaultKeyLength, 32, 256);
  o.minimumPrefixLength = bounded(config, "minimumPrefixLength", o.minimumPrefixLength, 1, 64);
  o.maximumPrefixLength = bounded(config, "maximumPrefixLength", o.maximumPrefixLength, 1, 64);
  if (o.minimumPrefixLength > o.maximumPrefixLength)
    config.fail("minimumPrefixLength", "must not exceed maximumPrefixLength");
  o.defaultPrefix = config.getString("defaultPrefix", "");
  if (!o.defaultPrefix.empty() &&
      (!isPrefixText(o.defaultPrefix) || static_cast<int64_t>(o.defaultPrefix.size()) > o.maximumPrefixLength))
    config.fail("defaultPrefix", "must be letters, digits, '_' or '-', at most maximumPrefixLength long");
  o.minimumNameLength = bounded(config, "minimumNameLength", o.minimumNameLength, 0, 1024);
  o.maximumNameLength = bounded(config, "maximumNameLength", o.maximumNameLength, 1, 1024);
  if (o.minimumNameLength > o.maximumNameLength) config.fail("minimumNameLength", "must not exceed maximumNameLength");
  o.requireName = config.getBool("requireName", o.requireName);
  o.enableMetadata = config.getBool("enableMetadata", o.enableMetadata);
  o.enableSessionForAPIKeys = config.getBool("enableSessionForAPIKeys", o.enableSessionForAPIKeys);
  if (auto block = config.child("keyExpiration")) readExpiration(*block, o.keyExpiration);
  if (auto block = config.child("rateLimit")) readRateLimit(*block, o.rateLimit);
  if (auto block = config.child("organizationRoles")) readRoles(*block, o.organizationRoles);
  if (auto block = config.child("systemToken")) {
    block->allowOnly({"expiresIn"});
    o.systemTokenExpiresInS = bounded(*block, "expiresIn", o.systemTokenExpiresInS, 10, 86400);
  }
  o.usageFlushMs = bounded(config, "usageFlushMs", o.usageFlushMs, 50, 60'000);
  o.verifyCacheMs = bounded(config, "verifyCacheMs", o.verifyCacheMs, 0, 60'000);
  return o;
}

}  // namespace apikey
