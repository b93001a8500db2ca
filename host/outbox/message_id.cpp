#include "outbox/message_id.hpp"

#include "crypto/random.hpp"

#include <atomic>
#include <cstdio>

namespace crow::host {

std::string newOutboxMessageId(crow::Timestamp now) {
  static std::atomic<uint32_t> sequence{0};
  const uint32_t n = sequence.fetch_add(1, std::memory_order_relaxed) & 0xFFFFFFu;
  const auto ms = static_cast<unsigned long long>(now.epochMs < 0 ? 0 : now.epochMs) & 0xFFFFFFFFFFFFull;
  char prefix[19];
  std::snprintf(prefix, sizeof prefix, "%012llx%06x", ms, n);
  return std::string(prefix, 18) + randomId(14);
}

}  // namespace crow::host
