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
    // A checkpoint runs on the committing writer (under the writer lock) and ends in fsyncs; at
    // SQLite's default of 1,000 pages a write-heavy load (organization create + its outbox rows)
    // checkpointed dozens of times a second. 8,000 pages (32 MiB of WAL at 4 KiB pages) makes that
    // a few times a second and writes each hot page back once per checkpoint instead of per 1,000.
    writer_->exec("PRAGMA wal_autocheckpoint = 8000");
    // Readers open on demand, up to `readers`: an idle server keeps one, a busy one grows the
    // pool to its concurrency. Opening the first here proves the file is readable at start-up.
    if (readers > 0) readers_ = std::make_unique<ReaderPool>(path, static_cast<size_t>(readers), busyTimeoutMs);
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

sql::Result SqliteDatabase::read(const sql::SqlStatement& statement) {
  if (!readers_) return write(statement);
  SqliteConnection& reader = readers_->take();
  struct GiveBack {
    ReaderPool& pool;
    SqliteConnection& reader;
    ~GiveBack() { pool.giveBack(reader); }
  } giveBackOnExit{*readers_, reader};
  return reader.run(statement);
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
