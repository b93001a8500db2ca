// crow/http.hpp - the request and response a route handler or request hook sees.
//
// These are plain SDK types (no Poco::Net) so plugins do not depend on the host's HTTP stack.
#pragma once

#include <Poco/JSON/Object.h>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace crow {

/// HTTP methods a route can be registered for.
enum class Method : uint8_t { Get = 1, Post = 2, Put = 3, Patch = 4, Delete = 5 };

/// "GET", "POST", ... for a Method; parseMethod returns nullopt for anything else.
std::string_view methodName(Method m) noexcept;
std::optional<Method> parseMethod(std::string_view name) noexcept;

/// An incoming request. Header names are stored lower-case; lookups ignore case.
class Request {
 public:
  Method method = Method::Get;
  /// The path below the base path ("/sign-in/email"); for routes outside it, the full path.
  std::string path;
  /// The path exactly as the client sent it, with the query string removed.
  std::string rawPath;
  /// The raw query string without the leading '?'.
  std::string queryString;
  /// Path parameters captured by the router (":token" in "/reset-password/:token").
  std::map<std::string, std::string> params;
  /// Header (lower-case name, value) pairs in the order received.
  std::vector<std::pair<std::string, std::string>> headers;
  /// The body as received (already bounded by the host's size limit).
  std::string body;
  /// The client's address as the host resolved it (socket peer, or X-Forwarded-For past trusted
  /// proxies only).
  std::string clientAddress;
  /// The id the host gave this request; it is also sent back as `X-Request-Id`.
  std::string requestId;
  /// Per-request values that hooks and handlers pass to each other (for example a resolved
  /// session id). Keys are namespaced by convention: "<plugin-id>.<name>".
  std::map<std::string, std::string> attributes;

  /// The first header of that name, or nullptr.
  const std::string* header(std::string_view name) const noexcept;
  /// A query parameter, URL-decoded, or nullopt.
  std::optional<std::string> query(std::string_view name) const;
  /// A cookie value as sent (not URL-decoded), or nullopt.
  std::optional<std::string> cookie(std::string_view name) const;
  /// The media type of Content-Type, lower-case, without parameters ("application/json").
  std::string mediaType() const;

  /// The body as a JSON object. Throws ApiError in Better Auth's shape: 400 VALIDATION_ERROR when
  /// there is no Content-Type, 415 UNSUPPORTED_MEDIA_TYPE for a type other than JSON (or form data
  /// when `allowForm`), 400 BAD_REQUEST for invalid JSON, 400 BODY_MUST_BE_AN_OBJECT for a
  /// non-object. Form bodies become an object of strings. Parsed once, then cached.
  Poco::JSON::Object::Ptr json(bool allowForm = false) const;
  /// The body as a JSON object for a hook that only looks (JSON or form data, whatever the route
  /// accepts), or nullptr when it is neither or unreadable; never throws. A JSON parse is shared
  /// with json(); a form parse is not cached, so a JSON-only route still answers its 415.
  Poco::JSON::Object::Ptr peekBody() const noexcept;

 private:
  mutable Poco::JSON::Object::Ptr parsedJson_;
};

/// What a handler sends back. The host adds `X-Request-Id`, `Content-Length` and keep-alive.
class Response {
 public:
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  /// Empty means no Content-Type header (Better Auth's 404 has none).
  std::string contentType;

  /// Sets a header, replacing any earlier one of the same name (case-insensitive).
  void setHeader(std::string name, std::string value);
  /// Adds a header even if one of the same name exists (for Set-Cookie).
  void addHeader(std::string name, std::string value);
  /// The first header of that name, or nullptr.
  const std::string* header(std::string_view name) const noexcept;

  /// Sends a JSON object, array or `null` with Content-Type application/json.
  void json(const Poco::Dynamic::Var& value, int status = 200);
  /// Sends a plain text body.
  void text(std::string body, int status = 200, std::string contentType = "text/plain; charset=utf-8");
};

/// Attributes of a Set-Cookie header.
struct CookieOptions {
  std::optional<long long> maxAge;  ///< seconds; nullopt makes a session cookie
  std::string path = "/";
  bool httpOnly = true;
  bool secure = false;
  std::string sameSite = "Lax";
  std::string domain;
};

/// Renders `name=value; Max-Age=..; Path=..; HttpOnly; SameSite=..` (value sent as given).
std::string formatSetCookie(std::string_view name, std::string_view value, const CookieOptions& options);

}  // namespace crow
