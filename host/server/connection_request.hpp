// The request Poco hands a handler, read from a keep-alive connection whose addresses are known.
//
// Poco's HTTPServerRequestImpl asks the kernel for both socket addresses on every request
// (getpeername and getsockname). A connection's addresses never change, so HttpConnection reads
// them once at accept and this class serves them from there. Everything else is Poco's: the head
// is parsed by HTTPRequest::read and the body is read through Poco's fixed-length, chunked or
// until-close streams, chosen exactly as HTTPServerRequestImpl chooses them (but only when the
// body is asked for).
#pragma once

#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include <istream>
#include <memory>
#include <string>

namespace Poco::Net {
class HTTPServerSession;
}

namespace crow::host {

class ConnectionRequest final : public Poco::Net::HTTPServerRequest {
 public:
  /// Reads the request head from `session` (throws Poco's NoMessageException when the client
  /// closed before sending one, MessageException on a malformed head). The references must
  /// outlive the request.
  ConnectionRequest(Poco::Net::HTTPServerResponse& response, Poco::Net::HTTPServerSession& session,
                    const Poco::Net::HTTPServerParams& params, const Poco::Net::SocketAddress& client,
                    const Poco::Net::SocketAddress& server, const std::string& clientHost);
  ~ConnectionRequest() override;

  /// Made on first use: most requests (GET, or a body read by length) never touch it, and a
  /// stream's construction (its locale) shows in profiles.
  std::istream& stream() override;
  const Poco::Net::SocketAddress& clientAddress() const override { return client_; }
  const Poco::Net::SocketAddress& serverAddress() const override { return server_; }
  const Poco::Net::HTTPServerParams& serverParams() const override { return params_; }
  Poco::Net::HTTPServerResponse& response() const override { return response_; }
  bool secure() const override { return false; }  // the listener is plain TCP (TLS ends in front)
  /// The connection's socket, for a lingering close after an unread body.
  Poco::Net::StreamSocket& socket() noexcept { return socket_; }
  /// clientAddress().host().toString(), formatted once per connection.
  const std::string& clientHost() const noexcept { return clientHost_; }

 private:
  Poco::Net::HTTPServerResponse& response_;
  Poco::Net::HTTPServerSession& session_;
  Poco::Net::StreamSocket& socket_;
  const Poco::Net::HTTPServerParams& params_;
  const Poco::Net::SocketAddress& client_;
  const Poco::Net::SocketAddress& server_;
  const std::string& clientHost_;
  std::unique_ptr<std::istream> body_;
};

}  // namespace crow::host
