// crypto/signed_cookie.hpp - Better Auth's (better-call's) HMAC-signed cookie values.
//
//   signed  = token + "." + base64std(HMAC-SHA256(key = UTF-8 secret, message = token))   (44-char signature)
//   on wire = encodeURIComponent(signed)
//
// The session_token, dont_remember and OAuth state cookies use it; the bearer plugin's
// `set-auth-token` header carries the decoded `signed` form. Only the current secret signs and
// verifies (Better Auth has no multi-secret fallback for cookies).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace crow::host {

/// `token + "." + base64std(HMAC-SHA256(secret, token))`: the decoded signed value (the form in
/// `set-auth-token`). Pass it through encodeCookieValue before putting it in Set-Cookie.
std::string signCookieValue(std::string_view token, std::string_view secret);

/// encodeURIComponent of a signed value: `+`, `/`, `=` of the signature become %2B %2F %3D.
std::string encodeCookieValue(std::string_view signedValue);

/// Checks a signed value as received (from a Cookie header or a bearer token) and returns the
/// token it carries, or nullopt when it is not a valid signature under `secret`:
///  - URL-decoded first when it contains '%' (a malformed escape is a failure);
///  - split at the LAST '.'; the token before it must be non-empty;
///  - the signature must be exactly 44 characters ending in '=' (as better-call requires);
///  - the signature is compared with the expected one in constant time. The comparison is on
///    the canonical base64 text, so a non-canonical spelling of the same 32 bytes (different
///    unused bits in the last character) is rejected, where better-call's atob would accept it.
std::optional<std::string> verifySignedCookie(std::string_view valueAsReceived, std::string_view secret);

}  // namespace crow::host
