// outbox/plugin_outbox.hpp - the crow::Outbox plugins get (InitContext::outbox): their
// OutboundMessage, with its payload as JSON text, written through enqueue().
#pragma once

#include "crow/context.hpp"
#include "crow/services.hpp"

namespace crow::host {

class PluginOutbox final : public crow::Outbox {
 public:
  explicit PluginOutbox(const crow::Clock& clock) : clock_(clock) {}
  /// Throws std::invalid_argument when service or eventType is empty or payloadJson is not a
  /// JSON object.
  std::string enqueue(crow::Store& store, const crow::OutboundMessage& message) override;

 private:
  const crow::Clock& clock_;
};

}  // namespace crow::host
