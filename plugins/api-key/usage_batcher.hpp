// usage_batcher.hpp - requestCount and lastRequest of fast-path keys (no `remaining`, no per-key
// rate limit), kept in memory and written in one transaction per flush interval, so a verify of
// such a key is one indexed read and no write. A crash loses at most one interval of these counts;
// `remaining` and rate limits never go through here (README.md "Usage counts").
#pragma once

#include <crow/log.hpp>
#include <crow/store.hpp>

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>

namespace apikey {

class UsageBatcher {
 public:
  UsageBatcher(crow::Store& store, crow::Logger& logger, int64_t flushMs);
  ~UsageBatcher();
  UsageBatcher(const UsageBatcher&) = delete;
  UsageBatcher& operator=(const UsageBatcher&) = delete;

  /// Counts one use of key `id` at `at`, whose record read `storedCount` uses; returns the
  /// requestCount to report: the stored count plus the uses not yet written (this one included),
  /// and never less than one more than the last count reported for the key. A record read before
  /// a flush committed (or cached from before it) lacks the flushed uses; without that floor the
  /// count would go backwards for a moment.
  int64_t record(const std::string& id, crow::Timestamp at, int64_t storedCount = 0);
  /// Starts the flushing thread.
  void start();
  /// Stops the thread and writes what is pending. Never throws.
  void stop() noexcept;
  /// Writes what is pending now (the thread calls it every interval). Never throws; on a database
  /// error the counts are kept for the next try.
  void flush() noexcept;

 private:
  struct Pending {
    int64_t count = 0;
    crow::Timestamp last;
  };
  crow::Store& store_;
  crow::Logger& logger_;
  const int64_t flushMs_;
  std::mutex mutex_;
  std::unordered_map<std::string, Pending> pending_;
  // The last count reported per key, this flush interval and the one before: the floor only has
  // to outlive the moment a flush commits, and must not keep a count up that was lowered on
  // purpose (a rate-limit window, a reset by hand) for longer than that.
  std::unordered_map<std::string, int64_t> reported_;
  std::unordered_map<std::string, int64_t> reportedBefore_;
  std::mutex flushMutex_;  // one flush at a time (the thread, and stop())
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace apikey
