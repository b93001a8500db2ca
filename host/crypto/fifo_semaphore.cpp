#include "crypto/fifo_semaphore.hpp"

namespace crow::host {

FifoSemaphore::FifoSemaphore(std::size_t permits) : permits_(permits == 0 ? 1 : permits) {}

void FifoSemaphore::acquire() {
  std::unique_lock lock(mutex_);
  const std::uint64_t ticket = nextTicket_++;
  changed_.wait(lock, [&] { return ticket == nowServing_ && inUse_ < permits_; });
  ++nowServing_;
  ++inUse_;
  // The next ticket may be admissible too (several permits free): let it re-check.
  changed_.notify_all();
}

void FifoSemaphore::release() {
  {
    std::lock_guard lock(mutex_);
    --inUse_;
  }
  changed_.notify_all();
}

std::size_t FifoSemaphore::waiting() const {
  std::lock_guard lock(mutex_);
  return static_cast<std::size_t>(nextTicket_ - nowServing_);
}

std::size_t FifoSemaphore::inUse() const {
  std::lock_guard lock(mutex_);
  return inUse_;
}

}  // namespace crow::host
