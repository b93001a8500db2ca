// auth/session_service.hpp - Better Auth's sessions: the signed cookie, bearer tokens, sliding
// expiry. Every route that needs "who is calling" goes through resolve().
#pragma once

#include "crow/context.hpp"
#include "crow/http.hpp"
#include "crow/sessions.hpp"
#include "crow/store.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace crow::host {

/// `auth.session` in YAML; defaults are Better Auth's.
struct SessionOptions {
  int64_t expiresInS = 604800;  ///< 7 days
  int64_t updateAgeS = 86400;   ///< refresh at most once a day
  int64_t freshAgeS = 86400;    ///< list-sessions needs a session younger than this
  bool disableRefresh = false;
  std::string cookiePrefix = "better-auth";
  /// `__Secure-` names and the Secure attribute; true when baseURL is https.
  bool secureCookies = false;
  /// Better Auth's bearer plugin: accept `Authorization: Bearer`, send `set-auth-token`.
  bool bearer = true;
};

/// A session row with its user row, as get-session returns them.
struct SessionWithUser {
  crow::Row session;
  crow::Row user;
};

/// What a request's credentials turned out to be.
struct SessionLookup {
  std::optional<SessionWithUser> found;
  /// A session cookie or bearer header was present (valid or not): get-session clears a bad one.
  bool hadCredential = false;
  /// The request carries a valid `dont_remember` cookie: such sessions are never extended.
  bool dontRemember = false;
  /// The token named a session that had expired (it was deleted).
  bool expired = false;
  /// Empty for a stored session; else the name of the plugin source (crow::SessionSource) that
  /// made this one up from another credential. Such sessions are never refreshed.
  std::string source;
};

class SessionService {
 public:
  SessionService(crow::Store& store, const crow::Clock& clock, std::string secret, SessionOptions options);

  /// Finds the session the request carries: the signed `session_token` cookie, else (with bearer)
  /// `Authorization: Bearer <token>` (raw token, signed value, or its URL-encoded form). A bad
  /// signature, unknown token or expired session gives no session. One indexed query for the
  /// session and one for its user (or one join): this is the gateway's hot path.
  SessionLookup resolve(const crow::Request& request);
  /// Adds a plugin's session source, asked when there is no cookie and no bearer token. Only
  /// before serving: the list is read without a lock.
  void addSource(std::string name, crow::SessionSource source);

  /// resolve() or 401 `{"message":"Unauthorized","code":"UNAUTHORIZED"}`.
  SessionWithUser require(const crow::Request& request);

  /// Inserts a session for the user: 32-character token, expiresAt now+expiresIn (or +1 day when
  /// !rememberMe), ipAddress and userAgent from the request ("" when absent).
  crow::Row create(const std::string& userId, const crow::Request& request, bool rememberMe);
  /// Sliding expiry: when updateAge has passed since the last extension, sets expiresAt to
  /// now+expiresIn and updatedAt to now, in the row and the database. Returns true if it did.
  bool refreshIfDue(crow::Row& session);

  /// Set-Cookie for the session token (Max-Age=expiresIn, or a session cookie plus the signed
  /// `dont_remember` cookie), and with bearer on, `set-auth-token` + Access-Control-Expose-Headers.
  void setSessionCookie(crow::Response& response, const std::string& token, bool dontRemember) const;
  /// Expires session_token, session_data and dont_remember (Max-Age=0), in Better Auth's order.
  void clearSessionCookies(crow::Response& response) const;
  /// The full cookie name: `[__Secure-]<prefix>.<name>`.
  std::string cookieName(std::string_view name) const;

  void revoke(const std::string& token);
  void revokeAllForUser(const std::string& userId, const std::string& exceptToken = {});
  std::vector<crow::Row> listForUser(const std::string& userId);

  const SessionOptions& options() const noexcept { return options_; }

 private:
  crow::Store& store_;
  const crow::Clock& clock_;
  std::string secret_;
  SessionOptions options_;
  std::vector<std::pair<std::string, crow::SessionSource>> sources_;

  SessionLookup fromSources(const crow::Request& request, SessionLookup lookup);
};

}  // namespace crow::host
