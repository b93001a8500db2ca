#include "options.hpp"

namespace service_auth {

Options Options::read(const crow::ConfigNode& config) {
  // The plugin's first version took `callers:` here; say where the keys went instead of only
  // "unknown key".
  if (config.has("callers"))
    config.fail("callers", "callers and their keys are the top-level inboundKeys: block now "
                           "(SERVICE_API_KEY_GATEWAY, SERVICE_API_KEY_WEB_INGEST); remove callers: here");
  config.allowOnly({"protect"});
  Options options;
  if (auto protect = config.getStringList("protect")) {
    options.protect.clear();
    for (const std::string& prefix : *protect) {
      if (prefix.empty() || prefix.front() != '/' || prefix.find_first_of("?#") != std::string::npos)
        config.fail("protect", "\"" + prefix + "\" is not a path prefix (like \"/api-key/verify\")");
      options.protect.push_back(prefix);
    }
    if (options.protect.empty()) config.fail("protect", "protects nothing; list at least one path prefix");
  }
  return options;
}

}  // namespace service_auth
