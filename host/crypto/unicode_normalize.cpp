#include "crypto/unicode_normalize.hpp"

#include "crypto/crypto_error.hpp"

#include <utf8proc.h>

#include <cstdlib>
#include <memory>

namespace crow::host {

bool isValidUtf8(std::string_view text) {
  const auto* bytes = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
  utf8proc_ssize_t remaining = static_cast<utf8proc_ssize_t>(text.size());
  while (remaining > 0) {
    utf8proc_int32_t codepoint = 0;
    const utf8proc_ssize_t used = utf8proc_iterate(bytes, remaining, &codepoint);
    if (used <= 0 || codepoint < 0) return false;
    bytes += used;
    remaining -= used;
  }
  return true;
}

std::optional<std::string> normalizeNfkc(std::string_view text) {
  // Checked first so "invalid input" and "allocation failure" are told apart reliably.
  if (!isValidUtf8(text)) return std::nullopt;
  utf8proc_uint8_t* mapped = nullptr;
  const utf8proc_ssize_t length =
      utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(text.data()),
                   static_cast<utf8proc_ssize_t>(text.size()), &mapped,
                   static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT));
  std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> owner(mapped, &std::free);
  if (length == UTF8PROC_ERROR_INVALIDUTF8 || length == UTF8PROC_ERROR_NOTASSIGNED) return std::nullopt;
  if (length < 0) throw CryptoError(std::string("NFKC normalisation failed: ") + utf8proc_errmsg(length));
  return std::string(reinterpret_cast<const char*>(mapped), static_cast<std::size_t>(length));
}

}  // namespace crow::host
