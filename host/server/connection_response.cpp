#include "server/connection_response.hpp"

#include <Poco/Exception.h>
#include <Poco/NullStream.h>
#include <Poco/Net/SocketStream.h>

#include <string_view>

namespace crow::host {

ConnectionResponse::ConnectionResponse(Poco::Net::StreamSocket& socket) : socket_(socket) {}

ConnectionResponse::~ConnectionResponse() {
  try {
    if (stream_) stream_->flush();
  } catch (...) {
  }
}

std::string ConnectionResponse::head() const {
  std::string text;
  text.reserve(512);
  text.append(getVersion()).append(" ").append(std::to_string(static_cast<int>(getStatus()))).append(" ");
  text.append(getReason()).append("\r\n");
  for (const auto& [name, value] : *this) text.append(name).append(": ").append(value).append("\r\n");
  text.append("\r\n");
  return text;
}

bool ConnectionResponse::bodyAllowed() const noexcept {
  const int status = static_cast<int>(getStatus());
  return !omitBody_ && status >= 200 && status != HTTP_NO_CONTENT && status != HTTP_NOT_MODIFIED;
}

void ConnectionResponse::sendAll(const std::string& bytes) {
  // StreamSocket::sendBytes on a blocking socket returns once everything is sent (or throws).
  std::string_view rest(bytes);
  while (!rest.empty()) {
    const int n = socket_.sendBytes(rest.data(), static_cast<int>(rest.size()));
    if (n <= 0) throw Poco::IOException("connection closed while sending");
    rest.remove_prefix(static_cast<size_t>(n));
  }
}

void ConnectionResponse::sendContinue() { sendAll(getVersion() + " 100 Continue\r\n\r\n"); }

std::ostream& ConnectionResponse::send() {
  if (sent_) throw Poco::IllegalStateException("response already sent");
  setChunkedTransferEncoding(false);
  if (!hasContentLength()) setKeepAlive(false);
  sendAll(head());
  sent_ = true;
  if (bodyAllowed())
    stream_ = std::make_unique<Poco::Net::SocketOutputStream>(socket_);
  else
    stream_ = std::make_unique<Poco::NullOutputStream>();
  return *stream_;
}

void ConnectionResponse::sendBuffer(const void* buffer, std::size_t length) {
  if (sent_) throw Poco::IllegalStateException("response already sent");
  setChunkedTransferEncoding(false);
  setContentLength64(static_cast<Poco::Int64>(length));
  std::string bytes = head();
  if (bodyAllowed() && length > 0) bytes.append(static_cast<const char*>(buffer), length);
  sent_ = true;
  sendAll(bytes);
}

void ConnectionResponse::sendFile(const std::string&, const std::string&) {
  throw Poco::NotImplementedException("ConnectionResponse::sendFile");
}

void ConnectionResponse::redirect(const std::string& uri, HTTPStatus status) {
  setStatusAndReason(status);
  set("Location", uri);
  sendBuffer(nullptr, 0);
}

void ConnectionResponse::requireAuthentication(const std::string& realm) {
  setStatusAndReason(HTTP_UNAUTHORIZED);
  set("WWW-Authenticate", "Basic realm=\"" + realm + "\"");
  sendBuffer(nullptr, 0);
}

}  // namespace crow::host
