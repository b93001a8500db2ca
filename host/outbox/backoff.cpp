#include "outbox/backoff.hpp"

#include <algorithm>
#include <random>

namespace crow::host {

BackoffPolicy::BackoffPolicy(std::chrono::milliseconds initialBackoff, std::chrono::milliseconds maxBackoff)
    : initial_(std::max(initialBackoff, std::chrono::milliseconds{0})),
      max_(std::max(maxBackoff, std::chrono::milliseconds{0})) {}

std::chrono::milliseconds BackoffPolicy::ceiling(int failures) const noexcept {
  // Doubling stops as soon as the cap is reached, so large attempt counts cannot overflow.
  auto value = initial_;
  for (int i = 0; i < failures && value < max_; ++i) value *= 2;
  return std::min(value, max_);
}

std::chrono::milliseconds BackoffPolicy::delay(int failures, std::optional<std::chrono::milliseconds> retryAfter) const {
  // Jitter needs spread, not unpredictability; a generator per thread keeps it lock-free.
  thread_local std::mt19937_64 generator{std::random_device{}()};
  std::uniform_int_distribution<long long> pick(0, ceiling(failures).count());
  std::chrono::milliseconds chosen{pick(generator)};
  if (retryAfter) chosen = std::max(chosen, std::min(*retryAfter, max_));
  return chosen;
}

}  // namespace crow::host
