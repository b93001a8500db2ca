// outbox/delivery_result.hpp - what one delivery attempt came to, and how an HTTP status maps to it.
#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace crow::host {

struct DeliveryResult {
  enum class Kind {
    Delivered,  ///< 2xx
    Retry,      ///< 5xx, 408, 425, 429, 3xx, timeouts, connection errors
    Dead,       ///< any other 4xx: the receiver refuses this message, sending it again cannot help
  };
  Kind kind = Kind::Retry;
  /// Short and free of secrets: "HTTP 503", "connection refused", "timeout". Never the body.
  std::string reason;
  /// From a Retry-After header in seconds, when the receiver sent one.
  std::optional<std::chrono::milliseconds> retryAfter;
};

/// 2xx -> Delivered; 408, 425, 429, 5xx and 3xx (redirects are not followed; a wrong URL is an
/// operator's fix, so the message waits for it) -> Retry; other 4xx and anything else -> Dead.
DeliveryResult classifyHttpStatus(int status, const std::string& reasonPhrase = {});

/// Seconds from a Retry-After header ("120"); nullopt for an HTTP date or anything unparseable.
std::optional<std::chrono::milliseconds> parseRetryAfter(const std::string& header);

}  // namespace crow::host
