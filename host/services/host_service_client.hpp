// services/host_service_client.hpp - the crow::ServiceClient plugins get: one configured service,
// its key added to every request, over the shared ServiceConnections.
#pragma once

#include "services/service_connections.hpp"

#include "crow/services.hpp"

namespace crow::host {

class HostServiceClient final : public crow::ServiceClient {
 public:
  /// Throws std::invalid_argument for a URL ServiceConnections cannot call.
  explicit HostServiceClient(ServiceTarget target);

  const std::string& name() const noexcept override { return connections_.target().name; }
  /// Throws std::invalid_argument for an X-Service-API-Key header or a header name or value
  /// holding CR, LF or NUL (request splitting); crow::ServiceUnavailable for a NetworkError.
  crow::ServiceResponse send(crow::Method method, const std::string& path, const std::string& jsonBody,
                             const std::vector<std::pair<std::string, std::string>>& headers,
                             std::chrono::milliseconds timeout) override;

 private:
  ServiceConnections connections_;
};

}  // namespace crow::host
