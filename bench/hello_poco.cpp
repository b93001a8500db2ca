// The baseline for bench/foundation.sh: a bare Poco HTTPServer that answers 200 {"status":"ok"}
// on every path, configured like crow-auth's server (same thread pool, queue, keep-alive and
// listen backlog), so the ratio measures crow-auth's per-request work and nothing else.
//
//   bench-hello-poco PORT [THREADS=16] [MAX_QUEUED=256] [KEEP_ALIVE_TIMEOUT_S=10]
//
// Prints "listening on port N" once it accepts connections; stops on SIGINT or SIGTERM.
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/ThreadPool.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace {

constexpr std::string_view kBody = R"({"status":"ok"})";

class Hello final : public Poco::Net::HTTPRequestHandler {
 public:
  void handleRequest(Poco::Net::HTTPServerRequest&, Poco::Net::HTTPServerResponse& response) override {
    response.setContentType("application/json");
    response.sendBuffer(kBody.data(), kBody.size());
  }
};

class HelloFactory final : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
    return new Hello;
  }
};

int argOr(int argc, char** argv, int index, int fallback) {
  return argc > index ? std::atoi(argv[index]) : fallback;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s PORT [THREADS=16] [MAX_QUEUED=256] [KEEP_ALIVE_TIMEOUT_S=10]\n", argv[0]);
    return 2;
  }
  const int port = argOr(argc, argv, 1, 0);
  const int threads = std::max(1, argOr(argc, argv, 2, 16));
  const int maxQueued = argOr(argc, argv, 3, 256);
  const int keepAliveTimeout = std::max(1, argOr(argc, argv, 4, 10));

  // Block the stop signals before any thread starts, so only sigwait below receives them.
  sigset_t stopSignals;
  sigemptyset(&stopSignals);
  sigaddset(&stopSignals, SIGINT);
  sigaddset(&stopSignals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);

  Poco::Net::HTTPServerParams::Ptr params = new Poco::Net::HTTPServerParams;
  params->setMaxThreads(threads);
  params->setMaxQueued(maxQueued);
  params->setKeepAlive(true);
  params->setKeepAliveTimeout(Poco::Timespan(keepAliveTimeout, 0));
  params->setTimeout(Poco::Timespan(30, 0));
  params->setMaxKeepAliveRequests(0);

  Poco::ThreadPool pool(std::min(2, threads), threads, 60);
  Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(port)), 1024);
  Poco::Net::HTTPServer server(new HelloFactory, pool, socket, params);
  server.start();
  std::printf("listening on port %d\n", static_cast<int>(socket.address().port()));
  std::fflush(stdout);

  int signal = 0;
  sigwait(&stopSignals, &signal);
  server.stopAll(true);
  pool.joinAll();
  return 0;
}
