// What happens to one request, from Poco's parsed request to the bytes written back:
// /health and /ready, body limits, client address, request id, before-hooks, routing, the
// handler, error mapping, after-hooks, the access log. Internal to the server.
#pragma once

#include "server/body_reader.hpp"
#include "server/client_address.hpp"
#include "server/http_server.hpp"

#include "crow/http.hpp"
#include "crow/log.hpp"

#include <atomic>
#include <functional>
#include <string>
#include <string_view>

namespace Poco::Net {
class HTTPServerRequest;
class HTTPServerResponse;
}  // namespace Poco::Net

namespace crow::host {

class Router;
class RequestHooks;
class StderrLogger;

class RequestPipeline {
 public:
  RequestPipeline(const ServerOptions& options, const Router& router, const RequestHooks& hooks,
                  crow::Logger& logger, std::function<bool()> readinessProbe);

  /// Handles one request completely; never throws.
  void handle(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) noexcept;

  /// From now on every response closes its connection.
  void beginShutdown() noexcept { stopping_.store(true, std::memory_order_relaxed); }
  int inFlight() const noexcept { return inFlight_.load(std::memory_order_acquire); }
  /// Writes out access-log lines still batched.
  void flushAccessLog() noexcept;

 private:
  struct Outcome;

  /// Turns a body that could not be read into its answer (413, 400, or none when the client
  /// left); true when the body is fine.
  static bool acceptBody(BodyStatus status, Poco::Net::HTTPServerResponse& out, Outcome& outcome, crow::Response& response);
  void serveReady(crow::Response& response);
  void serveRoute(Poco::Net::HTTPServerRequest& request, crow::Method method, std::string_view rawPath,
                  std::string_view query, Outcome& outcome, crow::Response& response);
  void logAccess(std::string_view method, std::string_view path, const Outcome& outcome) noexcept;

  const ServerOptions& options_;
  const Router& router_;
  const RequestHooks& hooks_;
  crow::Logger& logger_;
  StderrLogger* accessLogger_ = nullptr;  ///< the logger itself when it is ours: the fast path
  std::function<bool()> readinessProbe_;
  TrustedProxies trustedProxies_;
  std::string basePath_;  ///< without a trailing slash; empty when routes sit at the root
  std::atomic<bool> stopping_{false};
  std::atomic<int> inFlight_{0};
};

}  // namespace crow::host
