// options.hpp - the api-key plugin's `config:` block (README.md lists every key). Defaults are
// @better-auth/api-key's (CONTRACT.md §6) except enableMetadata, which is on here because a key's
// organization lives in its metadata.
#pragma once

#include <crow/config.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>

namespace apikey {

struct KeyExpirationOptions {
  std::optional<int64_t> defaultExpiresInS;  ///< none: keys never expire unless asked
  bool disableCustomExpiresTime = false;
  int64_t minExpiresInDays = 1;
  int64_t maxExpiresInDays = 365;
};

/// The per-key limit given to new keys, and whether per-key limits are enforced at all.
struct RateLimitOptions {
  bool enabled = true;
  int64_t timeWindowMs = 86'400'000;
  int64_t maxRequests = 10;
};

struct Options {
  std::string apiKeyHeader = "x-api-key";
  int64_t defaultKeyLength = 64;
  std::string defaultPrefix;  ///< empty: none
  int64_t minimumPrefixLength = 1;
  int64_t maximumPrefixLength = 32;
  int64_t minimumNameLength = 1;
  int64_t maximumNameLength = 32;
  bool requireName = false;
  bool enableMetadata = true;
  bool enableSessionForAPIKeys = false;
  KeyExpirationOptions keyExpiration;
  RateLimitOptions rateLimit;
  /// Member role -> the actions (create, read, update, delete) it may take on its organization's keys.
  std::map<std::string, std::set<std::string>> organizationRoles{
      {"owner", {"create", "read", "update", "delete"}},
      {"admin", {"create", "read", "update", "delete"}},
      {"member", {}}};
  int64_t systemTokenExpiresInS = 300;
  int64_t usageFlushMs = 1000;
  /// How long a fast-path key's record may serve verifies without a database read (0: never).
  /// Writes by this process drop it at once; writes by other processes show after at most this.
  int64_t verifyCacheMs = 1000;

  static Options read(const crow::ConfigNode& config);
};

}  // namespace apikey
