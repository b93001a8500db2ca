// The `outbox:` block: the delivery worker's pacing (see OutboxConfig).
#include "config/config_sections.hpp"

namespace crow::host::sections {

void readOutbox(const YamlConfigNode& root, LoadContext& context) {
  OutboxConfig& outbox = context.config.outbox;
  auto node = root.childNode("outbox");
  if (!node) return;
  node->allowOnly({"pollIntervalMs", "requestTimeoutMs", "maxAttempts", "initialBackoffMs", "maxBackoffMs", "leaseMs",
                   "batchSize", "deliveryLanes"});
  auto ms = [&](std::string_view key, int64_t min, int64_t max, int fallback) {
    return static_cast<int>(readIntInRange(*node, key, min, max, fallback));
  };
  outbox.pollIntervalMs = ms("pollIntervalMs", 1, 600000, outbox.pollIntervalMs);
  outbox.requestTimeoutMs = ms("requestTimeoutMs", 1, 600000, outbox.requestTimeoutMs);
  outbox.maxAttempts = ms("maxAttempts", 1, 1000, outbox.maxAttempts);
  outbox.initialBackoffMs = ms("initialBackoffMs", 1, 86400000, outbox.initialBackoffMs);
  outbox.maxBackoffMs = ms("maxBackoffMs", 1, 86400000, outbox.maxBackoffMs);
  outbox.leaseMs = ms("leaseMs", 1000, 86400000, outbox.leaseMs);
  outbox.batchSize = ms("batchSize", 1, 10000, outbox.batchSize);
  outbox.deliveryLanes = ms("deliveryLanes", 1, 64, outbox.deliveryLanes);
  if (outbox.maxBackoffMs < outbox.initialBackoffMs)
    node->fail(node->value("maxBackoffMs") ? "maxBackoffMs" : "initialBackoffMs",
               "maxBackoffMs (" + std::to_string(outbox.maxBackoffMs) + ") must not be below initialBackoffMs (" +
                   std::to_string(outbox.initialBackoffMs) + ")");
  // A lease shorter than a request would let a second worker send a message the first is still
  // waiting on: duplicates on every slow answer.
  if (outbox.leaseMs <= outbox.requestTimeoutMs)
    node->fail(node->value("leaseMs") ? "leaseMs" : "requestTimeoutMs",
               "leaseMs (" + std::to_string(outbox.leaseMs) + ") must be longer than requestTimeoutMs (" +
                   std::to_string(outbox.requestTimeoutMs) + ")");
}

}  // namespace crow::host::sections
