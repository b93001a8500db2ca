// rules.cpp - presets and rule matching; see rules.hpp.
#include "rules.hpp"

#include <algorithm>
#include <array>

namespace crow::rate_limit {

namespace {

// Prefixes of the endpoints that check or mint credentials.
constexpr std::array<std::string_view, 9> kCredentialStems = {
    "/sign-in",          "/sign-up",         "/api-key/verify",         "/api-key/system-token",
    "/change-password",  "/reset-password",  "/request-password-reset", "/forget-password",
    "/set-password",
};

Rule make(std::string path, int64_t windowMs, int64_t max, bool perPath = false) {
  Rule rule;
  rule.path = std::move(path);
  rule.windowMs = windowMs;
  rule.max = max;
  rule.failClosed = isCredentialPath(rule.path);
  rule.perPath = perPath;
  return rule;
}

}  // namespace

bool isCredentialPath(std::string_view rulePath) noexcept {
  if (!rulePath.empty() && rulePath.back() == '*') rulePath.remove_suffix(1);
  for (std::string_view stem : kCredentialStems)
    if (rulePath.starts_with(stem)) return true;
  return false;
}

std::vector<Rule> servicePreset(int64_t windowMs, int64_t max) {
  return {make("/sign-in*", windowMs, max), make("/sign-up*", windowMs, max),
          make("/api-key/verify", windowMs, max), make("/api-key/system-token", windowMs, max)};
}

std::vector<Rule> betterAuthPreset(int64_t windowMs, int64_t max) {
  constexpr int64_t kTenSeconds = 10000;
  constexpr int64_t kMinute = 60000;
  return {
      make("*", windowMs, max, /*perPath=*/true),
      make("/sign-in*", kTenSeconds, 3),
      make("/sign-up*", kTenSeconds, 3),
      make("/change-password*", kTenSeconds, 3),
      make("/change-email*", kTenSeconds, 3),
      make("/request-password-reset", kMinute, 3),
      make("/send-verification-email", kMinute, 3),
      make("/email-otp/send-verification-otp", kMinute, 3),
      make("/email-otp/request-password-reset", kMinute, 3),
      make("/forget-password*", kMinute, 3),
  };
}

RuleSet::RuleSet(std::vector<Rule> rules) {
  for (Rule& rule : rules) {
    auto same = std::find_if(rules_.begin(), rules_.end(), [&](const Rule& r) { return r.path == rule.path; });
    if (same != rules_.end())
      *same = std::move(rule);
    else
      rules_.push_back(std::move(rule));
  }
}

const Rule* RuleSet::match(std::string_view path) const noexcept {
  const Rule* best = nullptr;
  size_t bestLength = 0;
  const Rule* catchAll = nullptr;
  for (const Rule& rule : rules_) {
    if (rule.path == "*") {
      catchAll = &rule;
      continue;
    }
    const std::string_view stem = rule.stem();
    if (!rule.isPrefix()) {
      if (path == stem) {
        best = &rule;
        break;  // an exact rule beats every prefix
      }
      continue;
    }
    if (path.starts_with(stem) && (!best || stem.size() > bestLength)) {
      best = &rule;
      bestLength = stem.size();
    }
  }
  if (!best) best = catchAll;
  return best && best->enabled ? best : nullptr;
}

}  // namespace crow::rate_limit
