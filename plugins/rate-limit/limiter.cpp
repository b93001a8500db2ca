// limiter.cpp - see limiter.hpp.
#include "limiter.hpp"

#include "account_email.hpp"
#include "client_key.hpp"
#include "error_codes.hpp"
#include "path_normaliser.hpp"

#include <crow/error.hpp>

namespace crow::rate_limit {

namespace {

// A store outage is logged at most this often, with the counts since the last line: one line per
// request would flood the log exactly when it matters.
constexpr int64_t kStoreDownLogIntervalMs = 10000;

std::string ceilSeconds(int64_t ms) { return std::to_string(ms <= 1000 ? 1 : (ms + 999) / 1000); }

}  // namespace

Limiter::Limiter(RuleSet rules, std::unique_ptr<LimitStore> store, LimiterSettings settings, crow::Logger& logger)
    : rules_(std::move(rules)),
      store_(std::move(store)),
      settings_(std::move(settings)),
      basePath_(normaliseBasePath(settings_.basePath)),
      logger_(logger),
      account_(settings_.account.enabled ? std::make_unique<AccountThrottle>(settings_.account, logger) : nullptr) {}

std::string_view Limiter::relativePath(std::string_view rawPath, std::string& storage) const {
  // The usual request is already canonical: look at it in place.
  std::string_view full = rawPath;
  if (!isNormalPath(rawPath)) {
    storage = normalisePath(rawPath);
    full = storage;
  }
  return stripBasePath(full, basePath_);
}

Limiter::Target Limiter::targetOf(const Rule& rule, std::string_view path, std::string_view clientAddress) {
  Target target;
  target.rule = &rule;
  const std::string_view scope = rule.perPath ? path : std::string_view(rule.path);
  target.key.reserve(48 + scope.size());
  appendClientKey(target.key, clientAddress);
  target.key.push_back('|');
  target.key.append(scope);
  return target;
}

std::optional<Limiter::Target> Limiter::target(std::string_view rawPath, std::string_view clientAddress) const {
  std::string storage;
  const std::string_view path = relativePath(rawPath, storage);
  const Rule* rule = rules_.match(path);
  if (!rule) return std::nullopt;
  return targetOf(*rule, path, clientAddress);
}

void Limiter::check(const crow::Request& request, int64_t nowMs) {
  std::string storage;
  const std::string_view path = relativePath(request.rawPath, storage);
  // The client's own limit first: a request it refuses never counts against the account.
  if (const Rule* rule = rules_.match(path)) checkClient(targetOf(*rule, path, request.clientAddress), nowMs);
  if (account_ && AccountThrottle::covers(request.method, path)) checkAccount(request, nowMs);
}

void Limiter::checkClient(const Target& target, int64_t nowMs) {
  Decision decision;
  try {
    decision = store_->hit(target.key, target.rule->windowMs, target.rule->max, nowMs);
  } catch (const StoreUnavailable& e) {
    storeDown(target.rule->failClosed, e, nowMs);
    return;
  } catch (const std::exception& e) {
    // A store breaking its contract is still a store that cannot answer: the rule decides.
    storeDown(target.rule->failClosed, StoreUnavailable(e.what()), nowMs);
    return;
  }
  if (decision.allowed) return;
  throw crow::ApiError(429, "", kTooManyRequestsMessage).withHeader("X-Retry-After", ceilSeconds(decision.retryAfterMs));
}

void Limiter::checkAccount(const crow::Request& request, int64_t nowMs) {
  // No readable email: the route answers its own 400 without checking a password.
  const std::optional<std::string> email = signInEmail(request);
  if (!email) return;
  Decision decision;
  try {
    decision = account_->hit(*store_, accountHash(*email), nowMs);
  } catch (const StoreUnavailable& e) {
    storeDown(account_->options().failClosed, e, nowMs);
    return;
  } catch (const std::exception& e) {
    storeDown(account_->options().failClosed, StoreUnavailable(e.what()), nowMs);
    return;
  }
  if (decision.allowed) return;
  throw crow::ApiError(429, "", kTooManyRequestsMessage).withHeader("X-Retry-After", ceilSeconds(decision.retryAfterMs));
}

void Limiter::storeDown(bool failClosed, const StoreUnavailable& error, int64_t nowMs) {
  const bool refuse = failClosed;
  (refuse ? failedClosed_ : failedOpen_).fetch_add(1, std::memory_order_relaxed);

  int64_t next = nextStoreDownLogMs_.load(std::memory_order_relaxed);
  if (nowMs >= next &&
      nextStoreDownLogMs_.compare_exchange_strong(next, nowMs + kStoreDownLogIntervalMs, std::memory_order_relaxed)) {
    logger_.warn("rate-limit store unavailable: credential endpoints are refused, others let through",
                 {{"store", store_->kind()},
                  {"error", error.what()},
                  {"failed_closed_total", std::to_string(failedClosed())},
                  {"failed_open_total", std::to_string(failedOpen())}});
  }
  if (!refuse) return;

  const std::string seconds = std::to_string(settings_.storeDownRetryAfterSeconds);
  crow::ApiError refusal = settings_.storeDownStatus == 429
                               ? crow::ApiError(429, "", kTooManyRequestsMessage)
                               : crow::ApiError(503, errors::RATE_LIMIT_UNAVAILABLE);
  refusal.withHeader("Retry-After", seconds).withHeader("X-Retry-After", seconds);
  throw refusal;
}

}  // namespace crow::rate_limit
