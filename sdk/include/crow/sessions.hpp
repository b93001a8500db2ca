// crow/sessions.hpp - who is calling: the session a request carries, as the core resolves it.
//
// Plugin routes that act for a signed-in user (organizations, API keys) ask here instead of
// reading cookies: the core owns the cookie format, bearer tokens and expiry. There is no cache,
// so a change to a session row (say activeOrganizationId, written through the Store) shows on the
// very next request.
#pragma once

#include "crow/http.hpp"
#include "crow/store.hpp"

#include <functional>
#include <optional>
#include <string>

namespace crow {

/// A session row and its user row, as get-session returns them (Better Auth's field names).
struct CurrentSession {
  Row session;
  Row user;
};

/// Turns a credential other than the session cookie into a session: the API key plugin's
/// `x-api-key` header, for instance. The core asks each source, in the order they were added, only
/// when the request carries neither a session cookie nor a bearer token. Return nullopt when the
/// request has none of your credential; throw ApiError when it has one that is bad (the client
/// then gets that error rather than a null session). Nothing is stored: get-session shows the
/// session as returned but never refreshes it and sets no cookie and no set-auth-jwt header.
/// Sources run on the hot path of every authenticated request: keep them to one indexed lookup.
using SessionSource = std::function<std::optional<CurrentSession>(const Request&)>;

class Sessions {
 public:
  virtual ~Sessions();
  /// The request's session: the signed session cookie, else `Authorization: Bearer`. nullopt for
  /// none, a bad signature, an unknown token or an expired session. Never refreshes or writes.
  virtual std::optional<CurrentSession> current(const Request& request) = 0;
  /// current(), or throws ApiError 401 `{"code":"UNAUTHORIZED","message":"Unauthorized"}`.
  virtual CurrentSession require(const Request& request) = 0;
  /// Adds a session source (see SessionSource). Call it from Plugin::init only: sources are not
  /// added or removed while the server runs. `name` (your plugin id) shows in get-session's
  /// request attribute `core.sessionSource` for a session it produced.
  virtual void addSource(std::string name, SessionSource source) = 0;
};

}  // namespace crow
