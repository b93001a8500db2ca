// crypto/hmac.hpp - SHA-256, HMAC-SHA256 and comparisons that do not leak timing.
#pragma once

#include <string>
#include <string_view>

namespace crow::host {

/// SHA-256 of `data`: 32 raw bytes.
std::string sha256(std::string_view data);

/// HMAC-SHA256 of `message` under `key` (Better Auth uses the raw UTF-8 secret as the key, no
/// KDF): 32 raw bytes.
std::string hmacSha256(std::string_view key, std::string_view message);

/// Compares two byte strings in time that depends only on their length, never on where they
/// first differ (CRYPTO_memcmp). Different lengths return false at once: use it where the
/// length is public anyway (a fixed-size digest, a 44-character signature, a 128-character
/// hex key). Where the length itself is secret, use digestEquals.
bool constantTimeEquals(std::string_view a, std::string_view b);

/// Compares SHA-256(a) with SHA-256(b) in constant time: equal iff a == b (barring a SHA-256
/// collision), and the timing reveals neither the position of a difference nor the lengths'
/// relationship beyond the cost of hashing them.
bool digestEquals(std::string_view a, std::string_view b);

}  // namespace crow::host
