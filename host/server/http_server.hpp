// The HTTP front door: a Poco HTTPServer with keep-alive and a bounded thread pool that answers
// /health and /ready itself and sends everything else through request hooks and the router.
#pragma once

#include "crow/log.hpp"

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace crow::host {

class Router;
class RequestHooks;

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8787;  ///< 0 picks a free port; port() tells which
  /// Event workers serving requests (server/event_workers.hpp); 0 = two per core.
  int workers = 0;
  /// Threads at most: the workers plus those the watchdog adds while workers are blocked
  /// (password hashing, slow bodies, database locks).
  int threads = 16;
  /// Open connections at most are threads + maxQueued; further ones are closed at accept.
  int maxQueued = 256;
  std::size_t maxBodyBytes = 1024 * 1024;
  bool keepAlive = true;
  int keepAliveTimeoutS = 10;  ///< idle time before a keep-alive connection is closed
  int receiveTimeoutS = 30;    ///< a request (headers or body) that stalls this long is dropped
  /// Addresses or CIDR blocks whose X-Forwarded-For is believed.
  std::vector<std::string> trustedProxies;
  std::string basePath = "/api/v1/auth";
  int shutdownGraceMs = 10000;
  bool accessLog = true;
};

class HttpServer {
 public:
  /// `router`, `hooks` and `logger` must outlive this object (not only stop()). `readinessProbe`
  /// answers /ready (true: the database answered); it may take a while and may throw (= not
  /// ready). Throws crow::ConfigError for bad options (trusted proxies, thread counts).
  HttpServer(ServerOptions options, const Router& router, const RequestHooks& hooks, crow::Logger& logger,
             std::function<bool()> readinessProbe);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  /// Binds and starts serving. Throws Poco::Net::NetException (address in use, ...) when it cannot.
  void start();
  /// The bound port (useful with port 0). 0 before start().
  int port() const noexcept;
  /// Stops accepting (new connections are refused), lets in-flight requests finish within
  /// shutdownGraceMs, then closes every connection and returns. Idempotent.
  void stop();
  /// Requests being handled right now.
  int inFlight() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace crow::host
