// account_throttle.cpp - see account_throttle.hpp.
#include "account_throttle.hpp"

#include <algorithm>

namespace crow::rate_limit {

namespace {

constexpr size_t kReportedAccountsHeld = 10000;

}  // namespace

AccountThrottle::AccountThrottle(AccountOptions options, crow::Logger& logger)
    : options_(options), logger_(logger), reported_(MemoryOptions{.maxEntries = kReportedAccountsHeld}) {}

bool AccountThrottle::covers(crow::Method method, std::string_view path) noexcept {
  return method == crow::Method::Post && path == kAccountSignInPath;
}

Decision AccountThrottle::hit(LimitStore& store, const std::string& accountHash, int64_t nowMs) {
  const Decision unpaced = store.hit("acct|" + accountHash, options_.windowMs, options_.unpacedPerWindow(), nowMs);
  if (unpaced.allowed) return unpaced;

  warnThrottled(accountHash, nowMs);
  Decision paced = store.hit("acct-soft|" + accountHash, options_.softIntervalMs, 1, nowMs);
  // Refused: the next chance is the next interval, or the account's new window if that comes first.
  if (!paced.allowed) paced.retryAfterMs = std::min(paced.retryAfterMs, unpaced.retryAfterMs);
  return paced;
}

void AccountThrottle::warnThrottled(const std::string& accountHash, int64_t nowMs) {
  bool first = false;
  try {
    first = reported_.hit(accountHash, options_.windowMs, 1, nowMs).allowed;
  } catch (const StoreUnavailable&) {
    return;  // thousands of accounts throttled at once: each further one goes unreported
  }
  if (!first) return;
  logger_.warn("sign-in attempts for one account over the limit: throttled to one attempt per soft interval",
               {{"account_sha256", accountHash},
                {"window_s", std::to_string(options_.windowMs / 1000)},
                {"attempts_before_throttle", std::to_string(options_.unpacedPerWindow())},
                {"soft_interval_s", std::to_string(options_.softIntervalMs / 1000)}});
}

}  // namespace crow::rate_limit
