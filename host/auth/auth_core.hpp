// auth/auth_core.hpp - what the core routes share (internal to host/auth): options, services,
// the schema of the user and session tables, and the small helpers every route file needs.
#pragma once

#include "auth/auth_options.hpp"
#include "auth/origin_check.hpp"
#include "auth/row_json.hpp"
#include "auth/session_service.hpp"
#include "crypto/password_hasher.hpp"

#include "crow/context.hpp"
#include "crow/log.hpp"
#include "crow/store.hpp"

#include <Poco/JSON/Object.h>

#include <memory>
#include <optional>
#include <set>
#include <string>

namespace crow::host {

struct AuthCore {
  AuthOptions options;
  std::string secret;
  /// baseURL + basePath ("http://localhost:3000/api/v1/auth"): the root of every emailed link.
  std::string authBaseURL;
  /// The origin of baseURL: relative redirects are resolved against it.
  std::string baseOrigin;
  /// Emails (verification, reset) need the notification service.
  bool emailEnabled = false;

  crow::Store* store = nullptr;
  const crow::Clock* clock = nullptr;
  crow::Logger* logger = nullptr;
  std::shared_ptr<const SchemaCatalog> catalog;
  const crow::TableDecl* userTable = nullptr;
  const crow::TableDecl* sessionTable = nullptr;
  std::unique_ptr<SessionService> sessions;
  std::unique_ptr<PasswordHasher> hasher;
  std::unique_ptr<TrustedOrigins> origins;

  /// `user` / `session` rows as Better Auth serialises them.
  std::string userJson(const crow::Row& user) const;
  std::string sessionJson(const crow::Row& session) const;

  std::optional<crow::Row> findUserByEmail(crow::Store& s, const std::string& email) const;
  std::optional<crow::Row> findUserById(crow::Store& s, const std::string& id) const;
  /// The `credential` account of a user (providerId "credential", accountId = user id).
  std::optional<crow::Row> findCredentialAccount(crow::Store& s, const std::string& userId) const;

  /// Better Auth's parseUserInput over the declared user fields: a field clients may not set
  /// (input: false) that is given a truthy value is 400 FIELD_NOT_ALLOWED "<key> is not allowed
  /// to be set" (on create, fields with a default are silently reset); other declared fields are
  /// taken; unknown keys are ignored. `skip` lists keys the route handles itself.
  crow::Row parseUserInput(const Poco::JSON::Object::Ptr& body, const std::set<std::string>& skip, bool create) const;

  /// 400 PASSWORD_TOO_SHORT / PASSWORD_TOO_LONG by JavaScript string length, checked before any
  /// hashing (a 1 MB password never reaches scrypt).
  void checkNewPasswordLength(const std::string& password) const;
  /// PasswordHasher::hash; a password that is not valid UTF-8 is 400 INVALID_PASSWORD.
  std::string hashPassword(const std::string& password) const;

  /// Writes the email to the outbox through `s` (pass the transaction's store).
  void enqueueVerificationEmail(crow::Store& s, const crow::Row& user, const std::string& callbackURL) const;
  void enqueuePasswordResetEmail(crow::Store& s, const crow::Row& user, const std::string& token,
                                 const std::string& redirectTo) const;

  /// An absolute URL for a trusted redirect target (relative paths resolved against baseOrigin).
  std::string absoluteRedirect(const std::string& url) const;
};

/// Sends `body` (already JSON) with Content-Type application/json.
void sendJson(crow::Response& response, std::string body, int status = 200);
/// A 302 to `location` with Better Auth's empty JSON body.
void sendRedirect(crow::Response& response, const std::string& location);

void registerEmailPasswordRoutes(crow::InitContext& context, AuthCore& core);
void registerSessionRoutes(crow::InitContext& context, AuthCore& core);
void registerUserRoutes(crow::InitContext& context, AuthCore& core);
void registerPasswordResetRoutes(crow::InitContext& context, AuthCore& core);
void registerEmailVerificationRoutes(crow::InitContext& context, AuthCore& core);

}  // namespace crow::host
