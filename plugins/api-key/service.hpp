// service.hpp - what the route handlers, the session source and the plugin share.
#pragma once

#include "options.hpp"
#include "system_token_cache.hpp"
#include "usage_batcher.hpp"
#include "verifier.hpp"
#include "verify_cache.hpp"

#include <crow/context.hpp>
#include <crow/sessions.hpp>
#include <crow/store.hpp>
#include <crow/tokens.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace apikey {

inline constexpr const char* kPluginId = "api-key";
inline constexpr const char* kPluginVersion = "1.0.0";

struct Service {
  crow::Store& store;
  const crow::Clock& clock;
  crow::Sessions& sessions;
  crow::Logger& logger;
  crow::TokenSigner* signer;  ///< nullptr when the core's JWT is off
  Options options;
  /// Whether the `member` table exists (the organization plugin is loaded).
  bool organizationsAvailable = false;
  std::unique_ptr<UsageBatcher> usage = nullptr;
  std::unique_ptr<VerifyCache> verifyCache = nullptr;
  std::unique_ptr<Verifier> verifier = nullptr;
  std::unique_ptr<SystemTokenCache> systemTokens = std::make_unique<SystemTokenCache>();
  /// The host's inbound-key check (InitContext::inboundCaller), for verify's own guard.
  std::function<std::optional<std::string>(std::string_view)> inboundCaller = nullptr;
};

/// Better Auth's ids: 32 random characters of [A-Za-z0-9].
std::string newId();

/// The organization a key belongs to: its metadata's `organizationId`, if any.
std::optional<std::string> organizationOf(const crow::Row& key);

/// Throws unless `userId` is a member of `organizationId` whose role may take `action` (create,
/// read, update, delete) on the organization's keys: 400 ORGANIZATION_PLUGIN_REQUIRED without the
/// organization plugin, 403 USER_NOT_MEMBER_OF_ORGANIZATION, 403 INSUFFICIENT_API_KEY_PERMISSIONS.
void requireOrganizationAccess(const Service& service, const std::string& userId, const std::string& organizationId,
                               const std::string& action);

void registerLifecycleRoutes(crow::InitContext& context, Service& service);
void registerVerifyRoutes(crow::InitContext& context, Service& service);
void registerSessionSource(crow::InitContext& context, Service& service);

}  // namespace apikey
