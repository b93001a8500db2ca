// crypto/encoding.hpp - the text encodings Better Auth's formats use: hex, base64 (standard,
// padded), base64url (no padding) and encodeURIComponent.
//
// Encoders take and return byte strings (std::string holds arbitrary bytes). Decoders are strict
// and return std::nullopt instead of guessing: a value that reaches us in a cookie, header or
// token is attacker-controlled, and two different texts must never decode to the same bytes.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace crow::host {

/// Lowercase hex, two characters per byte (Node's `toString("hex")`).
std::string hexEncode(std::string_view bytes);
/// Hex of either case; nullopt on odd length or any non-hex character.
std::optional<std::string> hexDecode(std::string_view hex);

/// Standard alphabet (A-Z a-z 0-9 + /) with `=` padding, as `btoa`/`Buffer.toString("base64")`.
std::string base64Encode(std::string_view bytes);
/// Strict inverse of base64Encode: length a multiple of 4, `=` only as final padding, no
/// whitespace, no URL-safe characters, unused trailing bits zero. Otherwise nullopt.
std::optional<std::string> base64Decode(std::string_view text);

/// URL-safe alphabet (- and _ instead of + and /) without padding (JOSE's base64url).
std::string base64UrlEncode(std::string_view bytes);
/// Strict inverse of base64UrlEncode: no `=`, no `+`/`/`, no whitespace, length mod 4 != 1,
/// unused trailing bits zero. Otherwise nullopt.
std::optional<std::string> base64UrlDecode(std::string_view text);

/// JavaScript's encodeURIComponent over UTF-8 bytes: keeps A-Z a-z 0-9 - _ . ! ~ * ' ( ) and
/// writes every other byte as %XX (uppercase hex). Used for cookie values.
std::string urlComponentEncode(std::string_view bytes);
/// JavaScript's decodeURIComponent: %XX becomes the byte (`+` stays `+`). nullopt where
/// JavaScript throws URIError: a `%` not followed by two hex digits, or a result that is not
/// valid UTF-8.
std::optional<std::string> urlComponentDecode(std::string_view text);

}  // namespace crow::host
