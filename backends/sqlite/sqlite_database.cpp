#include "sqlite_database.hpp"

#include "crow/error.hpp"

#include <chrono>

namespace crow::sqlite {

SqliteDatabase::SqliteDatabase(const std::string& path, int readers, int busyTimeoutMs)
    : busyTimeoutMs_(busyTimeoutMs) {
  writer_ = std::make_unique<SqliteConnection>(path, busyTimeoutMs, false);
  if (writer_->readOnlyFile()) throw DatabaseError(DatabaseError::Kind::Unavailable, "the file is read-only");
  const bool inMemory = path == ":memory:" || path.rfind("file::memory:", 0) == 0;
  if (!inMemory) {
    // WAL is a property of the file: set once here, every later connection inherits it.
    writer_->exec("PRAGMA journal_mode = WAL");
    // NORMAL is durable across application crashes in WAL mode and saves an fsync per commit.
    writer_->exec("PRAGMA synchronous = NORMAL");
    // Readers open on demand, up to `readers`: an idle server keeps one, a busy one grows the
    // pool to its concurrency. Opening the first here proves the file is readable at start-up.
    path_ = path;
    readerCount_ = readers > 0 ? static_cast<size_t>(readers) : 0;
    if (readerCount_ > 0) {
      idleReaders_.push_back(std::make_unique<SqliteConnection>(path, busyTimeoutMs, true));
      openedReaders_ = 1;
    }
  }
}

SqliteDatabase::~SqliteDatabase() = default;

std::unique_lock<std::timed_mutex> SqliteDatabase::lockWriter() {
  std::unique_lock<std::timed_mutex> lock(writerMutex_, std::defer_lock);
  if (!lock.try_lock_for(std::chrono::milliseconds(busyTimeoutMs_)))
    throw DatabaseError(DatabaseError::Kind::Unavailable,
                        "sqlite: the writer stayed busy for " + std::to_string(busyTimeoutMs_) + " ms");
  return lock;
}

std::unique_ptr<SqliteConnection> SqliteDatabase::takeReader() {
  std::unique_lock lock(readersMutex_);
  if (idleReaders_.empty() && openedReaders_ < readerCount_) {
    ++openedReaders_;
    lock.unlock();  // opening a file is slow: nobody waits on the mutex meanwhile
    try {
      return std::make_unique<SqliteConnection>(path_, busyTimeoutMs_, true);
    } catch (...) {
      std::lock_guard relock(readersMutex_);
      --openedReaders_;
      throw;
    }
  }
  if (!readerReturned_.wait_for(lock, std::chrono::milliseconds(busyTimeoutMs_),
                                [&] { return !idleReaders_.empty(); }))
    throw DatabaseError(DatabaseError::Kind::Unavailable,
                        "sqlite: no free connection within " + std::to_string(busyTimeoutMs_) + " ms");
  auto reader = std::move(idleReaders_.back());
  idleReaders_.pop_back();
  return reader;
}

void SqliteDatabase::giveBack(std::unique_ptr<SqliteConnection> reader) {
  {
    std::lock_guard lock(readersMutex_);
    idleReaders_.push_back(std::move(reader));
  }
  readerReturned_.notify_one();
}

sql::Result SqliteDatabase::read(const sql::SqlStatement& statement) {
  if (readerCount_ == 0) return write(statement);
  auto reader = takeReader();
  struct Return {
    SqliteDatabase* db;
    std::unique_ptr<SqliteConnection>& r;
    ~Return() { db->giveBack(std::move(r)); }
  } giveBackOnExit{this, reader};
  return reader->run(statement);
}

sql::Result SqliteDatabase::write(const sql::SqlStatement& statement) {
  auto lock = lockWriter();
  return writer_->run(statement);
}

void SqliteDatabase::withWriter(const std::function<void(SqliteConnection&)>& work) {
  auto lock = lockWriter();
  work(*writer_);
}

void SqliteDatabase::withWriterTransaction(const std::function<void(SqliteConnection&)>& work) {
  auto lock = lockWriter();
  // IMMEDIATE takes the write lock now, so a transaction that reads then writes cannot fail
  // half-way with SQLITE_BUSY because another process wrote in between.
  writer_->exec("BEGIN IMMEDIATE");
  try {
    work(*writer_);
    writer_->exec("COMMIT");
  } catch (...) {
    try {
      writer_->exec("ROLLBACK");
    } catch (...) {
      // The original error matters more; SQLite may already have rolled back.
    }
    throw;
  }
}

void SqliteDatabase::transaction(const std::function<void(sql::Executor&)>& work) {
  withWriterTransaction([&](SqliteConnection& connection) { work(connection); });
}

bool SqliteDatabase::ping() noexcept {
  try {
    sql::SqlStatement probe{"SELECT 1", {}, {}};
    read(probe);
    return true;
  } catch (...) {
    return false;
  }
}

}  // namespace crow::sqlite
