// services/service_target.hpp - one outbound service as the host knows it: the SDK's
// ServiceEndpoint (name, url) plus the key it presents, which never reaches a plugin.
#pragma once

#include "crow/context.hpp"

#include <string>

namespace crow::host {

struct ServiceTarget {
  std::string name;    ///< "notification", "user", ...
  std::string url;     ///< absolute http(s) URL without a trailing slash
  std::string apiKey;  ///< sent as X-Service-API-Key; empty sends none. Never log it.

  /// What a plugin may see of it.
  crow::ServiceEndpoint endpoint() const { return {name, url}; }
};

}  // namespace crow::host
