// auth/origin_check.hpp - Better Auth's origin and redirect checks (CONTRACT.md §9).
//
// Two questions: is this origin one we trust (the Origin/Referer of a request that carries
// cookies), and is this URL a safe place to send a browser (callbackURL, redirectTo, ...)? Both
// answer "no" to anything ambiguous: a URL that one parser reads as ours and a browser reads as
// someone else's (userinfo, backslashes, encoded separators, control characters, whitespace,
// non-ASCII hosts) is refused rather than interpreted.
#pragma once

#include "crow/http.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crow::host {

/// "http(s)://host[:port]" of an absolute http(s) URL (scheme and host lower-cased, default port
/// dropped), or nullopt for anything else or anything ambiguous (userinfo, '\', '%' or
/// non-ASCII in the authority, control characters or whitespace anywhere, a bad port).
std::optional<std::string> httpOriginOf(std::string_view url);

/// A root-relative path that stays on our origin in every browser: starts with one '/', no '\',
/// no control characters or whitespace, no %2F / %5C before the query.
bool isSafeRelativeUrl(std::string_view url);

/// Appends `name=value` (value URL-encoded) to a URL before its fragment, as Better Auth's
/// appendQueryParams / searchParams.set do for redirects.
std::string appendQueryParam(std::string_view url, std::string_view name, std::string_view value);

/// The trusted origins: the origin of baseURL plus `trustedOrigins` entries (exact http(s)
/// origins, `*`/`?` wildcard patterns such as "https://*.example.com" or "*.example.com", and
/// app schemes such as "myapp://callback").
class TrustedOrigins {
 public:
  TrustedOrigins(const std::string& baseURL, const std::vector<std::string>& patterns);

  /// An absolute URL whose origin matches a trusted pattern.
  bool isTrusted(std::string_view url) const;
  /// isTrusted, or a safe root-relative path.
  bool isTrustedRedirect(std::string_view url) const;

  const std::vector<std::string>& patterns() const noexcept { return patterns_; }

 private:
  std::vector<std::string> patterns_;
};

/// Better Auth's validateOrigin: for a request carrying a Cookie header (or always, when
/// `force`), Origin (else Referer) must be present, not "null" and trusted. Throws 403
/// MISSING_OR_NULL_ORIGIN / INVALID_ORIGIN.
void validateRequestOrigin(const crow::Request& request, const TrustedOrigins& origins, bool force);

/// Better Auth's formCsrfMiddleware (sign-in and sign-up): with cookies, validateRequestOrigin;
/// else with Fetch Metadata, a cross-site navigation is refused (403
/// CROSS_SITE_NAVIGATION_LOGIN_BLOCKED) and anything else must pass the forced origin check; else
/// an Origin or Referer that is sent must be trusted.
void validateFormCsrf(const crow::Request& request, const TrustedOrigins& origins);

/// Better Auth's router-wide originCheckMiddleware for a non-GET request: validateRequestOrigin,
/// then body.callbackURL (or ?callbackURL), body.redirectTo, body.errorCallbackURL and
/// body.newUserCallbackURL must be trusted or safe relative paths (403 INVALID_CALLBACK_URL,
/// INVALID_REDIRECT_URL, INVALID_ERROR_CALLBACK_URL, INVALID_NEW_USER_CALLBACK_URL; a non-string
/// value is 400 "Invalid <label>: expected a string"). A body that does not parse is left to the
/// route, which reports it.
void checkRequestOriginAndUrls(const crow::Request& request, const TrustedOrigins& origins);

/// A callbackURL given in a GET route's query (verify-email, reset-password/:token): absent or
/// trusted, else 403 INVALID_CALLBACK_URL.
void requireTrustedCallback(const std::optional<std::string>& callbackURL, const TrustedOrigins& origins);

}  // namespace crow::host
