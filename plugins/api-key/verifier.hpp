// verifier.hpp - @better-auth/api-key's validateApiKey (CONTRACT.md §6), shared by POST
// /api-key/verify, /api-key/system-token and the x-api-key session source.
//
// Order: hash -> lookup by hash (INVALID_API_KEY) -> disabled (KEY_DISABLED) -> expired (row
// deleted, KEY_EXPIRED) -> permissions (KEY_NOT_FOUND) -> exhausted with no refill (row deleted,
// USAGE_EXCEEDED) -> consume `remaining` (refill or guarded decrement) -> consume the per-key rate
// limit (guarded conditional writes) -> updatedAt. The consuming writes run in one transaction,
// so a rate-limit denial gives back the `remaining` it took. Keys with neither `remaining` nor a
// rate limit skip all writes (the fast path): their usage goes to the UsageBatcher.
#pragma once

#include "options.hpp"
#include "permissions.hpp"
#include "usage_batcher.hpp"
#include "verify_cache.hpp"

#include <crow/context.hpp>
#include <crow/error.hpp>
#include <crow/store.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace apikey {

inline constexpr const char* kTable = "apikey";

/// A key failed validation: status and code as Better Auth raises them; RATE_LIMITED carries
/// how long until the key may be used again.
class KeyRejected : public crow::ApiError {
 public:
  KeyRejected(int status, const crow::ErrorCode& code, int64_t tryAgainInMs = -1)
      : crow::ApiError(status, code), tryAgainInMs_(tryAgainInMs) {}
  int64_t tryAgainInMs() const noexcept { return tryAgainInMs_; }

 private:
  int64_t tryAgainInMs_;
};

class Verifier {
 public:
  Verifier(crow::Store& store, const crow::Clock& clock, const Options& options, UsageBatcher& usage,
           VerifyCache& cache)
      : store_(store), clock_(clock), options_(options), usage_(usage), cache_(cache) {}

  /// Validates and uses a key presented as text. Returns the key's row after the use; throws
  /// KeyRejected.
  crow::Row verify(std::string_view key, const Permissions* permissions = nullptr);
  /// The same for a key row already read (the session source reads it joined with its user).
  crow::Row use(crow::Row row, const Permissions* permissions = nullptr);

  /// Whether a row takes the fast path (no remaining, no per-key rate limit).
  bool isFastPath(const crow::Row& row) const;
  /// Whether verify would consult the per-key rate limit for this row.
  bool rateLimitApplies(const crow::Row& row) const;

 private:
  crow::Row consume(const crow::Row& row, crow::Timestamp now);
  crow::Row consumeRemaining(crow::Store& tx, const crow::Row& row, crow::Timestamp now);
  crow::Row consumeRateLimit(crow::Store& tx, crow::Row row, crow::Timestamp now, bool& touchLastRequest);

  crow::Store& store_;
  const crow::Clock& clock_;
  const Options& options_;
  UsageBatcher& usage_;
  VerifyCache& cache_;
};

}  // namespace apikey
