// rules.hpp - which limit applies to which path.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace crow::rate_limit {

/// One limit: at most `max` requests per `windowMs` per client on the paths it covers.
struct Rule {
  /// As configured, normalised: "/sign-in*" (a prefix), "/api-key/verify" (exact) or "*" (every
  /// path no other rule covers). Paths are below the base path.
  std::string path;
  int64_t windowMs = 60000;
  int64_t max = 300;
  /// When the store cannot answer: refuse the request (true) or let it through (false).
  bool failClosed = false;
  /// false: the path is exempt (an operator's way to switch a preset rule off).
  bool enabled = true;
  /// Count each path on its own (Better Auth's `ip|path` key, used by its catch-all default rule)
  /// instead of every path of the rule in one bucket.
  bool perPath = false;

  bool isPrefix() const noexcept { return !path.empty() && path.back() == '*'; }
  /// The text a path must equal (exact rule) or start with (prefix rule).
  std::string_view stem() const noexcept {
    return isPrefix() ? std::string_view(path).substr(0, path.size() - 1) : std::string_view(path);
  }
};

/// True for the endpoints that take or mint credentials (sign-in, sign-up, API-key verify and
/// system-token, the password endpoints): their rules fail closed unless configured otherwise.
bool isCredentialPath(std::string_view rulePath) noexcept;

/// The service's policy: `max` per `windowMs` on /sign-in*, /sign-up*, /api-key/verify and
/// /api-key/system-token, each its own bucket; every other path is unlimited.
std::vector<Rule> servicePreset(int64_t windowMs, int64_t max);

/// Better Auth 1.7's built-in rules (CONTRACT.md §8): `max` per `windowMs` (10 s / 100 by
/// default) on every path, counted per path; 3 per 10 s on /sign-in*, /sign-up*,
/// /change-password*, /change-email*; 3 per 60 s on /request-password-reset,
/// /send-verification-email, /email-otp/send-verification-otp, /email-otp/request-password-reset
/// and /forget-password*.
std::vector<Rule> betterAuthPreset(int64_t windowMs, int64_t max);

/// The rules in force, matched against a normalised path below the base path.
class RuleSet {
 public:
  RuleSet() = default;
  /// A later rule with the same path replaces an earlier one (custom rules override presets).
  explicit RuleSet(std::vector<Rule> rules);

  /// The rule for `path`: an exact rule, else the longest matching prefix rule, else the "*" rule;
  /// nullptr when none applies or the matching rule is disabled.
  const Rule* match(std::string_view path) const noexcept;

  const std::vector<Rule>& rules() const noexcept { return rules_; }

 private:
  std::vector<Rule> rules_;
};

}  // namespace crow::rate_limit
