#include "crypto/sodium_runtime.hpp"

#include "crypto/crypto_error.hpp"

#include <sodium.h>

namespace crow::host {

void ensureSodiumInitialized() {
  // A function-local static is initialised exactly once even under concurrent first calls.
  static const bool initialized = sodium_init() >= 0;  // 1 = already initialised, also fine
  if (!initialized) throw CryptoError("libsodium failed to initialise");
}

}  // namespace crow::host
