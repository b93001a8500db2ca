#include "util/batched_line_writer.hpp"

#include <atomic>
#include <cerrno>
#include <unistd.h>

namespace crow::host {

namespace {

std::atomic<std::uint64_t> nextGeneration{1};

void writeAll(int fd, const char* data, std::size_t size) noexcept {
  while (size > 0) {
    const ssize_t n = ::write(fd, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      return;  // nowhere to report a failing log destination
    }
    data += n;
    size -= static_cast<std::size_t>(n);
  }
}

}  // namespace

BatchedLineWriter::BatchedLineWriter(int fd, std::chrono::milliseconds interval)
    : fd_(fd), interval_(interval), generation_(nextGeneration.fetch_add(1)) {
  flusher_ = std::thread([this] { flushLoop(); });
}

BatchedLineWriter::~BatchedLineWriter() {
  {
    std::lock_guard<std::mutex> lock(stopMutex_);
    stopping_ = true;
  }
  stopSignal_.notify_all();
  flusher_.join();
  flush();
}

BatchedLineWriter::Slot& BatchedLineWriter::slotForThisThread() {
  // A thread remembers its slot for the writer it last used. The generation (unique per writer
  // ever created) keeps a new writer at a recycled address from using a dead one's slot. When
  // the thread ends (pool threads come and go), its slot is marked so the flusher drops it.
  struct Cached {
    std::uint64_t generation = 0;
    std::shared_ptr<Slot> slot;
    void abandon() {
      if (!slot) return;
      std::lock_guard<std::mutex> lock(slot->mutex);
      slot->abandoned = true;
    }
    ~Cached() { abandon(); }
  };
  thread_local Cached cached;
  if (cached.generation == generation_) return *cached.slot;
  auto slot = std::make_shared<Slot>();
  slot->pending.reserve(kChunkBytes);
  {
    std::lock_guard<std::mutex> lock(slotsMutex_);
    slots_.push_back(slot);
  }
  cached.abandon();
  cached.generation = generation_;
  cached.slot = std::move(slot);
  return *cached.slot;
}

void BatchedLineWriter::write(std::string_view line) noexcept {
  try {
    Slot& slot = slotForThisThread();
    std::lock_guard<std::mutex> lock(slot.mutex);
    if (slot.pending.size() + line.size() > kChunkBytes) writeOut(slot.pending);
    if (line.size() >= kChunkBytes) {
      writeAll(fd_, line.data(), line.size());
      return;
    }
    slot.pending.append(line);
  } catch (...) {
    // Out of memory while registering a slot: drop the line rather than fail the request.
  }
}

void BatchedLineWriter::writeOut(std::string& pending) noexcept {
  if (pending.empty()) return;
  writeAll(fd_, pending.data(), pending.size());
  pending.clear();
}

void BatchedLineWriter::flush() noexcept {
  std::lock_guard<std::mutex> registry(slotsMutex_);
  for (auto it = slots_.begin(); it != slots_.end();) {
    bool abandoned;
    {
      std::lock_guard<std::mutex> lock((*it)->mutex);
      writeOut((*it)->pending);
      abandoned = (*it)->abandoned;
    }
    it = abandoned ? slots_.erase(it) : it + 1;
  }
}

void BatchedLineWriter::flushLoop() {
  std::unique_lock<std::mutex> lock(stopMutex_);
  while (!stopping_) {
    stopSignal_.wait_for(lock, interval_, [this] { return stopping_; });
    lock.unlock();
    flush();
    lock.lock();
  }
}

}  // namespace crow::host
