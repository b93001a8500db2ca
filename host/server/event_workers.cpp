#include "server/event_workers.hpp"

#include <Poco/Net/NetException.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cerrno>
#include <mutex>
#include <thread>
#include <unordered_set>
#include <vector>

#include <poll.h>
#include <sys/epoll.h>
#include <unistd.h>

namespace crow::host {

namespace {

int64_t steadyMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// How often an idle worker looks up from epoll_wait (to notice stop, or to retire).
constexpr int kWorkerWakeMs = 200;
// An extra worker (one the watchdog added) retires after this long without an event.
constexpr int64_t kExtraIdleMs = 2000;
// How often idle connections are checked against their timeouts.
constexpr int64_t kSweepEveryMs = 250;

}  // namespace

struct EventWorkers::State : std::enable_shared_from_this<EventWorkers::State> {
  EventWorkerOptions options;
  Poco::Net::HTTPServerParams::Ptr params;
  RequestHandlerFn handler;
  crow::Logger& logger;

  int epollFd = -1;
  Poco::Net::ServerSocket listening;

  std::mutex mutex;  // guards `open`, `acceptor` and `stopping`
  std::unordered_set<HttpConnection*> open;
  std::thread acceptor;
  bool stopping = false;
  std::condition_variable workerEnded;

  std::atomic<bool> accepting{false};
  std::atomic<bool> stopped{false};  // set by shutdownAll: busy connections close after their response
  std::atomic<int> workers{0};       // running
  std::atomic<int> waiting{0};       // in epoll_wait
  std::atomic<uint64_t> finished{0}; // requests completed, for the watchdog

  State(EventWorkerOptions o, Poco::Net::HTTPServerParams::Ptr p, RequestHandlerFn h, crow::Logger& log)
      : options(o), params(std::move(p)), handler(std::move(h)), logger(log) {}

  ~State() {
    for (HttpConnection* connection : open) delete connection;
    if (epollFd >= 0) ::close(epollFd);
  }

  // Puts the connection back in the event set for its next request (one worker will get it).
  bool arm(HttpConnection* connection, int op) {
    epoll_event event{};
    event.events = EPOLLIN | EPOLLRDHUP | EPOLLONESHOT;
    event.data.ptr = connection;
    return ::epoll_ctl(epollFd, op, connection->fd(), &event) == 0;
  }

  void close(HttpConnection* connection) {
    {
      std::lock_guard lock(mutex);
      open.erase(connection);
    }
    // Closing the descriptor (the socket's last reference) also takes it out of the epoll set.
    delete connection;
  }

  void release(HttpConnection* connection) {
    connection->busy.store(false, std::memory_order_release);
    if (!arm(connection, EPOLL_CTL_MOD)) close(connection);
  }

  // One readiness event: serve every request that is wholly there, then hand the connection back.
  // `hungUp`: the peer will send nothing more (or the socket was shut down), so a head that is
  // still partial never completes.
  void serve(HttpConnection* connection, bool hungUp) {
    connection->busy.store(true, std::memory_order_release);
    for (;;) {
      switch (connection->arrival()) {
        case HttpConnection::Arrival::Closed:
          return close(connection);
        case HttpConnection::Arrival::Partial: {
          if (hungUp) return close(connection);
          int64_t expected = 0;
          connection->partialSinceMs.compare_exchange_strong(expected, steadyMs());
          return release(connection);
        }
        case HttpConnection::Arrival::Request:
          break;
      }
      connection->partialSinceMs.store(0, std::memory_order_relaxed);
      const bool stopNow = stopped.load(std::memory_order_acquire);
      const bool again = connection->serveOne(handler, params->getKeepAlive() && !stopNow);
      finished.fetch_add(1, std::memory_order_relaxed);
      if (!again || stopped.load(std::memory_order_acquire)) return close(connection);
      connection->lastActiveMs.store(steadyMs(), std::memory_order_relaxed);
      if (!connection->hasBuffered()) return release(connection);
      // A pipelined request already in the session's buffer: no event will announce it.
    }
  }

  void workerLoop(bool extra) {
    int64_t lastEventMs = steadyMs();
    epoll_event event{};
    for (;;) {
      waiting.fetch_add(1, std::memory_order_relaxed);
      const int n = ::epoll_wait(epollFd, &event, 1, kWorkerWakeMs);
      waiting.fetch_sub(1, std::memory_order_relaxed);
      if (n == 1) {
        lastEventMs = steadyMs();
        serve(static_cast<HttpConnection*>(event.data.ptr), (event.events & (EPOLLHUP | EPOLLRDHUP | EPOLLERR)) != 0);
        continue;
      }
      std::lock_guard lock(mutex);
      if (stopping && open.empty()) break;
      if (extra && !stopping && steadyMs() - lastEventMs > kExtraIdleMs) break;
    }
    std::lock_guard lock(mutex);
    workers.fetch_sub(1, std::memory_order_relaxed);
    workerEnded.notify_all();
  }

  // Workers are detached (extra ones come and go) and counted instead; each keeps the state alive
  // and join() waits for the count to reach zero. Callers hold `mutex`.
  void spawnLocked(bool extra) {
    workers.fetch_add(1, std::memory_order_relaxed);
    std::thread([self = shared_from_this(), extra] { self->workerLoop(extra); }).detach();
  }

