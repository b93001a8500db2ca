// One keep-alive HTTP connection on Poco's request and response classes, and the factory that
// makes them for a Poco TCPServer.
//
// Why not Poco's own HTTPServerConnection: between two requests on a keep-alive connection it
// waits with Socket::poll, which in Poco 1.11 creates, arms and closes an epoll instance every
// time (four system calls per request on top of the recv/send that do the work). This loop is
// the same as Poco's, except that it waits with one poll(2) on the socket, and only when no byte
// of the next request is already buffered.
#pragma once

#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/TCPServerConnectionFactory.h>

#include <functional>
#include <memory>

namespace Poco::Net {
class HTTPServerRequest;
class HTTPServerResponse;
}  // namespace Poco::Net

namespace crow::host {

/// Handles one request; must not throw (RequestPipeline::handle's contract).
using RequestHandlerFn = std::function<void(Poco::Net::HTTPServerRequest&, Poco::Net::HTTPServerResponse&)>;

class KeepAliveConnectionFactory final : public Poco::Net::TCPServerConnectionFactory {
 public:
  KeepAliveConnectionFactory(Poco::Net::HTTPServerParams::Ptr params, RequestHandlerFn handler);
  ~KeepAliveConnectionFactory() override;

  Poco::Net::TCPServerConnection* createConnection(const Poco::Net::StreamSocket& socket) override;

  /// Ends every open connection: an idle one at once, a busy one after its current response is
  /// written, or, with `evenBusy` (a request outlived the grace period), at once as well (its
  /// socket is shut down, so a request still reading or writing fails).
  void shutdownAll(bool evenBusy);

  struct Registry;

 private:
  Poco::Net::HTTPServerParams::Ptr params_;
  RequestHandlerFn handler_;
  std::shared_ptr<Registry> registry_;
};

}  // namespace crow::host
