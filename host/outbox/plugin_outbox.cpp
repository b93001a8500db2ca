#include "outbox/plugin_outbox.hpp"

#include "outbox/outbox.hpp"

#include <Poco/Exception.h>
#include <Poco/JSON/Parser.h>

#include <stdexcept>

namespace crow::host {

namespace {

// Parsed here before it is stored (as given): a message whose payload is not a JSON object would
// be refused by its receiver on every attempt; better to fail the plugin's write now.
void checkPayloadObject(const std::string& json) {
  if (json.empty()) return;  // enqueue() stores "{}"
  Poco::Dynamic::Var parsed;
  try {
    parsed = Poco::JSON::Parser().parse(json);
  } catch (const Poco::Exception&) {
    throw std::invalid_argument("outbox message payloadJson is not valid JSON");
  }
  if (parsed.type() != typeid(Poco::JSON::Object::Ptr))
    throw std::invalid_argument("outbox message payloadJson must be a JSON object");
}

}  // namespace

std::string PluginOutbox::enqueue(crow::Store& store, const crow::OutboundMessage& message) {
  OutboxMessage entry;
  entry.destination = message.service;
  entry.path = message.path;
  entry.aggregateId = message.aggregateId;
  entry.eventType = message.eventType;
  entry.idempotencyKey = message.idempotencyKey;
  checkPayloadObject(message.payloadJson);
  return crow::host::enqueueJson(store, clock_, entry, message.payloadJson);
}

}  // namespace crow::host
