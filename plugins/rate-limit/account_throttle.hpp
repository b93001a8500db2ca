// account_throttle.hpp - the per-account sign-in limit (ADV-17, ASVS v4 2.2.1): attempts for one
// account are counted from every address together, so an attacker spreading guesses over many
// addresses is slowed down all the same; and it is a soft limit, so the real user can still sign
// in while the attack goes on.
//
// Counting, per account and window (AccountOptions):
//  - the first `unpacedPerWindow()` attempts go through (key "acct|<hash>");
//  - after that the account is throttled: one attempt per `softInterval`, from any address, goes
//    through (key "acct-soft|<hash>", a window of softInterval holding 1), the others are refused
//    until the next interval starts.
// The unpaced and the paced attempts together never exceed `max` per window. The keys hold the
// SHA-256 of the account's email, never the address.
#pragma once

#include "account_options.hpp"
#include "limit_store.hpp"
#include "memory_store.hpp"

#include <crow/http.hpp>
#include <crow/log.hpp>

#include <string>
#include <string_view>

namespace crow::rate_limit {

/// The endpoint the throttle counts, below the base path.
inline constexpr std::string_view kAccountSignInPath = "/sign-in/email";

class AccountThrottle {
 public:
  /// `logger` must outlive the throttle (the host's does).
  AccountThrottle(AccountOptions options, crow::Logger& logger);

  /// True for a request the throttle counts: POST to /sign-in/email (`path` normalised and below
  /// the base path, as the limiter matches rules).
  static bool covers(crow::Method method, std::string_view path) noexcept;

  /// Counts one attempt for the account whose email hashes to `accountHash`. Allowed: an unpaced
  /// attempt or the paced one of the current interval. Denied: retryAfterMs is the time until
  /// the next attempt can go through. Throws StoreUnavailable when the store cannot answer.
  /// Logs one warning per account and window (in this process) when the account becomes throttled.
  Decision hit(LimitStore& store, const std::string& accountHash, int64_t nowMs);

  const AccountOptions& options() const noexcept { return options_; }

 private:
  void warnThrottled(const std::string& accountHash, int64_t nowMs);

  AccountOptions options_;
  crow::Logger& logger_;
  /// Which accounts were reported this window: bounded, so an attack on many accounts cannot grow
  /// it (a full store just skips the warning).
  MemoryStore reported_;
};

}  // namespace crow::rate_limit
