// Expectations the core-route HTTP tests share: the exact error body, the shapes of Better Auth's
// user and session objects and of its session cookie, and small readers of replies.
#pragma once

#include "auth_harness.hpp"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <regex>
#include <string>

namespace crow::test {

inline const std::string kSessionCookie = "better-auth.session_token";
inline const std::string kSecret = "test-secret-0123456789abcdefghijklmnopqrstuvwxyz";
inline const std::string kOrigin = "http://localhost:3000";

inline Poco::JSON::Object::Ptr object(const std::string& body) {
  Poco::JSON::Parser parser;
  return parser.parse(body).extract<Poco::JSON::Object::Ptr>();
}

inline std::string error(const std::string& code, const std::string& message) {
  return "{\"message\":\"" + message + "\",\"code\":\"" + code + "\"}";
}

// "name=value" of the session cookie a reply set, as a Cookie header value.
inline std::string sessionCookie(const HttpReply& reply) { return cookiePair(reply, kSessionCookie); }

inline std::string tokenOf(const HttpReply& reply) { return object(reply.body)->getValue<std::string>("token"); }

inline std::string header(const HttpReply& r, const std::string& name) {
  const std::string* v = r.header(name);
  return v ? *v : std::string("<absent>");
}

// The user object's keys in Better Auth's order, for a body that has one under "user".
inline const std::regex kUserShape(
    R"(\{"name":"[^"]*","email":"[^"]*","emailVerified":(true|false),"image":(null|"[^"]*"),)"
    R"("createdAt":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z","updatedAt":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z","id":"[A-Za-z0-9]{32}"\})");
inline const std::regex kSessionShape(
    R"(\{"expiresAt":"[^"]+","token":"[A-Za-z0-9]{32}","createdAt":"[^"]+","updatedAt":"[^"]+",)"
    R"("ipAddress":"[^"]*","userAgent":"[^"]*","userId":"[A-Za-z0-9]{32}","activeOrganizationId":null,"id":"[A-Za-z0-9]{32}"\})");
inline const std::regex kSessionSetCookie(
    R"(better-auth\.session_token=[A-Za-z0-9]{32}\.[A-Za-z0-9%]{44,60}; Max-Age=604800; Path=/; HttpOnly; SameSite=Lax)");

inline bool matches(const std::string& text, const std::regex& re) { return std::regex_match(text, re); }

}  // namespace crow::test
