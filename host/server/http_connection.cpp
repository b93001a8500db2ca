#include "server/http_connection.hpp"

#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponseImpl.h>
#include <Poco/Net/HTTPServerSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/TCPServerConnection.h>
#include <Poco/Timestamp.h>

#include <atomic>
#include <mutex>
#include <set>

#include <poll.h>

namespace crow::host {

namespace {

// HTTPSession::buffered() is protected; the loop needs it to skip the wait when the next request
// already arrived with the previous one (pipelining).
class ServerSession final : public Poco::Net::HTTPServerSession {
 public:
  using HTTPServerSession::HTTPServerSession;
  using HTTPSession::buffered;
};

// True when the socket has a byte to read (or was closed) within `timeout`.
bool readable(const Poco::Net::StreamSocket& socket, const Poco::Timespan& timeout) {
  pollfd descriptor{socket.impl()->sockfd(), POLLIN, 0};
  const int timeoutMs = static_cast<int>(timeout.totalMilliseconds());
  for (;;) {
    const int rc = ::poll(&descriptor, 1, timeoutMs);
    if (rc >= 0) return rc > 0;
    if (errno != EINTR) return false;
  }
}

}  // namespace

class KeepAliveConnection;

struct KeepAliveConnectionFactory::Registry {
  std::mutex mutex;
  std::set<KeepAliveConnection*> open;
  bool stopping = false;
};

class KeepAliveConnection final : public Poco::Net::TCPServerConnection {
 public:
  KeepAliveConnection(const Poco::Net::StreamSocket& socket, Poco::Net::HTTPServerParams::Ptr params,
                      const RequestHandlerFn& handler, std::shared_ptr<KeepAliveConnectionFactory::Registry> registry)
      : TCPServerConnection(socket), params_(std::move(params)), handler_(handler), registry_(std::move(registry)) {}

  void run() override {
    {
      std::lock_guard lock(registry_->mutex);
      if (registry_->stopping) return;
      registry_->open.insert(this);
    }
    try {
      serve();
    } catch (...) {
      // A broken connection ends here; Poco's TCPServer would only log it.
    }
    std::lock_guard lock(registry_->mutex);
    registry_->open.erase(this);
  }

  // Ends the connection: at once when it waits between requests, or, unless `evenBusy`, after
  // the request it is serving (its response is written in full, then the loop sees stopped_).
  void shutdown(bool evenBusy) noexcept {
    stopped_.store(true);
    if (busy_.load() && !evenBusy) return;
    try {
      socket().shutdown();
    } catch (...) {
    }
  }

 private:
  void serve() {
    ServerSession session(socket(), params_);
    const std::string server = params_->getSoftwareVersion();
    // Poco's session counts keep-alive requests inside hasMoreRequests, which this loop does not
    // call: count here instead (a maximum of 0 or less means unlimited, as HTTPServerParams says).
    const int maxRequests = params_->getMaxKeepAliveRequests();
    int served = 0;
    bool first = true;
    while (!stopped_.load()) {
      // What HTTPServerSession::hasMoreRequests decides, with a cheaper wait.
      if (first) {
        if (!readable(socket(), params_->getTimeout())) break;
      } else {
        if (!session.getKeepAlive()) break;
        if (session.buffered() == 0 && !readable(socket(), params_->getKeepAliveTimeout())) break;
      }
      first = false;
      busy_.store(true);
      struct Idle {
        std::atomic<bool>& busy;
        ~Idle() { busy.store(false); }
      } idleAfter{busy_};
      if (stopped_.load()) break;
      try {
        Poco::Net::HTTPServerResponseImpl response(session);
        Poco::Net::HTTPServerRequestImpl request(response, session, params_);
        response.setDate(Poco::Timestamp());
        response.setVersion(request.getVersion());
        ++served;
        const bool mayKeepAlive = params_->getKeepAlive() && (maxRequests <= 0 || served < maxRequests);
        response.setKeepAlive(mayKeepAlive && request.getKeepAlive());
        if (!server.empty()) response.set("Server", server);
        if (request.getExpectContinue()) response.sendContinue();
        handler_(request, response);
        session.setKeepAlive(mayKeepAlive && response.getKeepAlive());
      } catch (const Poco::Net::NoMessageException&) {
        break;  // the client closed the connection between requests
      } catch (const Poco::Net::MessageException&) {
        sendError(session, Poco::Net::HTTPResponse::HTTP_BAD_REQUEST);
      }
    }
  }

  static void sendError(Poco::Net::HTTPServerSession& session, Poco::Net::HTTPResponse::HTTPStatus status) {
    Poco::Net::HTTPServerResponseImpl response(session);
    response.setVersion(Poco::Net::HTTPMessage::HTTP_1_1);
    response.setStatusAndReason(status);
    response.setKeepAlive(false);
    response.send();
    session.setKeepAlive(false);
  }

  Poco::Net::HTTPServerParams::Ptr params_;
  RequestHandlerFn handler_;
  std::shared_ptr<KeepAliveConnectionFactory::Registry> registry_;
  std::atomic<bool> stopped_{false};
  std::atomic<bool> busy_{false};  // between reading a request and its response's last byte
};

KeepAliveConnectionFactory::KeepAliveConnectionFactory(Poco::Net::HTTPServerParams::Ptr params, RequestHandlerFn handler)
    : params_(std::move(params)), handler_(std::move(handler)), registry_(std::make_shared<Registry>()) {}

KeepAliveConnectionFactory::~KeepAliveConnectionFactory() = default;

Poco::Net::TCPServerConnection* KeepAliveConnectionFactory::createConnection(const Poco::Net::StreamSocket& socket) {
  return new KeepAliveConnection(socket, params_, handler_, registry_);
}

void KeepAliveConnectionFactory::shutdownAll(bool evenBusy) {
  std::lock_guard lock(registry_->mutex);
  registry_->stopping = true;
  for (KeepAliveConnection* connection : registry_->open) connection->shutdown(evenBusy);
}

}  // namespace crow::host
