// auth/core_auth.hpp - the authentication core: Better Auth's email-and-password routes and
// sessions, registered like a plugin (owner "core") but built into the host.
#pragma once

#include "auth/row_json.hpp"
#include "auth/session_service.hpp"
#include "config/app_config.hpp"

#include "crow/context.hpp"

#include <memory>

namespace crow::host {

class CoreAuth {
 public:
  /// `catalog` is the merged schema (for serialising user/session rows with plugin fields).
  CoreAuth(const AppConfig& config, std::shared_ptr<const SchemaCatalog> catalog);
  ~CoreAuth();
  /// Reads `auth:` (context.config()), registers the core routes and hooks.
  void init(crow::InitContext& context);
  /// Stops background work.
  void shutdown() noexcept;
  /// Valid after init: for the JWT routes and plugins that need the caller's session.
  SessionService& sessions();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace crow::host
