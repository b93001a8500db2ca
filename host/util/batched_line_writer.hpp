// Batches whole log lines per thread and writes them in chunks of at most PIPE_BUF bytes, so the
// access log costs one write(2) per ~25 requests instead of one per request (a write per line to
// a file costs more than the whole /health request). A background thread flushes every
// `interval`, so a line is never held back longer than that, even on an idle server.
//
// Each thread appends to its own buffer under its own mutex, which only the flusher ever
// contends for. Chunks never split a line, and stay within PIPE_BUF so that writes to a pipe
// (journald, a log shipper) stay atomic and lines from different threads never interleave.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace crow::host {

class BatchedLineWriter {
 public:
  explicit BatchedLineWriter(int fd, std::chrono::milliseconds interval = std::chrono::milliseconds(100));
  ~BatchedLineWriter();
  BatchedLineWriter(const BatchedLineWriter&) = delete;
  BatchedLineWriter& operator=(const BatchedLineWriter&) = delete;

  /// Queues one line (it must end with '\n'). Lines longer than a chunk are written at once.
  void write(std::string_view line) noexcept;
  /// Writes everything queued by every thread.
  void flush() noexcept;

  static constexpr std::size_t kChunkBytes = 4096;  // PIPE_BUF on Linux

 private:
  struct Slot {
    std::mutex mutex;
    std::string pending;
    bool abandoned = false;  ///< its thread ended (or moved to another writer): reclaim once empty
  };
  Slot& slotForThisThread();
  void writeOut(std::string& pending) noexcept;
  void flushLoop();

  const int fd_;
  const std::chrono::milliseconds interval_;
  const std::uint64_t generation_;  ///< tells this writer's thread slots from a previous one's
  std::mutex slotsMutex_;
  std::vector<std::shared_ptr<Slot>> slots_;
  std::mutex stopMutex_;
  std::condition_variable stopSignal_;
  bool stopping_ = false;
  std::thread flusher_;
};

}  // namespace crow::host
