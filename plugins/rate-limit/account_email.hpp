// account_email.hpp - which account a sign-in attempt is for, as a key that does not reveal it.
#pragma once

#include <crow/http.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace crow::rate_limit {

/// The account a sign-in request names: the `email` field of its JSON or form-urlencoded body,
/// ASCII lower-cased as the core looks the user up (host/auth: `lowerAscii`, no trimming: an
/// address with spaces is not a valid email and never reaches the password check). nullopt when
/// the body has no string `email` or cannot be read (the route then answers its own 400/415).
///
/// Leaves the request as the route expects it: a JSON body is parsed through Request::json(),
/// whose cache the route then reuses (the same result it would compute); a form body is parsed on
/// a copy, because a cached form parse would let a JSON-only route skip its media-type check.
std::optional<std::string> signInEmail(const crow::Request& request);

/// The lower-case hex SHA-256 of `identifier`: what the stores and the log hold instead of the
/// address.
std::string accountHash(std::string_view identifier);

}  // namespace crow::rate_limit
