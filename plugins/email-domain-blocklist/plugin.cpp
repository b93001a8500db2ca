// plugin.cpp - the email-domain-blocklist plugin's class and its export.
#include "blocklist.hpp"
#include "options.hpp"

#include <crow/plugin.hpp>

namespace email_domain_blocklist {

class EmailDomainBlocklistPlugin final : public crow::Plugin {
 public:
  void init(crow::InitContext& context) override {
    const Options options = Options::read(context.config());
    auto policy = std::make_shared<const DomainPolicy>(buildPolicy(options, context.config()));
    if (policy->blocked.size() == 0)
      context.logger().warn("no domain is blocked: useDefaultList is false and no block entries or blockFile are given");
    context.logger().info("email domain blocklist ready",
                          {{"blocked", std::to_string(policy->blocked.size())},
                           {"allowed", std::to_string(policy->allowed.size())},
                           {"blockFile", options.blockFile.value_or("")}});
    registerHooks([&context](crow::HookPoint point, const std::string& table, crow::DataHook hook,
                             int priority) { context.onData(point, table, std::move(hook), priority); },
                  context.logger(), std::move(policy));
  }
};

}  // namespace email_domain_blocklist

// No tables and no dependencies: the hooks sit on the core's `user` table.
CROW_PLUGIN(email_domain_blocklist::EmailDomainBlocklistPlugin, email_domain_blocklist::kPluginId,
            email_domain_blocklist::kPluginVersion)
