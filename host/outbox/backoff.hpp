// outbox/backoff.hpp - when to try a failed delivery again.
//
// Exponential backoff with full jitter (AWS, "Exponential Backoff and Jitter"): the delay is drawn
// uniformly from [0, min(maxBackoff, initialBackoff * 2^failures)], which spreads the retries of
// many messages that failed together instead of sending them back in one wave. A Retry-After
// from the receiver is a floor (still capped by maxBackoff).
#pragma once

#include <chrono>
#include <optional>

namespace crow::host {

class BackoffPolicy {
 public:
  BackoffPolicy(std::chrono::milliseconds initialBackoff, std::chrono::milliseconds maxBackoff);

  /// The ceiling of the jitter window after `failures` failed attempts before this one
  /// (0 for the first failure): min(max, initial * 2^failures).
  std::chrono::milliseconds ceiling(int failures) const noexcept;

  /// A delay in [0, ceiling(failures)], or at least `retryAfter` when the receiver asked for it.
  std::chrono::milliseconds delay(int failures, std::optional<std::chrono::milliseconds> retryAfter = {}) const;

 private:
  std::chrono::milliseconds initial_;
  std::chrono::milliseconds max_;
};

}  // namespace crow::host
