// plugin.cpp - the service-auth plugin's class and its export.
#include "service_auth.hpp"

#include <crow/plugin.hpp>

#include <string>

namespace service_auth {

class ServiceAuthPlugin final : public crow::Plugin {
 public:
  void init(crow::InitContext& context) override {
    const Options options = Options::read(context.config());
    registerGuard(context, options);
    std::string paths;
    for (const std::string& prefix : options.protect) paths += (paths.empty() ? "" : ",") + prefix;
    // Which callers may pass is the host's inboundKeys: (its start-up lines report unset ones).
    context.logger().info("service-auth ready", {{"protect", paths}});
  }
};

}  // namespace service_auth

CROW_PLUGIN(service_auth::ServiceAuthPlugin, service_auth::kPluginId, service_auth::kPluginVersion)
