#include "reader_pool.hpp"

#include "crow/error.hpp"

#include <chrono>

namespace crow::sqlite {

namespace {

// Each thread gets a fixed starting slot, so threads spread over the slots instead of all
// racing for slot 0.
size_t threadOrdinal() noexcept {
  static std::atomic<size_t> next{0};
  thread_local const size_t ordinal = next.fetch_add(1, std::memory_order_relaxed);
  return ordinal;
}

}  // namespace

ReaderPool::ReaderPool(std::string path, size_t size, int busyTimeoutMs)
    : path_(std::move(path)),
      size_(size > 0 ? size : 1),
      busyTimeoutMs_(busyTimeoutMs),
      idle_(new std::atomic<SqliteConnection*>[size_]) {
  for (size_t i = 0; i < size_; ++i) idle_[i].store(nullptr);
  giveBack(*openAnother());
}

ReaderPool::~ReaderPool() = default;

size_t ReaderPool::firstSlot() const noexcept { return threadOrdinal() % size_; }

SqliteConnection* ReaderPool::takeIdle() noexcept {
  const size_t start = firstSlot();
  for (size_t i = 0; i < size_; ++i) {
    auto& slot = idle_[(start + i) % size_];
    if (slot.load(std::memory_order_relaxed) == nullptr) continue;
    if (SqliteConnection* reader = slot.exchange(nullptr)) return reader;
  }
  return nullptr;
}

SqliteConnection* ReaderPool::openAnother() {
  size_t opened = opened_.load();
  while (opened < size_) {
    if (!opened_.compare_exchange_weak(opened, opened + 1)) continue;
    try {
      auto reader = std::make_unique<SqliteConnection>(path_, busyTimeoutMs_, true);
      std::lock_guard lock(ownedMutex_);
      owned_.push_back(std::move(reader));
      return owned_.back().get();
    } catch (...) {
      opened_.fetch_sub(1);
      throw;
    }
  }
  return nullptr;
}

SqliteConnection& ReaderPool::take() {
  if (SqliteConnection* reader = takeIdle()) return *reader;
  if (SqliteConnection* reader = openAnother()) return *reader;
  // Every connection is busy and the pool is full: sleep until one comes back. The waiter count
  // goes up before the rescan, and giveBack publishes before it reads the count, so a return
  // racing with this rescan is either seen by the rescan or wakes the wait.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(busyTimeoutMs_);
  std::unique_lock lock(waitMutex_);
  waiters_.fetch_add(1);
  for (;;) {
    if (SqliteConnection* reader = takeIdle()) {
      waiters_.fetch_sub(1);
      return *reader;
    }
    if (returned_.wait_until(lock, deadline) == std::cv_status::timeout) {
      if (SqliteConnection* reader = takeIdle()) {
        waiters_.fetch_sub(1);
        return *reader;
      }
      waiters_.fetch_sub(1);
      throw DatabaseError(DatabaseError::Kind::Unavailable,
                          "sqlite: no free connection within " + std::to_string(busyTimeoutMs_) + " ms");
    }
  }
}

void ReaderPool::giveBack(SqliteConnection& reader) noexcept {
  // There are as many slots as connections can exist, so an empty one is always found.
  const size_t start = firstSlot();
  for (size_t i = 0;; ++i) {
    SqliteConnection* expected = nullptr;
    if (idle_[(start + i) % size_].compare_exchange_strong(expected, &reader)) break;
  }
  if (waiters_.load() > 0) {
    std::lock_guard lock(waitMutex_);
    returned_.notify_one();
  }
}

}  // namespace crow::sqlite
