#include "outbox/plugin_outbox.hpp"

#include "outbox/outbox.hpp"

#include <Poco/Exception.h>
#include <Poco/JSON/Parser.h>

#include <stdexcept>

namespace crow::host {

namespace {

// Parsed here rather than stored as given: a message whose payload is not a JSON object would be
// refused by its receiver on every attempt; better to fail the plugin's write now.
Poco::JSON::Object::Ptr payloadObject(const std::string& json) {
  if (json.empty()) return nullptr;  // enqueue() stores "{}"
  Poco::Dynamic::Var parsed;
  try {
    parsed = Poco::JSON::Parser().parse(json);
  } catch (const Poco::Exception&) {
    throw std::invalid_argument("outbox message payloadJson is not valid JSON");
  }
  if (parsed.type() != typeid(Poco::JSON::Object::Ptr))
    throw std::invalid_argument("outbox message payloadJson must be a JSON object");
  return parsed.extract<Poco::JSON::Object::Ptr>();
}

}  // namespace

std::string PluginOutbox::enqueue(crow::Store& store, const crow::OutboundMessage& message) {
  OutboxMessage entry;
  entry.destination = message.service;
  entry.path = message.path;
  entry.aggregateId = message.aggregateId;
  entry.eventType = message.eventType;
  entry.payload = payloadObject(message.payloadJson);
  entry.idempotencyKey = message.idempotencyKey;
  return crow::host::enqueue(store, clock_, entry);
}

}  // namespace crow::host
