// bench-outbox-receiver: the smallest downstream service for bench/outbox.sh. Answers every
// request 200 at once and counts them; GET /count returns the number of POSTs received so far.
//
//   bench-outbox-receiver PORT [THREADS]
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>

#include <atomic>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <string>

namespace {

std::atomic<long> received{0};

class CountingHandler final : public Poco::Net::HTTPRequestHandler {
 public:
  void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
    request.stream().ignore(1 << 20);
    std::string body = "{}";
    if (request.getMethod() == "GET" && request.getURI() == "/count") body = std::to_string(received.load());
    else if (request.getMethod() == "POST") received.fetch_add(1, std::memory_order_relaxed);
    response.setContentType("application/json");
    response.sendBuffer(body.data(), body.size());
  }
};

class Factory final : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
    return new CountingHandler;
  }
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: bench-outbox-receiver PORT [THREADS]\n";
    return 2;
  }
  const int threads = argc > 2 ? std::atoi(argv[2]) : 8;
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(std::atoi(argv[1]))), 256);
  auto params = new Poco::Net::HTTPServerParams;
  params->setMaxThreads(threads);
  params->setKeepAlive(true);
  params->setMaxKeepAliveRequests(0);
  Poco::ThreadPool pool(2, threads);
  Poco::Net::HTTPServer server(new Factory, pool, socket, params);
  server.start();
  std::cout << "listening on " << socket.address().port() << std::endl;
  int signal = 0;
  sigwait(&set, &signal);
  server.stopAll(true);
  std::cout << "received " << received.load() << std::endl;
  return 0;
}
