// The SQLite reader connections, handed out without a shared lock on the hot path.
//
// Why not a mutex-guarded free list: get-session takes and returns a reader on every request, and
// with dozens of request threads on two cores the list's mutex was held by a preempted thread
// often enough to be the second most contended lock in the process. Here each idle connection
// sits in its own atomic slot; a thread starts scanning at "its" slot (so it tends to get the
// same connection back, with a warm statement cache) and only sleeps when every connection is
// busy and the pool is at its size.
#pragma once

#include "sqlite_connection.hpp"

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace crow::sqlite {

class ReaderPool {
 public:
  /// Opens one reader at once (proving the file is readable); more open on demand, up to `size`.
  ReaderPool(std::string path, size_t size, int busyTimeoutMs);
  ~ReaderPool();
  ReaderPool(const ReaderPool&) = delete;
  ReaderPool& operator=(const ReaderPool&) = delete;

  /// An idle reader, a newly opened one, or the first one given back within the busy timeout;
  /// throws DatabaseError(Unavailable) after that.
  SqliteConnection& take();
  void giveBack(SqliteConnection& reader) noexcept;

 private:
  SqliteConnection* takeIdle() noexcept;
  SqliteConnection* openAnother();
  size_t firstSlot() const noexcept;

  const std::string path_;
  const size_t size_;
  const int busyTimeoutMs_;
  std::unique_ptr<std::atomic<SqliteConnection*>[]> idle_;  // size_ slots; null when empty
  std::atomic<size_t> opened_{0};
  std::mutex ownedMutex_;
  std::vector<std::unique_ptr<SqliteConnection>> owned_;  // every connection opened
  std::mutex waitMutex_;
  std::condition_variable returned_;
  std::atomic<int> waiters_{0};
};

}  // namespace crow::sqlite
