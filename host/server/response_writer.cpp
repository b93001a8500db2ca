#include "server/response_writer.hpp"

#include "util/json_text.hpp"

#include <Poco/Net/HTTPServerResponse.h>

#include <algorithm>
#include <ostream>
#include <cctype>

namespace crow::host {

namespace {

bool iequals(std::string_view a, std::string_view b) noexcept {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

bool isTokenChar(unsigned char c) noexcept {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  switch (c) {
    case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+':
    case '-': case '.': case '^': case '_': case '`': case '|': case '~':
      return true;
    default:
      return false;
  }
}

// A header a handler may send: a token name, a value without line breaks (header injection), and
// not one of the framing headers the server owns.
bool sendable(const std::string& name, const std::string& value) noexcept {
  if (name.empty()) return false;
  for (unsigned char c : name)
    if (!isTokenChar(c)) return false;
  for (unsigned char c : value)
    if (c == '\r' || c == '\n' || c == '\0') return false;
  return !iequals(name, "content-length") && !iequals(name, "transfer-encoding") && !iequals(name, "connection") &&
         !iequals(name, "x-request-id");
}

int validStatus(int status) noexcept { return status >= 100 && status <= 599 ? status : 500; }

}  // namespace

void renderApiError(const crow::ApiError& error, crow::Response& response) {
  response = crow::Response{};
  response.status = validStatus(error.status());
  response.headers = error.headers();
  if (!error.emptyBody()) {
    response.body = jsonError(error.code(), error.message());
    response.contentType = "application/json";
  }
}

void renderEmpty(crow::Response& response, int status) {
  response = crow::Response{};
  response.status = status;
}

long long writeResponse(const crow::Response& response, std::string_view requestId,
                        Poco::Net::HTTPServerResponse& out, bool flush) noexcept {
  try {
    out.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(validStatus(response.status)));
    for (const auto& [name, value] : response.headers)
      if (sendable(name, value)) out.add(name, value);
    if (!response.contentType.empty() && sendable("Content-Type", response.contentType))
      out.setContentType(response.contentType);
    out.set("X-Request-Id", std::string(requestId));
    if (flush) {
      out.setContentLength64(static_cast<Poco::Int64>(response.body.size()));
      std::ostream& stream = out.send();
      stream.write(response.body.data(), static_cast<std::streamsize>(response.body.size()));
      stream.flush();
    } else {
      out.sendBuffer(response.body.data(), response.body.size());
    }
    return static_cast<long long>(response.body.size());
  } catch (...) {
    out.setKeepAlive(false);
    return 0;
  }
}

}  // namespace crow::host
