#include "auth/core_auth.hpp"

#include "auth/auth_core.hpp"
#include "auth/origin_check.hpp"

#include "crow/error.hpp"

namespace crow::host {

struct CoreAuth::Impl {
  const AppConfig& config;
  std::shared_ptr<const SchemaCatalog> catalog;
  AuthCore core;
};

CoreAuth::CoreAuth(const AppConfig& config, std::shared_ptr<const SchemaCatalog> catalog)
    : impl_(std::make_unique<Impl>(Impl{config, std::move(catalog), {}})) {}

CoreAuth::~CoreAuth() = default;

void CoreAuth::init(crow::InitContext& context) {
  AuthCore& core = impl_->core;
  const AppConfig& config = impl_->config;
  core.options = readAuthOptions(context.config(), config.baseURL);
  core.secret = config.secret;
  std::string basePath = config.basePath;
  while (!basePath.empty() && basePath.back() == '/') basePath.pop_back();
  core.authBaseURL = config.baseURL + basePath;
  core.baseOrigin = httpOriginOf(config.baseURL).value_or(config.baseURL);
  core.emailEnabled = context.service("notification").has_value();
  core.store = &context.store();
  core.clock = &context.clock();
  core.logger = &context.logger();
  core.catalog = impl_->catalog;
  core.userTable = core.catalog ? core.catalog->find("user") : nullptr;
  core.sessionTable = core.catalog ? core.catalog->find("session") : nullptr;
  if (!core.userTable || !core.sessionTable)
    throw crow::ConfigError("auth core: the merged schema has no user or session table");
  core.sessions = std::make_unique<SessionService>(context.store(), context.clock(), config.secret, core.options.session);
  const std::size_t concurrency = core.options.emailAndPassword.hashConcurrency;
  core.hasher = std::make_unique<PasswordHasher>(concurrency ? concurrency : PasswordHasher::defaultConcurrency());
  core.origins = std::make_unique<TrustedOrigins>(config.baseURL, config.trustedOrigins);

  // Better Auth's router-wide origin check: every non-GET request with cookies, every callback
  // URL in a body. Priority 50: after request hooks that must see everything first (rate limits).
  const TrustedOrigins* origins = core.origins.get();
  context.onRequest(
      crow::HookPoint::RequestBefore,
      [origins](crow::Request& request, crow::Response&) { checkRequestOriginAndUrls(request, *origins); },
      crow::RequestHookOptions{50, ""});

  registerEmailPasswordRoutes(context, core);
  registerSessionRoutes(context, core);
  registerUserRoutes(context, core);
  registerPasswordResetRoutes(context, core);
  registerEmailVerificationRoutes(context, core);
  if (!core.emailEnabled)
    core.logger->info("no notification service configured: password reset and verification emails are off");
}

void CoreAuth::shutdown() noexcept {}

SessionService& CoreAuth::sessions() {
  if (!impl_->core.sessions) throw std::logic_error("CoreAuth::sessions() called before init()");
  return *impl_->core.sessions;
}

}  // namespace crow::host
