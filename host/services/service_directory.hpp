// services/service_directory.hpp - one HostServiceClient per configured service, built once at
// start-up and shared by every plugin (InitContext::serviceClient).
#pragma once

#include "services/host_service_client.hpp"

#include <map>
#include <memory>
#include <string>
#include <string_view>

namespace crow::host {

class ServiceDirectory {
 public:
  /// A client for each target with a url. Throws crow::ConfigError naming the service when its
  /// url cannot be called (an https url in a build without NetSSL).
  explicit ServiceDirectory(const std::map<std::string, ServiceTarget>& targets);

  /// The client, or nullptr when `name` is not a configured service.
  crow::ServiceClient* find(std::string_view name) const noexcept;

 private:
  std::map<std::string, std::unique_ptr<HostServiceClient>, std::less<>> clients_;
};

}  // namespace crow::host
