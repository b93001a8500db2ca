// Turns a crow::Response (or an error) into bytes on a Poco connection.
#pragma once

#include "crow/error.hpp"
#include "crow/http.hpp"

#include <string_view>

namespace Poco::Net {
class HTTPServerResponse;
}

namespace crow::host {

/// Replaces `response` with the rendering of `error`: its status, its headers, and
/// `{"message","code"}` (or `{"message"}` without a code, or nothing when it asks for no body).
void renderApiError(const crow::ApiError& error, crow::Response& response);

/// Replaces `response` with a bare status: no body, no Content-Type (404, 500).
void renderEmpty(crow::Response& response, int status);

/// Writes status, headers, `X-Request-Id`, Content-Type (when set) and the body with its
/// Content-Length, in one buffered send. Headers holding CR/LF or hop-by-hop headers a handler
/// must not set (Content-Length, Transfer-Encoding, Connection) are dropped. Returns the body size.
/// Network errors are swallowed: the peer is gone and the connection will close.
/// With `flush`, the bytes are on the socket when this returns (before a lingering close);
/// otherwise Poco flushes them when the request ends.
long long writeResponse(const crow::Response& response, std::string_view requestId,
                        Poco::Net::HTTPServerResponse& out, bool flush = false) noexcept;

}  // namespace crow::host
