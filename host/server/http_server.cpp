#include "server/http_server.hpp"

#include "server/request_pipeline.hpp"
#include "server/router.hpp"

#include "crow/error.hpp"

#include "server/event_workers.hpp"

#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>

#include <algorithm>
#include <chrono>
#include <thread>

namespace crow::host {

namespace {

constexpr int kListenBacklog = 1024;

// Two event workers a core: one can be writing while the other parses, and the watchdog adds
// more only when they block.
int defaultWorkers() {
  const unsigned cores = std::thread::hardware_concurrency();
  return static_cast<int>(std::max(2u, 2 * (cores == 0 ? 1 : cores)));
}

}  // namespace

struct HttpServer::Impl {
  ServerOptions options;
  crow::Logger& logger;
  RequestPipeline pipeline;
  Poco::Net::ServerSocket socket;
  std::unique_ptr<EventWorkers> server;
  int port = 0;
  bool stopped = false;

  const Router& router;

  Impl(ServerOptions o, const Router& r, const RequestHooks& hooks, crow::Logger& log, std::function<bool()> probe)
      : options(std::move(o)), logger(log), pipeline(options, r, hooks, log, std::move(probe)), router(r) {}
};

HttpServer::HttpServer(ServerOptions options, const Router& router, const RequestHooks& hooks, crow::Logger& logger,
                       std::function<bool()> readinessProbe) {
  if (options.threads < 1) throw crow::ConfigError("server.threads must be at least 1");
  if (options.maxQueued < 0) throw crow::ConfigError("server.maxQueued must not be negative");
  if (options.port < 0 || options.port > 65535) throw crow::ConfigError("server.port must be 0..65535");
  impl_ = std::make_unique<Impl>(std::move(options), router, hooks, logger, std::move(readinessProbe));
}

HttpServer::~HttpServer() {
  if (!impl_) return;
  try {
    stop();
    // Returns once every worker has ended: a handler still running past the grace period
    // finishes before the router and hooks it uses can go away.
    impl_->server.reset();
  } catch (...) {
  }
}

void HttpServer::start() {
  Impl& s = *impl_;
  if (s.server) return;
  const ServerOptions& o = s.options;
  // The server answers these itself; a route there would never run.
  for (const char* own : {"/health", "/ready"})
    if (auto match = s.router.match(crow::Method::Get, own))
      throw crow::ConfigError(std::string("route conflict: GET ") + own + " registered by plugin " +
                              match->route->owner + " and the server");

  Poco::Net::HTTPServerParams::Ptr params = new Poco::Net::HTTPServerParams;
  params->setKeepAlive(o.keepAlive);
  params->setKeepAliveTimeout(Poco::Timespan(std::max(1, o.keepAliveTimeoutS), 0));
  params->setTimeout(Poco::Timespan(std::max(1, o.receiveTimeoutS), 0));
  params->setMaxKeepAliveRequests(0);  // unlimited: the idle timeout bounds a connection's life

  EventWorkerOptions workers;
  workers.workers = o.workers > 0 ? o.workers : defaultWorkers();
  workers.maxThreads = std::max(workers.workers, o.threads);
  workers.maxConnections = o.threads + o.maxQueued;
  workers.keepAliveTimeoutMs = std::max(1, o.keepAliveTimeoutS) * 1000;
  workers.receiveTimeoutMs = std::max(1, o.receiveTimeoutS) * 1000;

  s.socket = Poco::Net::ServerSocket(Poco::Net::SocketAddress(o.host, static_cast<Poco::UInt16>(o.port)),
                                     kListenBacklog);
  s.server = std::make_unique<EventWorkers>(
      workers, params,
      [&pipeline = s.pipeline](Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) {
        pipeline.handle(request, response);
      },
      s.logger);
  s.server->start(s.socket);
  s.port = s.socket.address().port();
  s.logger.info("http server listening", {{"host", o.host},
                                          {"port", std::to_string(s.port)},
                                          {"workers", std::to_string(workers.workers)},
                                          {"max_threads", std::to_string(workers.maxThreads)},
                                          {"base_path", o.basePath}});
}

int HttpServer::port() const noexcept { return impl_->port; }

int HttpServer::inFlight() const noexcept { return impl_->pipeline.inFlight(); }

void HttpServer::stop() {
  Impl& s = *impl_;
  if (!s.server || s.stopped) return;
  s.stopped = true;
  s.pipeline.beginShutdown();

  // Stop accepting, then close the listening socket so new connections are refused rather
  // than left waiting in the backlog.
  s.server->stopAccepting();
  try {
    s.socket.close();
  } catch (...) {
  }

  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(std::max(0, s.options.shutdownGraceMs));
  while (s.pipeline.inFlight() > 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  const int unfinished = s.pipeline.inFlight();

  // Shut down every connection: idle keep-alive ones wake up and end, and a request still running
  // past the grace period loses its client.
  s.server->shutdownAll(unfinished > 0);
  if (unfinished > 0)
    s.logger.warn("stopped with requests still running", {{"in_flight", std::to_string(unfinished)}});
  s.pipeline.flushAccessLog();
  s.logger.info("http server stopped");
}

}  // namespace crow::host
