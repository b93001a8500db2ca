#include "test_receiver.hpp"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>
#include <Poco/ThreadPool.h>

#include <condition_variable>
#include <mutex>
#include <set>

namespace crow::test {

struct TestReceiver::State {
  mutable std::mutex mutex;
  std::condition_variable closing;
  bool shuttingDown = false;
  Mode mode = Mode::Ok;
  std::chrono::milliseconds slowDelay{1500};
  std::vector<Request> requests;
  std::vector<std::string> accepted;
  std::set<std::string> acceptedSet;
  size_t duplicates = 0;
};

namespace {

class RecordingHandler final : public Poco::Net::HTTPRequestHandler {
 public:
  explicit RecordingHandler(std::shared_ptr<TestReceiver::State> state) : state_(std::move(state)) {}

  void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
    TestReceiver::Request seen;
    seen.path = request.getURI();
    seen.apiKey = request.get("X-Service-API-Key", "");
    seen.idempotencyKey = request.get("Idempotency-Key", "");
    seen.eventType = request.get("X-Event-Type", "");
    seen.contentType = request.getContentType();
    Poco::StreamCopier::copyToString(request.stream(), seen.body);

    TestReceiver::Mode mode;
    std::chrono::milliseconds slowDelay;
    {
      std::lock_guard lock(state_->mutex);
      mode = state_->mode;
      slowDelay = state_->slowDelay;
    }
    int status = 200;
    switch (mode) {
      case TestReceiver::Mode::Ok: break;
      case TestReceiver::Mode::ServerError: status = 500; break;
      case TestReceiver::Mode::BadRequest: status = 400; break;
      case TestReceiver::Mode::TooManyRequests:
        status = 429;
        response.set("Retry-After", "2");
        break;
      case TestReceiver::Mode::Slow: {
        std::unique_lock lock(state_->mutex);
        state_->closing.wait_for(lock, slowDelay, [&] { return state_->shuttingDown; });
        break;
      }
    }
    seen.answered = status;
    {
      std::lock_guard lock(state_->mutex);
      if (status == 200) {
        if (state_->acceptedSet.insert(seen.idempotencyKey).second) state_->accepted.push_back(seen.idempotencyKey);
        else ++state_->duplicates;
      }
      state_->requests.push_back(std::move(seen));
    }
    response.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
    response.setContentType("application/json");
    response.send() << "{}";
  }

 private:
  std::shared_ptr<TestReceiver::State> state_;
};

class Factory final : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit Factory(std::shared_ptr<TestReceiver::State> state) : state_(std::move(state)) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
    return new RecordingHandler(state_);
  }

 private:
  std::shared_ptr<TestReceiver::State> state_;
};

}  // namespace

struct TestReceiver::Server {
  Poco::ThreadPool pool{2, 16};
  Poco::Net::ServerSocket socket;
  std::unique_ptr<Poco::Net::HTTPServer> http;
};

TestReceiver::TestReceiver() : state_(std::make_shared<State>()) { listen(); }

TestReceiver::~TestReceiver() {
  {
    std::lock_guard lock(state_->mutex);
    state_->shuttingDown = true;
  }
  state_->closing.notify_all();
  goDown();
}

void TestReceiver::listen() {
  auto server = std::make_unique<Server>();
  server->socket = Poco::Net::ServerSocket(Poco::Net::SocketAddress("127.0.0.1", port_), 64);
  port_ = server->socket.address().port();
  auto params = new Poco::Net::HTTPServerParams;
  params->setMaxThreads(16);
  server->http = std::make_unique<Poco::Net::HTTPServer>(new Factory(state_), server->pool, server->socket, params);
  server->http->start();
  server_ = std::move(server);
}

void TestReceiver::goDown() {
  if (!server_) return;
  server_->http->stopAll(true);
  server_->http.reset();
  server_->socket.close();
  server_->pool.joinAll();
  server_.reset();
}

void TestReceiver::comeUp() {
  if (!server_) listen();
}

uint16_t TestReceiver::port() const { return port_; }
std::string TestReceiver::url() const { return "http://127.0.0.1:" + std::to_string(port_); }

void TestReceiver::setMode(Mode mode) {
  std::lock_guard lock(state_->mutex);
  state_->mode = mode;
}

void TestReceiver::setSlowDelay(std::chrono::milliseconds delay) {
  std::lock_guard lock(state_->mutex);
  state_->slowDelay = delay;
}

std::vector<TestReceiver::Request> TestReceiver::requests() const {
  std::lock_guard lock(state_->mutex);
  return state_->requests;
}

std::vector<std::string> TestReceiver::acceptedKeys() const {
  std::lock_guard lock(state_->mutex);
  return state_->accepted;
}

size_t TestReceiver::duplicates() const {
  std::lock_guard lock(state_->mutex);
  return state_->duplicates;
}

}  // namespace crow::test
