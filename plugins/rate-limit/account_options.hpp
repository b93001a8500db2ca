// account_options.hpp - the `account:` block: how many sign-in attempts one account may receive,
// from every address together, before it is paced (README.md, "Per-account throttle").
#pragma once

#include <crow/config.hpp>

#include <cstdint>

namespace crow::rate_limit {

struct AccountOptions {
  bool enabled = true;
  /// The counting window.
  int64_t windowMs = 3600 * 1000;
  /// Every attempt let through per window, the paced ones included: ASVS v4 2.2.1 allows at most
  /// 100 failed attempts per account per hour.
  int64_t max = 100;
  /// Once the account is throttled, one attempt per this interval still goes through (from any
  /// address), so the real user can sign in while an attack goes on.
  int64_t softIntervalMs = 120 * 1000;
  /// Refuse the attempt when the store cannot answer (as the credential rules do).
  bool failClosed = true;

  /// The most paced attempts one window can hold: one per started soft interval.
  int64_t pacedPerWindow() const noexcept { return (windowMs + softIntervalMs - 1) / softIntervalMs; }
  /// The attempts let through at once before pacing starts: max less the paced ones, so the
  /// two together never exceed max per window.
  int64_t unpacedPerWindow() const noexcept { return max - pacedPerWindow(); }
};

/// Reads and validates the block (keys: enabled, window, max, softInterval, failClosed; numbers
/// in seconds). Throws crow::ConfigError with file, line and key for anything unknown or out of
/// range, and when softInterval is so short that the paced attempts alone would reach max.
AccountOptions readAccountOptions(const crow::ConfigNode& node);

}  // namespace crow::rate_limit
