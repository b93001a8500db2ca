// guard.cpp - the request.before hook that stands in front of the protected paths.
#include "error_codes.hpp"
#include "protected_paths.hpp"
#include "service_auth.hpp"

#include <crow/error.hpp>
#include <crow/hooks.hpp>

#include <memory>
#include <optional>
#include <string>

namespace service_auth {

namespace {

constexpr size_t kMaxLoggedPath = 256;

}  // namespace

void registerGuard(crow::InitContext& context, const Options& options) {
  auto paths = std::make_shared<const ProtectedPaths>(options.protect, context.settings().basePath);
  crow::Logger& logger = context.logger();  // host-owned, outlives the plugin
  // The host keeps the context for the life of the process; it holds the keys (inboundKeys:) and
  // compares them in constant time, so no key ever lives in this plugin.
  const crow::InitContext* keys = &context;

  // No pathPrefix: the host compares prefixes on the path as sent, so the guard matches a
  // normalised path itself (protected_paths.hpp) and sees every spelling of a protected path.
  context.onRequest(
      crow::HookPoint::RequestBefore,
      [keys, paths, &logger](crow::Request& request, crow::Response&) {
        if (!paths->covers(request.rawPath)) return;
        // A client must not be able to pass a caller name of its own to later hooks.
        request.attributes.erase(kCallerAttribute);
        const std::string* presented = request.header(kKeyHeader);
        const std::optional<std::string> caller =
            presented ? keys->inboundCaller(*presented) : std::optional<std::string>();
        if (!caller) {
          // Never the key itself: a wrong key is often a right key of another environment.
          logger.warn("service key rejected", {{"reason", presented ? "invalid" : "missing"},
                                               {"client", request.clientAddress},
                                               {"path", request.rawPath.substr(0, kMaxLoggedPath)},
                                               {"request_id", request.requestId}});
          throw crow::ApiError(401, presented ? errors::INVALID_SERVICE_KEY : errors::MISSING_SERVICE_KEY);
        }
        request.attributes[kCallerAttribute] = *caller;
        if (logger.enabled(crow::LogLevel::Debug))
          logger.debug("service caller accepted", {{"caller", *caller},
                                                   {"path", request.rawPath.substr(0, kMaxLoggedPath)},
                                                   {"request_id", request.requestId}});
      },
      {.priority = kHookPriority, .pathPrefix = {}});
}

}  // namespace service_auth
