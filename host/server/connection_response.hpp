// The response Poco hands a handler on one of our keep-alive connections.
//
// It pairs with ConnectionRequest (Poco's HTTPServerResponseImpl only writes a body for a request
// of its own Impl class). sendBuffer, the path every route takes, writes the status line, the
// headers and the body with one send. send() streams a body of known Content-Length instead.
#pragma once

#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/StreamSocket.h>

#include <memory>
#include <ostream>

namespace crow::host {

class ConnectionResponse final : public Poco::Net::HTTPServerResponse {
 public:
  /// `socket` must outlive the response; writes block up to its send timeout.
  explicit ConnectionResponse(Poco::Net::StreamSocket& socket);
  /// Flushes what send()'s stream still holds; a failing peer is ignored here.
  ~ConnectionResponse() override;

  /// A HEAD request: headers (with the Content-Length a GET would have) and no body.
  void omitBody(bool omit) noexcept { omitBody_ = omit; }

  void sendContinue() override;
  /// Writes the head and returns a stream for the body. Without a Content-Length the connection
  /// closes after the body, which is then what delimits it.
  std::ostream& send() override;
  void sendBuffer(const void* buffer, std::size_t length) override;
  void sendFile(const std::string& path, const std::string& mediaType) override;  // not supported: throws
  void redirect(const std::string& uri, HTTPStatus status = HTTP_FOUND) override;
  void requireAuthentication(const std::string& realm) override;
  bool sent() const override { return sent_; }

 private:
  /// The status line, the headers and the blank line after them.
  std::string head() const;
  /// No body for HEAD, 1xx, 204 and 304, whatever the handler gave.
  bool bodyAllowed() const noexcept;
  void sendAll(const std::string& bytes);

  Poco::Net::StreamSocket& socket_;
  std::unique_ptr<std::ostream> stream_;
  bool omitBody_ = false;
  bool sent_ = false;
};

}  // namespace crow::host
