// The SQLite database: one writer connection and a pool of reader connections.
//
// Why one writer: SQLite admits one writing transaction at a time anyway. Serializing writes
// in-process on one connection (a mutex) makes them queue fairly instead of spinning in SQLite's
// busy handler (which sleeps in growing steps), and lets a transaction hold the writer from BEGIN
// IMMEDIATE to COMMIT. Readers run concurrently beside it: in WAL mode a read never waits for the
// writer and sees the last commit. Other processes on the same file are covered by busy_timeout.
// `:memory:` databases are private to their connection, so there everything uses the writer.
#pragma once

#include "reader_pool.hpp"
#include "sqlite_connection.hpp"

#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace crow::sqlite {

class SqliteDatabase final : public sql::ConnectionSource {
 public:
  /// Opens the writer (switching the file to WAL) and `readers` reader connections.
  SqliteDatabase(const std::string& path, int readers, int busyTimeoutMs);
  ~SqliteDatabase() override;

  sql::Result read(const sql::SqlStatement& statement) override;
  sql::Result write(const sql::SqlStatement& statement) override;
  void transaction(const std::function<void(sql::Executor&)>& work) override;
  bool ping() noexcept override;

  /// Runs `work` on the writer inside BEGIN IMMEDIATE ... COMMIT (migrations use it directly).
  void withWriterTransaction(const std::function<void(SqliteConnection&)>& work);
  /// Runs `work` on the writer outside any transaction (introspection).
  void withWriter(const std::function<void(SqliteConnection&)>& work);

 private:
  std::unique_lock<std::timed_mutex> lockWriter();

  const int busyTimeoutMs_;
  std::timed_mutex writerMutex_;
  std::unique_ptr<SqliteConnection> writer_;
  std::unique_ptr<ReaderPool> readers_;  // null: every read uses the writer (`:memory:`, size 0)
};

}  // namespace crow::sqlite
