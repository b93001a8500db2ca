#include "server/http_server.hpp"

#include "server/request_pipeline.hpp"
#include "server/router.hpp"

#include "crow/error.hpp"

#include "server/http_connection.hpp"

#include <Poco/Net/TCPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/ThreadPool.h>

#include <algorithm>
#include <chrono>
#include <thread>

namespace crow::host {

namespace {

constexpr int kListenBacklog = 1024;

}  // namespace

struct HttpServer::Impl {
  ServerOptions options;
  crow::Logger& logger;
  RequestPipeline pipeline;
  std::unique_ptr<Poco::ThreadPool> pool;
  Poco::Net::ServerSocket socket;
  KeepAliveConnectionFactory* connections = nullptr;  // owned by `server`
  std::unique_ptr<Poco::Net::TCPServer> server;
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
    impl_->server.reset();
    // Returns once every worker is idle: a handler still running past the grace period finishes
    // before the router and hooks it uses can go away.
    if (impl_->pool) impl_->pool->joinAll();
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
  params->setMaxThreads(o.threads);
  params->setMaxQueued(o.maxQueued);
  params->setKeepAlive(o.keepAlive);
  params->setKeepAliveTimeout(Poco::Timespan(std::max(1, o.keepAliveTimeoutS), 0));
  params->setTimeout(Poco::Timespan(std::max(1, o.receiveTimeoutS), 0));
  params->setMaxKeepAliveRequests(0);  // unlimited: the idle timeout bounds a connection's life

  s.pool = std::make_unique<Poco::ThreadPool>(std::min(2, o.threads), o.threads, 60);
  s.socket = Poco::Net::ServerSocket(Poco::Net::SocketAddress(o.host, static_cast<Poco::UInt16>(o.port)),
                                     kListenBacklog);
  s.connections = new KeepAliveConnectionFactory(
      params, [&pipeline = s.pipeline](Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) {
        pipeline.handle(request, response);
      });
  s.server = std::make_unique<Poco::Net::TCPServer>(s.connections, *s.pool, s.socket, params);
  s.server->start();
  s.port = s.socket.address().port();
  s.logger.info("http server listening", {{"host", o.host},
                                          {"port", std::to_string(s.port)},
                                          {"threads", std::to_string(o.threads)},
                                          {"base_path", o.basePath}});
}

int HttpServer::port() const noexcept { return impl_->port; }

int HttpServer::inFlight() const noexcept { return impl_->pipeline.inFlight(); }

void HttpServer::stop() {
  Impl& s = *impl_;
  if (!s.server || s.stopped) return;
  s.stopped = true;
  s.pipeline.beginShutdown();

  // Stop the acceptor (it polls every 250 ms) and drop connections still queued for a thread,
  // then close the listening socket so new connections are refused rather than left waiting.
  s.server->stop();
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
  s.connections->shutdownAll(unfinished > 0);
  if (unfinished > 0)
    s.logger.warn("stopped with requests still running", {{"in_flight", std::to_string(unfinished)}});
  s.pipeline.flushAccessLog();
  s.logger.info("http server stopped");
}

}  // namespace crow::host
