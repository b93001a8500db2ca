#include "auth/session_service.hpp"

#include "auth/error_codes.hpp"
#include "crypto/random.hpp"
#include "crypto/signed_cookie.hpp"

#include "crow/error.hpp"

#include <algorithm>

namespace crow::host {

namespace {

constexpr int64_t kDontRememberSessionS = 86400;  // Better Auth: one day, whatever expiresIn says

// Better Auth's cookie parser strips surrounding double quotes.
std::string_view unquote(std::string_view v) {
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') return v.substr(1, v.size() - 2);
  return v;
}

bool iequalsPrefix(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    char a = text[i], b = prefix[i];
    if (a >= 'A' && a <= 'Z') a = static_cast<char>(a - 'A' + 'a');
    if (a != b) return false;
  }
  return true;
}

// Merges `name` into Access-Control-Expose-Headers, as the bearer and jwt plugins do.
void exposeHeader(crow::Response& response, std::string_view name) {
  const std::string* existing = response.header("access-control-expose-headers");
  std::string value = existing ? *existing : std::string();
  size_t start = 0;
  while (start < value.size()) {
    size_t end = value.find(',', start);
    if (end == std::string::npos) end = value.size();
    std::string_view part(value.data() + start, end - start);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
    if (part == name) return;
    start = end + 1;
  }
  if (!value.empty()) value += ", ";
  value += name;
  response.setHeader("Access-Control-Expose-Headers", value);
}

}  // namespace

SessionService::SessionService(crow::Store& store, const crow::Clock& clock, std::string secret, SessionOptions options)
    : store_(store), clock_(clock), secret_(std::move(secret)), options_(std::move(options)) {}

std::string SessionService::cookieName(std::string_view name) const {
  std::string out;
  out.reserve(16 + options_.cookiePrefix.size() + name.size());
  if (options_.secureCookies) out += "__Secure-";
  out += options_.cookiePrefix;
  out += '.';
  out += name;
  return out;
}

SessionLookup SessionService::resolve(const crow::Request& request) {
  SessionLookup lookup;
  std::optional<std::string> token;
  if (auto cookie = request.cookie(cookieName("session_token"))) {
    lookup.hadCredential = true;
    token = verifySignedCookie(unquote(*cookie), secret_);
  } else if (options_.bearer) {
    const std::string* auth = request.header("authorization");
    if (auth && iequalsPrefix(*auth, "bearer ")) {
      std::string_view value(*auth);
      value.remove_prefix(7);
      while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
      while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
      lookup.hadCredential = true;
      // A raw token is signed on the fly by Better Auth's bearer plugin, which amounts to taking it
      // as it is; a signed one (plain or URL-encoded) must verify.
      if (value.find('.') == std::string_view::npos && value.find('%') == std::string_view::npos) {
        if (!value.empty()) token = std::string(value);
      } else {
        token = verifySignedCookie(value, secret_);
      }
    }
  }
  if (auto remember = request.cookie(cookieName("dont_remember"))) {
    auto v = verifySignedCookie(unquote(*remember), secret_);
    lookup.dontRemember = v && *v == "true";
  }
  if (!lookup.hadCredential && !sources_.empty()) return fromSources(request, std::move(lookup));
  if (!token || token->empty() || token->size() > 256) return lookup;

  // One statement for the session and its user: get-session is the hottest route there is.
  std::optional<crow::JoinedRow> found =
      store_.findOneJoined("session", {crow::eq("token", *token)}, "userId", "user");
  if (!found) {
    // A session whose user is gone is no session; nothing else to learn here.
    return lookup;
  }
  const auto expiresAt = crow::asTimestamp(crow::field(found->row, "expiresAt"));
  if (!expiresAt || *expiresAt < clock_.now()) {
    store_.remove("session", {crow::eq("token", *token)});
    lookup.expired = true;
    return lookup;
  }
  lookup.found = SessionWithUser{std::move(found->row), std::move(found->joined)};
  return lookup;
}

void SessionService::addSource(std::string name, crow::SessionSource source) {
  sources_.emplace_back(std::move(name), std::move(source));
}

SessionLookup SessionService::fromSources(const crow::Request& request, SessionLookup lookup) {
  for (const auto& [name, source] : sources_) {
    std::optional<crow::CurrentSession> found = source(request);
    if (!found) continue;
    lookup.found = SessionWithUser{std::move(found->session), std::move(found->user)};
    lookup.source = name;
    return lookup;
  }
  return lookup;
}

