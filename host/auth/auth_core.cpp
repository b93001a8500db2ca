#include "auth/auth_core.hpp"

#include "auth/email_token.hpp"
#include "auth/error_codes.hpp"
#include "auth/validation.hpp"
#include "crypto/crypto_error.hpp"
#include "crypto/encoding.hpp"
#include "outbox/outbox.hpp"

#include "crow/error.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Stringifier.h>

#include <sstream>

namespace crow::host {

namespace {

crow::Value toValue(const Poco::Dynamic::Var& v) {
  if (v.isEmpty()) return std::monostate{};
  if (v.isString()) return v.extract<std::string>();
  if (v.isBoolean()) return v.extract<bool>();
  if (v.isInteger()) return static_cast<int64_t>(v.convert<Poco::Int64>());
  if (v.isNumeric()) return v.convert<double>();
  std::ostringstream out;
  Poco::JSON::Stringifier::condense(v, out);
  return out.str();
}

Poco::JSON::Object::Ptr emailUser(const crow::Row& user) {
  Poco::JSON::Object::Ptr out = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  out->set("id", crow::asString(crow::field(user, "id")).value_or(""));
  out->set("name", crow::asString(crow::field(user, "name")).value_or(""));
  out->set("email", crow::asString(crow::field(user, "email")).value_or(""));
  return out;
}

}  // namespace

void sendJson(crow::Response& response, std::string body, int status) {
  response.status = status;
  response.contentType = "application/json";
  response.body = std::move(body);
}

void sendRedirect(crow::Response& response, const std::string& location) {
  response.status = 302;
  response.contentType = "application/json";
  response.body.clear();
  response.setHeader("Location", location);
}

std::string AuthCore::userJson(const crow::Row& user) const {
  std::string out;
  out.reserve(256);
  appendRowJson(out, *userTable, user);
  return out;
}

std::string AuthCore::sessionJson(const crow::Row& session) const {
  std::string out;
  out.reserve(384);
  appendRowJson(out, *sessionTable, session);
  return out;
}

std::optional<crow::Row> AuthCore::findUserByEmail(crow::Store& s, const std::string& email) const {
  return s.findOne("user", {crow::eq("email", lowerAscii(email))});
}

std::optional<crow::Row> AuthCore::findUserById(crow::Store& s, const std::string& id) const {
  return s.findOne("user", {crow::eq("id", id)});
}

std::optional<crow::Row> AuthCore::findCredentialAccount(crow::Store& s, const std::string& userId) const {
  return s.findOne("account", {crow::eq("userId", userId), crow::eq("providerId", std::string("credential"))});
}

crow::Row AuthCore::parseUserInput(const Poco::JSON::Object::Ptr& body, const std::set<std::string>& skip,
                                   bool create) const {
  crow::Row out;
  if (!body) return out;
  for (const auto& f : userTable->fields) {
    if (f.name == "id" || skip.count(f.name) || !body->has(f.name)) continue;
    const Poco::Dynamic::Var value = body->get(f.name);
    if (!f.input) {
      // Better Auth resets such a field to its default on create; createdAt/updatedAt have a
      // generated default there, so they are ignored the same way.
      if (create && (f.defaultValue || f.name == "createdAt" || f.name == "updatedAt")) continue;
      if (isJsTruthy(value))
        throw crow::ApiError(400, std::string(auth_errors::kFieldNotAllowed.code), f.name + " is not allowed to be set");
      continue;
    }
    out[f.name] = toValue(value);
  }
  return out;
}

void AuthCore::checkNewPasswordLength(const std::string& password) const {
  const size_t length = utf16Length(password);
  if (length < static_cast<size_t>(options.emailAndPassword.minPasswordLength))
    throw crow::ApiError(400, auth_errors::kPasswordTooShort);
  if (length > static_cast<size_t>(options.emailAndPassword.maxPasswordLength))
    throw crow::ApiError(400, auth_errors::kPasswordTooLong);
}

std::string AuthCore::hashPassword(const std::string& password) const {
  try {
    return hasher->hash(password);
  } catch (const CryptoError&) {
    throw crow::ApiError(400, auth_errors::kInvalidPassword);
  }
}

void AuthCore::enqueueVerificationEmail(crow::Store& s, const crow::Row& user, const std::string& callbackURL) const {
  const std::string email = crow::asString(crow::field(user, "email")).value_or("");
  const std::string userId = crow::asString(crow::field(user, "id")).value_or("");
  const std::string token =
      signEmailVerificationToken(secret, lowerAscii(email), userId, clock->now(), options.emailVerification.expiresInS);
  // Built from the configured base URL, never from the request's Host.
  const std::string url = authBaseURL + "/verify-email?token=" + token +
                          "&callbackURL=" + urlComponentEncode(callbackURL.empty() ? "/" : callbackURL);
  Poco::JSON::Object::Ptr payload = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  payload->set("type", "verify-email");
  payload->set("to", email);
  payload->set("url", url);
  payload->set("token", token);
  payload->set("user", emailUser(user));
  enqueue(s, *clock, OutboxMessage{"notification", "/v1/emails", userId, "email.verification", payload, {}});
}

void AuthCore::enqueuePasswordResetEmail(crow::Store& s, const crow::Row& user, const std::string& token,
                                         const std::string& redirectTo) const {
  const std::string email = crow::asString(crow::field(user, "email")).value_or("");
  const std::string userId = crow::asString(crow::field(user, "id")).value_or("");
  const std::string url = authBaseURL + "/reset-password/" + token +
                          "?callbackURL=" + (redirectTo.empty() ? std::string() : urlComponentEncode(redirectTo));
  Poco::JSON::Object::Ptr payload = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  payload->set("type", "reset-password");
  payload->set("to", email);
  payload->set("url", url);
  payload->set("token", token);
  payload->set("user", emailUser(user));
  enqueue(s, *clock, OutboxMessage{"notification", "/v1/emails", userId, "email.password-reset", payload, {}});
}

std::string AuthCore::absoluteRedirect(const std::string& url) const {
  if (url.starts_with("/")) return baseOrigin + url;
  return url;
}

}  // namespace crow::host
