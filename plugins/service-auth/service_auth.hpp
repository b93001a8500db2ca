// service_auth.hpp - what the service-auth plugin's source files share (not a public API).
#pragma once

#include "options.hpp"

#include <crow/context.hpp>

namespace service_auth {

inline constexpr const char* kPluginId = "service-auth";
inline constexpr const char* kPluginVersion = "2.0.0";

/// The request header a calling service presents its key in.
inline constexpr const char* kKeyHeader = "x-service-api-key";
/// The request attribute naming the accepted caller ("gateway"), for later hooks and handlers.
inline constexpr const char* kCallerAttribute = "service-auth.caller";
/// Before every other request.before hook of the same or higher priority: nothing runs for a
/// protected path before its caller is known.
inline constexpr int kHookPriority = -1000;

void registerGuard(crow::InitContext& context, const Options& options);  // guard.cpp

}  // namespace service_auth
