// blocklist.hpp - what the plugin's source files share (not part of any public API).
#pragma once

#include "domain_matcher.hpp"

#include <crow/hooks.hpp>
#include <crow/log.hpp>
#include <crow/store.hpp>

#include <functional>
#include <memory>
#include <string>

namespace email_domain_blocklist {

/// The plugin's id and version, as exported by CROW_PLUGIN.
inline constexpr const char* kPluginId = "email-domain-blocklist";
inline constexpr const char* kPluginVersion = "1.0.0";

/// The data hooks run after other plugins' before-hooks at the same point (priority ascending),
/// so they judge the email as it will be stored, even if another hook rewrote it.
inline constexpr int kHookPriority = 1000;

/// Throws ApiError 400 EMAIL_DOMAIN_NOT_ALLOWED when `row` (a new user, or a user patch) carries
/// an email the policy refuses. A row without an email, or with a NULL one, passes: it names no
/// domain. An email that is not text is refused.
void enforcePolicy(const DomainPolicy& policy, const crow::Row& row);

/// Registers a data hook: InitContext::onData, or a test's recorder.
using DataHookRegistrar = std::function<void(crow::HookPoint, const std::string& table, crow::DataHook, int priority)>;

/// Registers user.create and user.update before-hooks that call enforcePolicy and log each
/// refusal (the domain, never the address) to `logger`, which must outlive the hooks.
void registerHooks(const DataHookRegistrar& onData, crow::Logger& logger,
                   std::shared_ptr<const DomainPolicy> policy);  // hooks.cpp

}  // namespace email_domain_blocklist
