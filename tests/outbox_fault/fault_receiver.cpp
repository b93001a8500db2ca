#include "fault_receiver.hpp"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>
#include <Poco/ThreadPool.h>

#include <condition_variable>
#include <mutex>
#include <set>

namespace crow::test {

struct FaultReceiver::State {
  mutable std::mutex mutex;
  std::condition_variable closing;
  bool shuttingDown = false;
  Mode mode = Mode::Up;
  std::chrono::milliseconds slowDelay{1000};
  std::vector<Applied> applied;
  std::set<std::string> keys;
  size_t repeats = 0;
  size_t requests = 0;
  int inFlight = 0;
};

namespace {

std::string organizationOf(const std::string& body) {
  try {
    auto parsed = Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>();
    if (parsed && parsed->has("organizationId")) return parsed->getValue<std::string>("organizationId");
  } catch (...) {
  }
  return {};
}

class FaultHandler final : public Poco::Net::HTTPRequestHandler {
 public:
  explicit FaultHandler(std::shared_ptr<FaultReceiver::State> state) : state_(std::move(state)) {}

  void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
    std::string body;
    Poco::StreamCopier::copyToString(request.stream(), body);
    FaultReceiver::Applied event{request.get("Idempotency-Key", ""), request.getURI(), request.get("X-Event-Type", ""),
                                 organizationOf(body)};
    FaultReceiver::Mode mode;
    std::chrono::milliseconds slowDelay;
    {
      std::lock_guard lock(state_->mutex);
      ++state_->requests;
      mode = state_->mode;
      slowDelay = state_->slowDelay;
      if (mode != FaultReceiver::Mode::ServerError) {
        if (state_->keys.insert(event.key).second) state_->applied.push_back(event);
        else ++state_->repeats;
      }
    }
    if (mode == FaultReceiver::Mode::ServerError) {
      response.setStatus(Poco::Net::HTTPResponse::HTTP_INTERNAL_SERVER_ERROR);
      response.setContentLength(0);
      response.send();
      return;
    }
    if (mode == FaultReceiver::Mode::Slow || mode == FaultReceiver::Mode::DropAfterApply) {
      std::unique_lock lock(state_->mutex);
      ++state_->inFlight;
      const auto hold = mode == FaultReceiver::Mode::Slow ? slowDelay : std::chrono::milliseconds(100);
      state_->closing.wait_for(lock, hold, [&] { return state_->shuttingDown; });
      --state_->inFlight;
    }
    if (mode == FaultReceiver::Mode::DropAfterApply) {
      auto& socket = static_cast<Poco::Net::HTTPServerRequestImpl&>(request).socket();
      try {
        socket.shutdown();
      } catch (...) {
      }
      response.setKeepAlive(false);
      return;
    }
    response.setStatus(Poco::Net::HTTPResponse::HTTP_OK);
    response.setContentType("application/json");
    response.sendBuffer("{}", 2);
  }

 private:
  std::shared_ptr<FaultReceiver::State> state_;
};

class Factory final : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit Factory(std::shared_ptr<FaultReceiver::State> state) : state_(std::move(state)) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
    return new FaultHandler(state_);
  }

 private:
  std::shared_ptr<FaultReceiver::State> state_;
};

}  // namespace

struct FaultReceiver::Server {
  Poco::ThreadPool pool{2, 32};
  Poco::Net::ServerSocket socket;
  std::unique_ptr<Poco::Net::HTTPServer> http;
};

FaultReceiver::FaultReceiver() : state_(std::make_shared<State>()) { listen(); }

FaultReceiver::~FaultReceiver() {
  {
    std::lock_guard lock(state_->mutex);
    state_->shuttingDown = true;
  }
  state_->closing.notify_all();
  goDown();
}

void FaultReceiver::listen() {
  auto server = std::make_unique<Server>();
  server->socket = Poco::Net::ServerSocket(Poco::Net::SocketAddress("127.0.0.1", port_), 128);
  port_ = server->socket.address().port();
  auto params = new Poco::Net::HTTPServerParams;
  params->setMaxThreads(32);
  params->setKeepAlive(true);
  server->http = std::make_unique<Poco::Net::HTTPServer>(new Factory(state_), server->pool, server->socket, params);
  server->http->start();
  server_ = std::move(server);
}

void FaultReceiver::goDown() {
  if (!server_) return;
  // Held requests end now (as a crashed service's would): wake them, then stop.
  {
    std::lock_guard lock(state_->mutex);
    state_->shuttingDown = true;
  }
  state_->closing.notify_all();
  server_->http->stopAll(true);
  server_->http.reset();
  server_->socket.close();
  server_->pool.joinAll();
  server_.reset();
  std::lock_guard lock(state_->mutex);
  state_->shuttingDown = false;
}

void FaultReceiver::comeUp() {
  if (!server_) listen();
}

std::string FaultReceiver::url() const { return "http://127.0.0.1:" + std::to_string(port_); }

void FaultReceiver::setMode(Mode mode) {
  std::lock_guard lock(state_->mutex);
  state_->mode = mode;
}

void FaultReceiver::setSlowDelay(std::chrono::milliseconds delay) {
  std::lock_guard lock(state_->mutex);
  state_->slowDelay = delay;
}

std::vector<FaultReceiver::Applied> FaultReceiver::applied() const {
  std::lock_guard lock(state_->mutex);
  return state_->applied;
}

size_t FaultReceiver::repeats() const {
  std::lock_guard lock(state_->mutex);
  return state_->repeats;
}

size_t FaultReceiver::requests() const {
  std::lock_guard lock(state_->mutex);
  return state_->requests;
}

int FaultReceiver::inFlight() const {
  std::lock_guard lock(state_->mutex);
  return state_->inFlight;
}

}  // namespace crow::test
