#include "outbox/delivery_result.hpp"

#include <cctype>

namespace crow::host {

DeliveryResult classifyHttpStatus(int status, const std::string& reasonPhrase) {
  DeliveryResult result;
  result.reason = "HTTP " + std::to_string(status);
  if (!reasonPhrase.empty()) result.reason += " " + reasonPhrase.substr(0, 64);
  if (status >= 200 && status < 300) {
    result.kind = DeliveryResult::Kind::Delivered;
  } else if (status >= 500 || status == 408 || status == 425 || status == 429) {
    result.kind = DeliveryResult::Kind::Retry;
  } else if (status >= 300 && status < 400) {
    result.kind = DeliveryResult::Kind::Retry;
    result.reason += " (redirects are not followed)";
  } else {
    result.kind = DeliveryResult::Kind::Dead;
  }
  return result;
}

std::optional<std::chrono::milliseconds> parseRetryAfter(const std::string& header) {
  if (header.empty() || header.size() > 9) return std::nullopt;
  long long seconds = 0;
  for (char c : header) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
    seconds = seconds * 10 + (c - '0');
  }
  return std::chrono::milliseconds(seconds * 1000);
}

}  // namespace crow::host
