// services/service_connections.hpp - the one HTTP(S) client the host uses to call other services
// (the plugins' ServiceClient and the outbox worker both send through it).
//
// One ServiceConnections per service: it keeps idle keep-alive connections for reuse (at most
// kMaxIdle, each dropped after kKeepAlive idle so a server's idle close never meets a request),
// and lends one connection to one call at a time, so it can be shared by many threads. https
// uses the system's CA store and host name verification (when Poco NetSSL was found at build
// time). The key is added by the caller as a header; nothing here logs.
#pragma once

#include "services/service_target.hpp"

#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace Poco::Net {
class HTTPClientSession;
}

namespace crow::host {

/// The service could not be reached or answered unusably. what() is short and holds no host
/// name, URL or header: "connection refused", "timeout", "network error: <Poco class name>",
/// "response body too large".
class NetworkError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct HttpCall {
  std::string method = "POST";
  /// Appended to the service URL's path ("/v1/emails"); may carry a query string.
  std::string path;
  /// Sent with Content-Length when `hasBody` (an empty body included).
  std::string body;
  bool hasBody = false;
  std::string contentType = "application/json";
  /// Sent as given (the caller checked them).
  std::vector<std::pair<std::string, std::string>> headers;
  /// Bounds connecting, each read and write, and the whole call.
  std::chrono::milliseconds timeout{5000};
  /// The largest body kept (and read; a larger one fails the call with NetworkError when
  /// `keepBody`, and is left unread when not, costing the connection its reuse).
  std::size_t maxBody = 8 * 1024 * 1024;
  bool keepBody = true;
};

struct HttpReply {
  int status = 0;
  std::string reason;
  std::string body;  ///< empty unless HttpCall::keepBody
  /// Response headers in arrival order, names as received.
  std::vector<std::pair<std::string, std::string>> headers;
  /// The first header of that name (case-insensitive), or nullptr.
  const std::string* header(std::string_view name) const noexcept;
};

class ServiceConnections {
 public:
  static constexpr std::size_t kMaxIdle = 8;
  static constexpr std::chrono::seconds kKeepAlive{4};

  /// Throws std::invalid_argument "service <name> has an invalid URL" or "service <name>:
  /// unsupported URL scheme" (https without NetSSL, or not http/https).
  explicit ServiceConnections(ServiceTarget target);
  ~ServiceConnections();
  ServiceConnections(const ServiceConnections&) = delete;
  ServiceConnections& operator=(const ServiceConnections&) = delete;

  const ServiceTarget& target() const noexcept { return target_; }

  /// Sends one request and reads the answer. Throws NetworkError when the service cannot be
  /// reached in time; a connection that was idle in the pool and turns out closed by the server
  /// is replaced once, transparently.
  HttpReply exchange(const HttpCall& call);

  /// True when this build can call https:// services.
  static bool supportsHttps() noexcept;

 private:
  using Session = std::unique_ptr<Poco::Net::HTTPClientSession>;
  Session take(bool& reused);
  void giveBack(Session session);
  HttpReply exchangeOn(Poco::Net::HTTPClientSession& session, const HttpCall& call,
                       std::chrono::steady_clock::time_point deadline, bool& reusable);

  ServiceTarget target_;
  std::string scheme_;
  std::string host_;
  uint16_t port_ = 0;
  std::string basePath_;
  std::mutex mutex_;
  std::vector<Session> idle_;
};

}  // namespace crow::host
