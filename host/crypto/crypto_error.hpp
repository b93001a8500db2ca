// crypto/crypto_error.hpp - the one exception type of the crypto and jwt libraries.
#pragma once

#include <stdexcept>
#include <string>

namespace crow::host {

/// A cryptographic operation could not run: the library failed (out of memory, a missing
/// algorithm) or the caller passed input that can never be valid (a malformed key, a password
/// that is not UTF-8). Verification failures are NOT reported this way: they return false or
/// std::nullopt, so an attacker-controlled value can never turn into an exception path.
/// Messages never contain key material, secrets or passwords.
class CryptoError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Throws CryptoError with `what` and the text of OpenSSL's most recent error (and clears
/// OpenSSL's thread-local error queue, so a later failure is not blamed on this one).
[[noreturn]] void throwOpenSslError(const std::string& what);

}  // namespace crow::host
