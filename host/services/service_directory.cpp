#include "services/service_directory.hpp"

#include "crow/error.hpp"

namespace crow::host {

ServiceDirectory::ServiceDirectory(const std::map<std::string, ServiceTarget>& targets) {
  for (const auto& [name, target] : targets) {
    if (target.url.empty()) continue;
    try {
      clients_.emplace(name, std::make_unique<HostServiceClient>(target));
    } catch (const std::invalid_argument& e) {
      throw crow::ConfigError(std::string("services.") + name + ".url: " + e.what());
    }
  }
}

crow::ServiceClient* ServiceDirectory::find(std::string_view name) const noexcept {
  auto it = clients_.find(name);
  return it == clients_.end() ? nullptr : it->second.get();
}

}  // namespace crow::host
