// account_options.cpp - see account_options.hpp.
#include "account_options.hpp"

#include <string>

namespace crow::rate_limit {

namespace {

constexpr int64_t kMaxWindowSeconds = 7 * 24 * 3600;
constexpr int64_t kMaxAttempts = 1000000000;

}  // namespace

AccountOptions readAccountOptions(const crow::ConfigNode& node) {
  node.allowOnly({"enabled", "window", "max", "softInterval", "failClosed"});
  AccountOptions options;
  options.enabled = node.getBool("enabled", options.enabled);

  const int64_t window = node.getInt("window", options.windowMs / 1000);
  if (window < 1 || window > kMaxWindowSeconds)
    node.fail("window", "must be a number of seconds between 1 and " + std::to_string(kMaxWindowSeconds));
  options.windowMs = window * 1000;

  const int64_t max = node.getInt("max", options.max);
  if (max < 1 || max > kMaxAttempts) node.fail("max", "must be between 1 and " + std::to_string(kMaxAttempts));
  options.max = max;

  const int64_t soft = node.getInt("softInterval", options.softIntervalMs / 1000);
  if (soft < 1 || soft > window) node.fail("softInterval", "must be a number of seconds between 1 and window");
  options.softIntervalMs = soft * 1000;
  // The paced attempts count against max too; without room for unpaced ones the limit would be
  // max in name only.
  if (options.unpacedPerWindow() < 1)
    node.fail("softInterval", "too short for this window and max: window / softInterval (" +
                                  std::to_string(options.pacedPerWindow()) + " paced attempts) must stay below max (" +
                                  std::to_string(max) + ")");

  options.failClosed = node.getBool("failClosed", options.failClosed);
  return options;
}

}  // namespace crow::rate_limit
