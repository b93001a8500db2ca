// options.hpp - the rate-limit plugin's `config:` block, read once at init (README.md lists it).
#pragma once

#include "account_options.hpp"
#include "memory_store.hpp"
#include "redis_store.hpp"
#include "rules.hpp"

#include <crow/config.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace crow::rate_limit {

enum class StoreKind { Memory, Database, Redis };

struct Options {
  StoreKind store = StoreKind::Memory;
  /// "service" (the default) or "better-auth".
  std::string preset = "service";
  /// The preset's rules with the custom rules after them (a custom rule replaces a preset rule
  /// of the same path), all paths normalised.
  std::vector<Rule> rules;
  /// Sent when the store cannot answer for a rule that fails closed: 503 (default) or 429.
  int storeDownStatus = 503;
  /// The Retry-After (and X-Retry-After) seconds sent then.
  int64_t storeDownRetryAfterSeconds = 5;
  MemoryOptions memory;
  RedisOptions redis;
  /// The per-account sign-in throttle (`account:`), on by default.
  AccountOptions account;

  /// Reads and validates the block; `basePath` lets a rule be written with or without it. Throws
  /// crow::ConfigError (with file, line and key) for anything unknown or out of range.
  static Options read(const crow::ConfigNode& config, std::string_view basePath);
};

/// A rule path as matched: "*", or normalised like a request path and relative to the base path,
/// keeping a trailing '*'. Empty when the text cannot be a rule path.
std::string normaliseRulePath(std::string_view text, std::string_view basePath);

}  // namespace crow::rate_limit
