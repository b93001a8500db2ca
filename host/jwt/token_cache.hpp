// jwt/token_cache.hpp - tokens signed during the current second, reused for identical claims.
//
// A token's claims only change when the second (iat) does, so a client that calls get-session
// or /token several times a second gets the same claims each time. Signing costs 50-90 µs while
// a lookup costs well under 1 µs, so the gateway's hot path signs once per user per second.
// For EdDSA the reused token is byte-identical to a fresh one (Ed25519 is deterministic); for
// ES256/RS256 it is an equally valid signature over the same bytes. The cache holds tokens of
// the current second only and a bounded number of them, so its memory stays small.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <unordered_map>

namespace crow::host {

class TokenCache {
 public:
  explicit TokenCache(std::size_t capacity = 512) : capacity_(capacity) {}

  /// The token for (`kid`, `payloadJson`) issued at second `second`, from the cache or from
  /// `sign()` (called outside the lock, so concurrent misses do not wait on each other).
  std::string get(int64_t second, const std::string& kid, const std::string& payloadJson,
                  const std::function<std::string()>& sign);

 private:
  std::mutex mutex_;
  int64_t second_ = 0;
  std::unordered_map<std::string, std::string> tokens_;  // kid '\n' payload -> token
  std::size_t capacity_;
};

}  // namespace crow::host
