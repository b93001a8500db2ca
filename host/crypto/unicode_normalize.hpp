// crypto/unicode_normalize.hpp - UTF-8 validation and NFKC normalisation (libutf8proc).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace crow::host {

/// True when `text` is well-formed UTF-8 (no overlong forms, no surrogates, nothing above
/// U+10FFFF). Embedded NUL characters are allowed.
bool isValidUtf8(std::string_view text);

/// Unicode NFKC of UTF-8 `text`, as JavaScript's `text.normalize("NFKC")`: fullwidth letters
/// become ASCII, U+212B ANGSTROM SIGN becomes U+00C5, ligatures are split. nullopt when `text`
/// is not valid UTF-8. Embedded NULs are kept (the input length is explicit, never strlen).
/// Throws CryptoError only if utf8proc cannot allocate.
std::optional<std::string> normalizeNfkc(std::string_view text);

}  // namespace crow::host
