#include "outbox/http_delivery.hpp"

#include <stdexcept>

namespace crow::host {

namespace {

// The ignored answer of a receiver is read up to this much so the connection can carry the next
// message; a larger one costs the connection (the status is already known).
constexpr std::size_t kMaxDrainedBody = 1 << 20;

}  // namespace

HttpDelivery::HttpDelivery(std::chrono::milliseconds timeout) : timeout_(timeout) {}
HttpDelivery::~HttpDelivery() = default;

DeliveryResult HttpDelivery::post(const ServiceTarget& service, const ClaimedMessage& message) {
  auto& connections = connections_[service.name];
  try {
    if (!connections || connections->target().url != service.url || connections->target().apiKey != service.apiKey)
      connections = std::make_unique<ServiceConnections>(service);
  } catch (const std::invalid_argument& e) {
    connections_.erase(service.name);
    return {DeliveryResult::Kind::Retry, e.what(), std::nullopt};
  }

  HttpCall call;
  call.method = "POST";
  call.path = message.path;
  call.body = message.payload;
  call.hasBody = true;
  call.timeout = timeout_;
  call.keepBody = false;
  call.maxBody = kMaxDrainedBody;
  if (!service.apiKey.empty()) call.headers.emplace_back("X-Service-API-Key", service.apiKey);
  call.headers.emplace_back("Idempotency-Key", message.idempotencyKey);
  call.headers.emplace_back("X-Event-Type", message.eventType);
  call.headers.emplace_back("User-Agent", "crow-auth-outbox");
  try {
    const HttpReply reply = connections->exchange(call);
    DeliveryResult result = classifyHttpStatus(reply.status, reply.reason);
    if (const std::string* retryAfter = reply.header("Retry-After")) result.retryAfter = parseRetryAfter(*retryAfter);
    return result;
  } catch (const NetworkError& e) {
    return {DeliveryResult::Kind::Retry, e.what(), std::nullopt};
  } catch (const std::exception&) {
    return {DeliveryResult::Kind::Retry, "delivery error", std::nullopt};
  }
}

}  // namespace crow::host
