// A stand-in for a downstream service (the notification service) on a loopback port. It records
// every request and can be switched between behaving, failing, stalling and being down.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace crow::test {

class TestReceiver {
 public:
  enum class Mode {
    Ok,               ///< 200
    ServerError,      ///< 500
    BadRequest,       ///< 400
    TooManyRequests,  ///< 429 with Retry-After: 2
    Slow,             ///< waits slowDelay, then 200 (the client has given up by then)
  };

  /// A fresh port on 127.0.0.1, listening, in Mode::Ok.
  TestReceiver();
  ~TestReceiver();

  uint16_t port() const;
  std::string url() const;  ///< "http://127.0.0.1:<port>"

  void setMode(Mode mode);
  void setSlowDelay(std::chrono::milliseconds delay);
  /// Stops listening (connections are refused) / listens again on the same port.
  void goDown();
  void comeUp();

  struct Request {
    std::string path;
    std::string apiKey;
    std::string idempotencyKey;
    std::string eventType;
    std::string contentType;
    std::string body;
    int answered = 0;  ///< the status this receiver answered with
  };
  /// Every request received, in arrival order.
  std::vector<Request> requests() const;
  /// Idempotency keys answered 2xx, first time each, in order.
  std::vector<std::string> acceptedKeys() const;
  /// Requests answered 2xx whose key had already been answered 2xx.
  size_t duplicates() const;

  struct State;

 private:
  void listen();
  std::shared_ptr<State> state_;
  struct Server;
  std::unique_ptr<Server> server_;
  uint16_t port_ = 0;
};

}  // namespace crow::test