SessionWithUser SessionService::require(const crow::Request& request) {
  SessionLookup lookup = resolve(request);
  if (!lookup.found) throw crow::ApiError(401, auth_errors::kUnauthorized);
  return std::move(*lookup.found);
}

crow::Row SessionService::create(const std::string& userId, const crow::Request& request, bool rememberMe) {
  const crow::Timestamp now = clock_.now();
  const int64_t lifetimeS = rememberMe ? options_.expiresInS : kDontRememberSessionS;
  const std::string* userAgent = request.header("user-agent");
  crow::Row row{
      {"id", randomId(32)},
      {"expiresAt", crow::Timestamp{now.epochMs + lifetimeS * 1000}},
      {"token", randomId(32)},
      {"createdAt", now},
      {"updatedAt", now},
      {"ipAddress", request.clientAddress},
      {"userAgent", userAgent ? *userAgent : std::string()},
      {"userId", userId},
  };
  crow::Row stored = store_.create("session", row);
  // The backend returns what it wrote; keep any column it filled and ours for the rest.
  for (auto& [k, v] : row)
    if (!stored.count(k)) stored.emplace(k, v);
  return stored;
}

bool SessionService::refreshIfDue(crow::Row& session) {
  if (options_.disableRefresh) return false;
  const auto expiresAt = crow::asTimestamp(crow::field(session, "expiresAt"));
  const auto id = crow::asString(crow::field(session, "id"));
  if (!expiresAt || !id) return false;
  const crow::Timestamp now = clock_.now();
  // Due when a full updateAge has passed since the expiry was last set (Better Auth §2.4).
  if (expiresAt->epochMs - options_.expiresInS * 1000 + options_.updateAgeS * 1000 > now.epochMs) return false;
  crow::Row patch{{"expiresAt", crow::Timestamp{now.epochMs + options_.expiresInS * 1000}}, {"updatedAt", now}};
  if (!store_.update("session", {crow::eq("id", *id)}, patch)) return false;
  for (auto& [k, v] : patch) session[k] = v;
  return true;
}

void SessionService::setSessionCookie(crow::Response& response, const std::string& token, bool dontRemember) const {
  crow::CookieOptions attributes;
  attributes.secure = options_.secureCookies;
  if (!dontRemember) attributes.maxAge = options_.expiresInS;
  const std::string signedValue = signCookieValue(token, secret_);
  response.addHeader("Set-Cookie",
                     crow::formatSetCookie(cookieName("session_token"), encodeCookieValue(signedValue), attributes));
  if (dontRemember) {
    crow::CookieOptions rememberAttributes;
    rememberAttributes.secure = options_.secureCookies;
    response.addHeader("Set-Cookie", crow::formatSetCookie(cookieName("dont_remember"),
                                                           encodeCookieValue(signCookieValue("true", secret_)),
                                                           rememberAttributes));
  }
  if (options_.bearer) {
    response.setHeader("set-auth-token", signedValue);
    exposeHeader(response, "set-auth-token");
  }
}

void SessionService::clearSessionCookies(crow::Response& response) const {
  crow::CookieOptions expired;
  expired.maxAge = 0;
  expired.secure = options_.secureCookies;
  for (std::string_view name : {"session_token", "session_data", "dont_remember"})
    response.addHeader("Set-Cookie", crow::formatSetCookie(cookieName(name), "", expired));
}

void SessionService::revoke(const std::string& token) { store_.remove("session", {crow::eq("token", token)}); }

void SessionService::revokeAllForUser(const std::string& userId, const std::string& exceptToken) {
  std::vector<crow::Where> where{crow::eq("userId", userId)};
  if (!exceptToken.empty()) where.push_back(crow::Where{"token", crow::Op::Ne, exceptToken, {}, crow::Connector::And});
  store_.remove("session", where);
}

std::vector<crow::Row> SessionService::listForUser(const std::string& userId) {
  crow::FindOptions find;
  find.where = {crow::eq("userId", userId)};
  std::vector<crow::Row> rows = store_.findMany("session", find);
  const crow::Timestamp now = clock_.now();
  std::erase_if(rows, [&](const crow::Row& r) {
    auto expiresAt = crow::asTimestamp(crow::field(r, "expiresAt"));
    return !expiresAt || *expiresAt <= now;
  });
  return rows;
}

}  // namespace crow::host
