// Reads a request body into memory, never more than the configured limit.
#pragma once

#include <cstddef>
#include <string>

namespace Poco::Net {
class HTTPServerRequest;
}

namespace crow::host {

enum class BodyStatus {
  Ok,
  TooLarge,   ///< declared or streamed size over the limit (413); the rest was not read
  Malformed,  ///< negative Content-Length or broken chunked framing (400)
  Truncated,  ///< the client went away (or stalled past the timeout) before the declared length
};

/// Fills `out`. A declared Content-Length over `maxBytes` is refused before reading anything;
/// a chunked body is read until it passes `maxBytes`. A request with neither has no body (HTTP/1.1
/// does not allow reading to the end of a keep-alive connection).
BodyStatus readRequestBody(Poco::Net::HTTPServerRequest& request, std::size_t maxBytes, std::string& out);

/// For a connection about to close with a body left unread: stops sending and discards what the
/// client is still sending, for at most `budgetMs` and `maxBytes`. Closing with unread input makes
/// the kernel send a reset, which can destroy the 413 the client has not read yet (the same
/// "lingering close" nginx does). Call after the response has been flushed.
void lingerBeforeClose(Poco::Net::HTTPServerRequest& request, int budgetMs, std::size_t maxBytes) noexcept;

}  // namespace crow::host
