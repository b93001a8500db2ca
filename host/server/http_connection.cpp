#include "server/http_connection.hpp"

#include "server/connection_request.hpp"
#include "server/connection_response.hpp"

#include <Poco/Net/HTTPServerSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/Timestamp.h>

#include <cerrno>
#include <cstring>
#include <string_view>

#include <sys/socket.h>

namespace crow::host {

namespace {

// How much of a request head arrival() looks at. A head that has not ended within this many bytes
// is handed to Poco's parser, which applies its own field limits (and may then block on the rest,
// bounded by the receive timeout).
constexpr size_t kPeekBytes = 16 * 1024;

// The Date header changes once a second; formatting it for every response showed up in profiles.
const std::string& httpDateNow() {
  thread_local Poco::Timestamp::TimeVal formattedSecond = -1;
  thread_local std::string text;
  const Poco::Timestamp now;
  const Poco::Timestamp::TimeVal second = now.epochMicroseconds() / Poco::Timestamp::resolution();
  if (second != formattedSecond) {
    text = Poco::DateTimeFormatter::format(now, Poco::DateTimeFormat::HTTP_FORMAT);
    formattedSecond = second;
  }
  return text;
}

}  // namespace

// HTTPSession::buffered() is protected; the workers need it to serve a pipelined request that
// arrived with the previous one, whose bytes are no longer in the socket.
class HttpConnection::Session final : public Poco::Net::HTTPServerSession {
 public:
  using HTTPServerSession::HTTPServerSession;
  using HTTPSession::buffered;
};

HttpConnection::HttpConnection(const Poco::Net::StreamSocket& socket, Poco::Net::HTTPServerParams::Ptr params,
                               int64_t nowMs)
    : lastActiveMs(nowMs),
      socket_(socket),
      params_(std::move(params)),
      session_(std::make_unique<Session>(socket_, params_)),
      fd_(socket_.impl()->sockfd()) {
  // Read once here rather than by every request (see connection_request.hpp). A socket reset
  // before this point leaves the wildcard address; its first read then fails anyway.
  try {
    clientAddress_ = socket_.peerAddress();
    serverAddress_ = socket_.address();
    clientHost_ = clientAddress_.host().toString();
  } catch (const Poco::Exception&) {
  }
}

HttpConnection::~HttpConnection() = default;

void HttpConnection::setLowWater(int bytes) noexcept {
  if (bytes == lowWater_) return;
  if (::setsockopt(fd_, SOL_SOCKET, SO_RCVLOWAT, &bytes, sizeof bytes) == 0) lowWater_ = bytes;
}

HttpConnection::Arrival HttpConnection::arrival() {
  if (session_->buffered() > 0) {
    setLowWater(1);
    return Arrival::Request;
  }
  char head[kPeekBytes];
  for (;;) {
    const ssize_t n = ::recv(fd_, head, sizeof head, MSG_PEEK | MSG_DONTWAIT);
    if (n > 0) {
      const std::string_view bytes(head, static_cast<size_t>(n));
      // Bare LF line ends are legal for Poco's parser too.
      if (bytes.find("\r\n\r\n") != std::string_view::npos || bytes.find("\n\n") != std::string_view::npos ||
          static_cast<size_t>(n) == sizeof head) {
        // Poco's blocking reads must not wait for more bytes than a read needs.
        setLowWater(1);
        return Arrival::Request;
      }
      setLowWater(static_cast<int>(n) + 1);
      return Arrival::Partial;
    }
    if (n == 0) return Arrival::Closed;
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) return Arrival::Partial;
    return Arrival::Closed;
  }
}

bool HttpConnection::hasBuffered() const { return session_->buffered() > 0; }

bool HttpConnection::serveOne(const RequestHandlerFn& handler, bool mayKeepAlive) {
  Session& session = *session_;
  const std::string& server = params_->getSoftwareVersion();
  try {
    ConnectionResponse response(socket_);
    ConnectionRequest request(response, session, *params_, clientAddress_, serverAddress_, clientHost_);
    response.omitBody(request.getMethod() == Poco::Net::HTTPRequest::HTTP_HEAD);
    response.set("Date", httpDateNow());
    response.setVersion(request.getVersion());
    response.setKeepAlive(mayKeepAlive && request.getKeepAlive());
    if (!server.empty()) response.set("Server", server);
    if (request.getExpectContinue()) response.sendContinue();
    handler(request, response);
    session.setKeepAlive(mayKeepAlive && response.getKeepAlive());
    return session.getKeepAlive();
  } catch (const Poco::Net::NoMessageException&) {
    return false;  // the client closed the connection between requests
  } catch (const Poco::Net::MessageException&) {
    try {
      ConnectionResponse response(socket_);
      response.setVersion(Poco::Net::HTTPMessage::HTTP_1_1);
      response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_BAD_REQUEST);
      response.setKeepAlive(false);
      response.sendBuffer(nullptr, 0);
    } catch (...) {
    }
    return false;
  } catch (...) {
    return false;  // a broken connection (reset, timeout) ends here
  }
}

void HttpConnection::shutdown() noexcept { ::shutdown(fd_, SHUT_RDWR); }

}  // namespace crow::host
