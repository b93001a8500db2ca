// crypto/fifo_semaphore.hpp - a counting semaphore that admits waiters in arrival order.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>

namespace crow::host {

/// At most `permits` holders at a time; further acquirers block and are admitted strictly in the
/// order they arrived (ticket order). std::counting_semaphore makes no ordering promise, and
/// under a sustained burst an unlucky request could otherwise wait indefinitely.
/// Thread-safe. Every acquire must be paired with one release (use Permit).
class FifoSemaphore {
 public:
  /// `permits` is clamped to at least 1.
  explicit FifoSemaphore(std::size_t permits);
  FifoSemaphore(const FifoSemaphore&) = delete;
  FifoSemaphore& operator=(const FifoSemaphore&) = delete;

  /// Blocks until this caller's turn has come and a permit is free.
  void acquire();
  /// Returns a permit and wakes the next waiter.
  void release();

  std::size_t permits() const noexcept { return permits_; }
  /// Threads currently blocked in acquire (for tests and metrics; a snapshot).
  std::size_t waiting() const;
  /// Permits currently held (a snapshot).
  std::size_t inUse() const;

  /// Holds one permit for its lifetime.
  class Permit {
   public:
    explicit Permit(FifoSemaphore& semaphore) : semaphore_(semaphore) { semaphore_.acquire(); }
    ~Permit() { semaphore_.release(); }
    Permit(const Permit&) = delete;
    Permit& operator=(const Permit&) = delete;

   private:
    FifoSemaphore& semaphore_;
  };

 private:
  const std::size_t permits_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::size_t inUse_ = 0;
  std::uint64_t nextTicket_ = 0;  // handed to the next caller of acquire
  std::uint64_t nowServing_ = 0;  // the oldest ticket not yet admitted
};

}  // namespace crow::host
