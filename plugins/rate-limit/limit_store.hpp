#pragma once
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
namespace crow::rate_limit {
/// The verdict for one hit.
struct Decision {
  bool allowed = true;
  int64_t count = 0;         ///< hits counted in the current window, this one included when allowed
  int64_t retryAfterMs = 0;  ///< when denied: time until the window ends
};
/// Thrown by a store that cannot answer (connection refused, timeout): the caller fails closed or open per rule.
class StoreUnavailable : public std::runtime_error { public: using std::runtime_error::runtime_error; };
/// Counts hits per key in fixed windows. Thread-safe. `hit` is atomic across every process sharing the store.
class LimitStore {
 public:
  virtual ~LimitStore() = default;
  virtual Decision hit(const std::string& key, int64_t windowMs, int64_t max, int64_t nowMs) = 0;
  /// A short name for logs ("memory", "database", "redis").
  virtual const char* kind() const noexcept = 0;
};
}  // namespace crow::rate_limit
