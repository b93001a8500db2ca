// POST /sign-out, GET /get-session, GET /list-sessions, POST /revoke-session, /revoke-sessions,
// /revoke-other-sessions (CONTRACT.md §1.3, §1.4, §1.9, §2).
#include "auth/auth_core.hpp"
#include "auth/error_codes.hpp"
#include "auth/validation.hpp"

#include "crow/error.hpp"

namespace crow::host {

namespace {

using namespace auth_errors;

constexpr std::string_view kStatusTrue = R"({"status":true})";

void signOut(AuthCore& core, crow::Request& request, crow::Response& response) {
  SessionLookup lookup = core.sessions->resolve(request);
  if (lookup.found) core.sessions->revoke(crow::asString(lookup.found->session["token"]).value_or(""));
  core.sessions->clearSessionCookies(response);
  sendJson(response, R"({"success":true})");
}

void addNoStore(crow::Response& response) {
  response.setHeader("Cache-Control", "no-store");
  response.setHeader("Pragma", "no-cache");
}

// The hot path: verify the HMAC, one session lookup by token, one user lookup by id, and a write
// only when the sliding refresh is due.
void getSession(AuthCore& core, crow::Request& request, crow::Response& response) {
  addNoStore(response);
  // No cookie cache here: a session_data cookie is stale by definition and is cleared.
  const std::string dataCookie = core.sessions->cookieName("session_data");
  if (request.cookie(dataCookie)) {
    crow::CookieOptions expired;
    expired.maxAge = 0;
    expired.secure = core.options.session.secureCookies;
    response.addHeader("Set-Cookie", crow::formatSetCookie(dataCookie, "", expired));
  }
  SessionLookup lookup = core.sessions->resolve(request);
  if (!lookup.found) {
    // A tampered, unknown or expired credential: the browser should stop sending it.
    if (lookup.hadCredential || lookup.expired) core.sessions->clearSessionCookies(response);
    return sendJson(response, "null");
  }
  crow::Row& session = lookup.found->session;
  if (!lookup.source.empty()) {
    // A session a plugin made up (an API key): nothing to refresh, no cookie to set, and no
    // set-auth-jwt (the attribute tells the JWT hook). Better Auth sends these user first.
    request.attributes["core.sessionSource"] = lookup.source;
    std::string out;
    out.reserve(768);
    out += "{\"user\":";
    appendRowJson(out, *core.userTable, lookup.found->user);
    out += ",\"session\":";
    appendRowJson(out, *core.sessionTable, session);
    out += '}';
    return sendJson(response, std::move(out));
  }
  const std::optional<std::string> disableRefresh = request.query("disableRefresh");
  // z.coerce.boolean(): any non-empty value (even "false") means true.
  const bool skipRefresh = lookup.dontRemember || (disableRefresh && !disableRefresh->empty());
  if (!skipRefresh && core.sessions->refreshIfDue(session))
    core.sessions->setSessionCookie(response, crow::asString(session["token"]).value_or(""), false);

  std::string out;
  out.reserve(768);
  out += "{\"session\":";
  appendRowJson(out, *core.sessionTable, session);
  out += ",\"user\":";
  appendRowJson(out, *core.userTable, lookup.found->user);
  out += '}';
  sendJson(response, std::move(out));
}

void getSessionPost(crow::Request&, crow::Response&) {
  throw crow::ApiError(405, kMethodNotAllowedDeferSessionRequired)
      .withHeader("Cache-Control", "no-store")
      .withHeader("Pragma", "no-cache");
}

void listSessions(AuthCore& core, crow::Request& request, crow::Response& response) {
  SessionWithUser caller = core.sessions->require(request);
  const int64_t freshAgeS = core.options.session.freshAgeS;
  if (freshAgeS != 0) {
    const auto createdAt = crow::asTimestamp(caller.session["createdAt"]);
    if (!createdAt || core.clock->now().epochMs - createdAt->epochMs >= freshAgeS * 1000)
      throw crow::ApiError(403, kSessionNotFresh);
  }
  std::string out = "[";
  for (const auto& row : core.sessions->listForUser(crow::asString(caller.user["id"]).value_or(""))) {
    if (out.size() > 1) out += ',';
    appendRowJson(out, *core.sessionTable, row);
  }
  out += ']';
  sendJson(response, std::move(out));
}

void revokeSession(AuthCore& core, crow::Request& request, crow::Response& response) {
  SessionWithUser caller = core.sessions->require(request);
  BodyValidator v(request.json());
  auto token = v.requiredString("token");
  v.throwIfInvalid();
  // Only the caller's own sessions: another user's token is a silent no-op.
  auto target = core.store->findOne("session", {crow::eq("token", *token)});
  if (target && crow::asString((*target)["userId"]) == crow::asString(caller.user["id"]))
    core.sessions->revoke(*token);
  sendJson(response, std::string(kStatusTrue));
}

void revokeSessions(AuthCore& core, crow::Request& request, crow::Response& response) {
  SessionWithUser caller = core.sessions->require(request);
  core.sessions->revokeAllForUser(crow::asString(caller.user["id"]).value_or(""));
  sendJson(response, std::string(kStatusTrue));
}

void revokeOtherSessions(AuthCore& core, crow::Request& request, crow::Response& response) {
  SessionWithUser caller = core.sessions->require(request);
  core.sessions->revokeAllForUser(crow::asString(caller.user["id"]).value_or(""),
                                  crow::asString(caller.session["token"]).value_or(""));
  sendJson(response, std::string(kStatusTrue));
}

}  // namespace

void registerSessionRoutes(crow::InitContext& context, AuthCore& core) {
  auto bind = [&core](void (*fn)(AuthCore&, crow::Request&, crow::Response&)) {
    return [&core, fn](crow::Request& rq, crow::Response& rs) { fn(core, rq, rs); };
  };
  context.route(crow::Method::Post, "/sign-out", bind(signOut), {true, "end the caller's session"});
  context.route(crow::Method::Get, "/get-session", bind(getSession), {true, "the caller's session and user"});
  context.route(crow::Method::Post, "/get-session", getSessionPost, {true, "refused: deferSessionRefresh is off"});
  context.route(crow::Method::Get, "/list-sessions", bind(listSessions), {true, "the caller's active sessions"});
  context.route(crow::Method::Post, "/revoke-session", bind(revokeSession), {true, "end one of the caller's sessions"});
  context.route(crow::Method::Post, "/revoke-sessions", bind(revokeSessions), {true, "end all of the caller's sessions"});
  context.route(crow::Method::Post, "/revoke-other-sessions", bind(revokeOtherSessions),
                {true, "end the caller's other sessions"});
}

}  // namespace crow::host
