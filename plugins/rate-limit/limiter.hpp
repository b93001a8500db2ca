// limiter.hpp - the check a request goes through: find its rule, build its key, count the hit,
// and refuse it the way Better Auth does when it is over the limit.
#pragma once

#include "account_throttle.hpp"
#include "limit_store.hpp"
#include "rules.hpp"

#include <crow/http.hpp>
#include <crow/log.hpp>

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace crow::rate_limit {

/// Better Auth's 429 message (CONTRACT.md §8); its body carries no code.
inline constexpr const char* kTooManyRequestsMessage = "Too many requests. Please try again later.";

struct LimiterSettings {
  /// The service's base path ("/api/v1/auth"); rules are relative to it.
  std::string basePath;
  /// 503 or 429 when the store cannot answer for a rule that fails closed.
  int storeDownStatus = 503;
  int64_t storeDownRetryAfterSeconds = 5;
  /// The per-account sign-in throttle (account_throttle.hpp), counted in the same store; off
  /// unless configured (the plugin's config turns it on by default).
  AccountOptions account{.enabled = false};
};

class Limiter {
 public:
  /// `logger` must outlive the limiter (the host's does).
  Limiter(RuleSet rules, std::unique_ptr<LimitStore> store, LimiterSettings settings, crow::Logger& logger);

  /// What a request is counted against.
  struct Target {
    const Rule* rule = nullptr;
    std::string key;  ///< "<client>|<rule path>", or "<client>|<path>" for a per-path rule
  };
  /// The rule and key for a request path (raw, as sent, without the query) and client address;
  /// nullopt when no rule covers the path.
  std::optional<Target> target(std::string_view rawPath, std::string_view clientAddress) const;

  /// Counts the request: against its rule for its client, and a sign-in also against its
  /// account (when the account throttle is on and the body names one). Returns when it may go
  /// on; throws crow::ApiError when either is over its limit (429, Better Auth's body,
  /// X-Retry-After) or when the store cannot answer for a rule that fails closed
  /// (storeDownStatus with Retry-After and X-Retry-After).
  void check(const crow::Request& request, int64_t nowMs);

  const LimitStore& store() const noexcept { return *store_; }
  /// Requests let through / refused because the store could not answer (since start).
  int64_t failedOpen() const noexcept { return failedOpen_.load(std::memory_order_relaxed); }
  int64_t failedClosed() const noexcept { return failedClosed_.load(std::memory_order_relaxed); }

 private:
  /// The normalised path below the base path; `storage` holds it when it had to be rewritten.
  std::string_view relativePath(std::string_view rawPath, std::string& storage) const;
  static Target targetOf(const Rule& rule, std::string_view path, std::string_view clientAddress);
  void checkClient(const Target& target, int64_t nowMs);
  void checkAccount(const crow::Request& request, int64_t nowMs);
  void storeDown(bool failClosed, const StoreUnavailable& error, int64_t nowMs);

  RuleSet rules_;
  std::unique_ptr<LimitStore> store_;
  LimiterSettings settings_;
  std::string basePath_;  ///< normalised
  crow::Logger& logger_;
  std::unique_ptr<AccountThrottle> account_;  ///< null when off
  std::atomic<int64_t> failedOpen_{0};
  std::atomic<int64_t> failedClosed_{0};
  std::atomic<int64_t> nextStoreDownLogMs_{0};
};

}  // namespace crow::rate_limit