  void accept(const Poco::Net::StreamSocket& socket) {
    socket.impl()->setBlocking(true);
    try {
      const_cast<Poco::Net::StreamSocket&>(socket).setNoDelay(true);
    } catch (...) {
    }
    auto* connection = new HttpConnection(socket, params, steadyMs());
    {
      std::lock_guard lock(mutex);
      if (stopping || static_cast<int>(open.size()) >= options.maxConnections) {
        delete connection;  // refused: closes the socket
        return;
      }
      open.insert(connection);
    }
    if (!arm(connection, EPOLL_CTL_ADD)) close(connection);
  }

  // Closes idle connections past their timeouts (by shutting them down: the worker their event
  // wakes does the closing, so the descriptor is closed by its owner only).
  void sweep(int64_t now) {
    std::lock_guard lock(mutex);
    for (HttpConnection* connection : open) {
      if (connection->busy.load(std::memory_order_acquire)) continue;
      const int64_t partialSince = connection->partialSinceMs.load(std::memory_order_relaxed);
      const bool expired = partialSince != 0
                               ? now - partialSince > options.receiveTimeoutMs
                               : now - connection->lastActiveMs.load(std::memory_order_relaxed) >
                                     options.keepAliveTimeoutMs;
      if (expired) connection->shutdown();
    }
  }

  // Adds a worker when all are busy and none finished a request within stallMs: they are blocked
  // (hashing, waiting for a lock or a slow body), not merely busy.
  void watch(uint64_t& lastFinished, int64_t& lastProgressMs, int64_t now) {
    const uint64_t done = finished.load(std::memory_order_relaxed);
    if (done != lastFinished || waiting.load(std::memory_order_relaxed) > 0) {
      lastFinished = done;
      lastProgressMs = now;
      return;
    }
    if (now - lastProgressMs < options.stallMs) return;
    std::lock_guard lock(mutex);
    if (stopping || workers.load() >= options.maxThreads) return;
    spawnLocked(true);
    lastProgressMs = now;  // give the new worker its turn before judging again
  }

  // The acceptor thread also runs the sweep and the watchdog.
  void acceptLoop() {
    const int listenFd = listening.impl()->sockfd();
    uint64_t lastFinished = 0;
    int64_t lastProgressMs = steadyMs();
    int64_t nextSweepMs = steadyMs() + kSweepEveryMs;
    for (;;) {
      const bool active = workers.load(std::memory_order_relaxed) > waiting.load(std::memory_order_relaxed);
      pollfd descriptor{listenFd, POLLIN, 0};
      const bool listen = accepting.load(std::memory_order_acquire);
      const int rc = ::poll(&descriptor, listen ? 1 : 0, active ? options.stallMs : 50);
      const int64_t now = steadyMs();
      if (rc > 0 && listen && (descriptor.revents & POLLIN)) {
        try {
          accept(listening.acceptConnection());
        } catch (...) {
          // A connection reset before accept, or out of descriptors: the next one may succeed.
        }
      }
      watch(lastFinished, lastProgressMs, now);
      if (now >= nextSweepMs) {
        sweep(now);
        nextSweepMs = now + kSweepEveryMs;
      }
      std::lock_guard lock(mutex);
      if (stopping && open.empty()) break;
    }
  }
};

EventWorkers::EventWorkers(EventWorkerOptions options, Poco::Net::HTTPServerParams::Ptr params,
                           RequestHandlerFn handler, crow::Logger& logger)
    : state_(std::make_shared<State>(options, std::move(params), std::move(handler), logger)) {
  State& s = *state_;
  s.options.workers = std::max(1, s.options.workers);
  s.options.maxThreads = std::max(s.options.workers, s.options.maxThreads);
  s.options.maxConnections = std::max(1, s.options.maxConnections);
  s.options.stallMs = std::max(1, s.options.stallMs);
  s.epollFd = ::epoll_create1(EPOLL_CLOEXEC);
  if (s.epollFd < 0) throw Poco::Net::NetException("epoll_create1 failed", errno);
}

EventWorkers::~EventWorkers() {
  try {
    shutdownAll(true);
    join();
  } catch (...) {
  }
}

void EventWorkers::start(const Poco::Net::ServerSocket& listening) {
  State& s = *state_;
  std::lock_guard lock(s.mutex);
  if (s.acceptor.joinable() || s.stopping) return;
  s.listening = listening;
  // Non-blocking: a client that gives up between poll and accept must not stall the acceptor.
  s.listening.setBlocking(false);
  s.accepting.store(true, std::memory_order_release);
  for (int i = 0; i < s.options.workers; ++i) s.spawnLocked(false);
  s.acceptor = std::thread([&s] { s.acceptLoop(); });
}

void EventWorkers::stopAccepting() { state_->accepting.store(false, std::memory_order_release); }

void EventWorkers::shutdownAll(bool evenBusy) {
  State& s = *state_;
  s.accepting.store(false, std::memory_order_release);
  std::lock_guard lock(s.mutex);
  s.stopping = true;
  s.stopped.store(true, std::memory_order_release);
  for (HttpConnection* connection : s.open)
    if (evenBusy || !connection->busy.load(std::memory_order_acquire)) connection->shutdown();
}

void EventWorkers::join() {
  State& s = *state_;
  std::thread acceptor;
  {
    std::lock_guard lock(s.mutex);
    acceptor.swap(s.acceptor);
  }
  if (acceptor.joinable()) acceptor.join();
  // Workers end once every connection is closed; a handler running past the grace period ends
  // first, so nothing it uses (router, hooks) may go away before this returns.
  std::unique_lock lock(s.mutex);
  s.workerEnded.wait(lock, [&s] { return s.workers.load() == 0; });
}

int EventWorkers::threads() const noexcept { return state_->workers.load(std::memory_order_relaxed); }

}  // namespace crow::host
