#include "crypto/crypto_error.hpp"

#include <openssl/err.h>

namespace crow::host {

void throwOpenSslError(const std::string& what) {
  unsigned long code = ERR_get_error();
  std::string detail;
  if (code != 0) {
    char buffer[256];
    ERR_error_string_n(code, buffer, sizeof buffer);
    detail = std::string(": ") + buffer;
  }
  ERR_clear_error();
  throw CryptoError(what + detail);
}

}  // namespace crow::host
