// crypto/sodium_runtime.hpp - libsodium's one-time initialisation.
#pragma once

namespace crow::host {

/// Calls sodium_init() once per process (thread-safe; later calls are free). Every function in
/// this library that uses libsodium calls it first, so callers never have to.
/// Throws CryptoError if libsodium cannot initialise.
void ensureSodiumInitialized();

}  // namespace crow::host
