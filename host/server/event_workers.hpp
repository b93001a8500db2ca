// The server's threads: one acceptor, a small set of event workers sharing one epoll set, and a
// watchdog that adds workers only while the ones there are all blocked.
//
// Why not a thread per connection (Poco's TCPServer, and this server until issue 3's tail
// figures): every open keep-alive connection then owns a thread, so 32 busy clients are 32
// runnable threads on 2 cores, and the scheduler, not arrival order, decides who waits. Here a
// connection waits in the epoll set between requests (EPOLLONESHOT: exactly one worker owns it
// while it is served), the ready list is served in order by about two workers per core, and
// latency stays close to the mean.
//
// Blocking work (a password hash waiting for its turn, a slow request body, a database lock)
// would starve such a small pool, so a watchdog adds a worker whenever every worker is busy and
// none has finished a request for a few milliseconds, up to `maxThreads`; extra workers retire
// after a quiet spell. A head that is still arriving is not read at all (see HttpConnection::
// arrival): a client that trickles its headers holds no thread.
#pragma once

#include "server/http_connection.hpp"

#include "crow/log.hpp"

#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/ServerSocket.h>

#include <memory>

namespace crow::host {

struct EventWorkerOptions {
  int workers = 4;            ///< event workers always running
  int maxThreads = 64;        ///< workers at most, counting the watchdog's extra ones
  int maxConnections = 320;   ///< open connections at most; further ones are closed at accept
  int keepAliveTimeoutMs = 10000;  ///< an idle keep-alive connection is closed after this
  int receiveTimeoutMs = 30000;    ///< a head still incomplete after this is dropped
  int stallMs = 5;            ///< no request finished for this long with every worker busy: add one
};

class EventWorkers {
 public:
  EventWorkers(EventWorkerOptions options, Poco::Net::HTTPServerParams::Ptr params, RequestHandlerFn handler,
               crow::Logger& logger);
  ~EventWorkers();
  EventWorkers(const EventWorkers&) = delete;
  EventWorkers& operator=(const EventWorkers&) = delete;

  /// Starts the threads; connections accepted on `listening` are served from now on.
  void start(const Poco::Net::ServerSocket& listening);
  /// Stops accepting: new connections are refused by the kernel once the caller closes the socket.
  void stopAccepting();
  /// Ends every open connection: an idle one at once, a busy one after its current response is
  /// written, or, with `evenBusy` (a request outlived the grace period), at once as well (its
  /// socket is shut down, so a request still reading or writing fails).
  void shutdownAll(bool evenBusy);
  /// Waits for every thread to end (after shutdownAll). Idempotent.
  void join();

  /// Workers running now (for logs and tests).
  int threads() const noexcept;

  struct State;

 private:
  std::shared_ptr<State> state_;
};

}  // namespace crow::host
