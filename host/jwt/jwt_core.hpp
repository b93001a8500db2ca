// jwt/jwt_core.hpp - Better Auth's jwt plugin, built into the host: GET /token, GET /jwks, the
// set-auth-jwt header on get-session, and key rotation.
#pragma once

#include "auth/row_json.hpp"
#include "auth/session_service.hpp"
#include "config/app_config.hpp"

#include "crow/context.hpp"
#include "crow/schema.hpp"
#include "crow/tokens.hpp"

#include <memory>

namespace crow::host {

class JwtCore {
 public:
  JwtCore(const AppConfig& config, std::shared_ptr<const SchemaCatalog> catalog, SessionService& sessions);
  ~JwtCore();
  /// The tables the JWT core needs beyond the core schema's `jwks`: `crow_lock`, the one-row
  /// lock that keeps concurrent instances from creating several keys. Declare it as owner
  /// "core", together with declareCoreSchema.
  static void declareSchema(crow::SchemaBuilder& schema);
  /// Reads `auth.jwt`, makes sure a signing key exists (exactly one on a fresh database, even
  /// with several instances starting at once), registers /token, /jwks and the get-session hook.
  void init(crow::InitContext& context);
  /// `crow-auth jwks rotate` (after init): adds a new current key and rebuilds the cached JWKS
  /// document; older keys stay published for the grace period. Returns the new key id.
  std::string rotate();
  /// Signs plugin tokens with the current key (crow::TokenSigner); nullptr when auth.jwt is off.
  /// Valid after init, for the life of the JwtCore.
  crow::TokenSigner* tokenSigner() noexcept;

  /// Defined in jwt_core.cpp; public only so that file's helpers can name it.
  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace crow::host
