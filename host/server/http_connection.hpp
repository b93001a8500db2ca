// One keep-alive HTTP connection: its socket, Poco's session over it (which owns the read
// buffer), and what the event workers need to know about it between two requests.
//
// Requests are parsed by Poco (through ConnectionRequest, which knows the connection's addresses)
// and answered through ConnectionResponse, one at a time, by whichever event worker the
// connection's readiness woke (server/event_workers.hpp). Between requests the connection holds
// no thread.
#pragma once

#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace Poco::Net {
class HTTPServerRequest;
class HTTPServerResponse;
}  // namespace Poco::Net

namespace crow::host {

/// Handles one request; must not throw (RequestPipeline::handle's contract).
using RequestHandlerFn = std::function<void(Poco::Net::HTTPServerRequest&, Poco::Net::HTTPServerResponse&)>;

class HttpConnection {
 public:
  HttpConnection(const Poco::Net::StreamSocket& socket, Poco::Net::HTTPServerParams::Ptr params, int64_t nowMs);
  ~HttpConnection();
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  int fd() const noexcept { return fd_; }

  /// What the socket holds now, looked at without consuming it.
  enum class Arrival {
    Request,  ///< a whole request head (or more than a head's worth of bytes): parse it
    Partial,  ///< part of a head, or nothing yet: wait for more without holding a thread
    Closed,   ///< the peer closed or the socket failed
  };
  /// Never blocks. A head that is still arriving is not read, so a client that trickles its
  /// headers costs no thread while it does. After Partial, the socket reports readable only once
  /// more bytes than those already seen have arrived (SO_RCVLOWAT), so waiting does not spin.
  Arrival arrival();

  /// Reads one request, runs `handler`, writes the response (blocking, bounded by the receive
  /// timeout). True when the connection stays open for another request.
  bool serveOne(const RequestHandlerFn& handler, bool mayKeepAlive);
  /// Bytes of a next (pipelined) request already read into the session's buffer.
  bool hasBuffered() const;

  /// Wakes whatever waits on the socket (its readiness fires) without closing the descriptor,
  /// which only the connection's owner may do. Never throws.
  void shutdown() noexcept;

  /// Set by the worker that owns the connection from the event that woke it until it is handed
  /// back to the event set (or closed).
  std::atomic<bool> busy{false};
  /// Steady-clock ms of the last completed request (or of the accept).
  std::atomic<int64_t> lastActiveMs;
  /// Steady-clock ms when the first byte of a still-incomplete head was seen; 0 when none.
  std::atomic<int64_t> partialSinceMs{0};

 private:
  class Session;

  Poco::Net::StreamSocket socket_;
  Poco::Net::HTTPServerParams::Ptr params_;
  std::unique_ptr<Session> session_;
  int fd_;
  Poco::Net::SocketAddress clientAddress_;
  Poco::Net::SocketAddress serverAddress_;
  std::string clientHost_;
  int lowWater_ = 1;  // the socket's SO_RCVLOWAT

  void setLowWater(int bytes) noexcept;
};

}  // namespace crow::host
