// outbox/http_delivery.hpp - one POST of one outbox message to its service.
//
//   POST <service url path><message path>
//   Content-Type: application/json
//   X-Service-API-Key: <service key>
//   Idempotency-Key: <message key>
//   X-Event-Type: <event type>
//
// The HTTP(S) work is services/ServiceConnections' (the one client the host has). Connections
// are kept alive for the life of one HttpDelivery, which the worker keeps for one pass: long
// enough to send a burst over one connection, short enough that a connection never goes stale
// between passes.
#pragma once

#include "outbox/claims.hpp"
#include "outbox/delivery_result.hpp"

#include "services/service_connections.hpp"
#include "services/service_target.hpp"

#include <chrono>
#include <map>
#include <memory>
#include <string>

namespace crow::host {

class HttpDelivery {
 public:
  explicit HttpDelivery(std::chrono::milliseconds timeout);
  ~HttpDelivery();
  HttpDelivery(const HttpDelivery&) = delete;
  HttpDelivery& operator=(const HttpDelivery&) = delete;

  /// Sends the message; never throws. The result's reason never holds the key or the payload.
  DeliveryResult post(const ServiceTarget& service, const ClaimedMessage& message);

  /// True when this build can deliver to https:// services.
  static bool supportsHttps() noexcept { return ServiceConnections::supportsHttps(); }

 private:
  std::chrono::milliseconds timeout_;
  std::map<std::string, std::unique_ptr<ServiceConnections>> connections_;  // by service name
};

}  // namespace crow::host
