// crow/sessions.hpp - who is calling: the session a request carries, as the core resolves it.
//
// Plugin routes that act for a signed-in user (organizations, API keys) ask here instead of
// reading cookies: the core owns the cookie format, bearer tokens and expiry. There is no cache,
// so a change to a session row (say activeOrganizationId, written through the Store) shows on the
// very next request.
#pragma once

#include "crow/http.hpp"
#include "crow/store.hpp"

#include <optional>

namespace crow {

/// A session row and its user row, as get-session returns them (Better Auth's field names).
struct CurrentSession {
  Row session;
  Row user;
};

class Sessions {
 public:
  virtual ~Sessions();
  /// The request's session: the signed session cookie, else `Authorization: Bearer`. nullopt for
  /// none, a bad signature, an unknown token or an expired session. Never refreshes or writes.
  virtual std::optional<CurrentSession> current(const Request& request) = 0;
  /// current(), or throws ApiError 401 `{"code":"UNAUTHORIZED","message":"Unauthorized"}`.
  virtual CurrentSession require(const Request& request) = 0;
};

}  // namespace crow
