// A stand-in for the organization, user and notification services that crow-auth's outbox
// delivers to, with the faults a real downstream has: down (port closed), 500, slower than the
// outbox's request timeout, and "applied the event, then the connection died before the answer".
//
// Like a correct receiver it applies each Idempotency-Key once: a repeat is answered 200 and
// ignored. It records the order in which events took effect, so a test can check that nothing
// was lost, nothing applied twice, and each aggregate's events took effect in enqueue order.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace crow::test {

class FaultReceiver {
 public:
  enum class Mode {
    Up,                  ///< apply, 200
    ServerError,         ///< 500, nothing applied
    Slow,                ///< apply, then answer 200 after slowDelay (the client has given up)
    DropAfterApply,      ///< apply, then close the connection without an answer
  };

  /// Listens on a fresh loopback port, Mode::Up.
  FaultReceiver();
  ~FaultReceiver();
  FaultReceiver(const FaultReceiver&) = delete;
  FaultReceiver& operator=(const FaultReceiver&) = delete;

  std::string url() const;  ///< http://127.0.0.1:<port>
  void setMode(Mode mode);
  void setSlowDelay(std::chrono::milliseconds delay);
  /// Closes the port (connections refused) / listens again on the same port.
  void goDown();
  void comeUp();

  /// One event that took effect: the first request with its key.
  struct Applied {
    std::string key;
    std::string path;
    std::string eventType;
    std::string organizationId;  ///< from the JSON body, when it has one
  };
  std::vector<Applied> applied() const;
  /// Requests whose key had already taken effect (answered 200, ignored).
  size_t repeats() const;
  size_t requests() const;
  /// Requests being held right now (Slow, DropAfterApply before the drop).
  int inFlight() const;

  struct State;

 private:
  void listen();
  std::shared_ptr<State> state_;
  struct Server;
  std::unique_ptr<Server> server_;
  uint16_t port_ = 0;
};

}  // namespace crow::test
