// crypto/random.hpp - identifiers and key material from the operating system's CSPRNG.
#pragma once

#include <cstddef>
#include <string>

namespace crow::host {

/// `length` characters drawn uniformly from [A-Za-z0-9]: Better Auth's `generateId`, used for
/// row ids, session tokens (32) and verification tokens. Uniform by rejection sampling (bytes
/// >= 248 are discarded), never `byte % 62`, which would favour the first 8 characters.
/// Throws CryptoError if the CSPRNG fails (it does not on a healthy system).
std::string randomId(std::size_t length = 32);

/// `bytes` random bytes as 2*bytes lowercase hex characters (Better Auth's
/// `randomBytes(n).toString("hex")`, e.g. the password salt).
std::string randomHex(std::size_t bytes);

/// `n` raw random bytes (not text).
std::string randomBytes(std::size_t n);

/// Fills [out, out+n) with random bytes; throws CryptoError on CSPRNG failure.
void fillRandom(void* out, std::size_t n);

}  // namespace crow::host
