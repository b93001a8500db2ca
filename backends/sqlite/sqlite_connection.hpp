// One SQLite connection with its prepared statements.
//
// Poco::Data opens the database (Poco::Data::SQLite::SessionImpl). Statements then run on the raw
// sqlite3 handle because Poco::Data 1.11 cannot keep a prepared statement: re-executing a
// Poco::Data::Statement resets it, and SQLiteStatementImpl::compileImpl() finalizes and prepares
// the SQL again on every execution; it also types `date` columns as Poco::Data::Date, which would
// drop the time from Better Auth's ISO text. The sqlite3 library is the one Poco links.
#pragma once

#include "common/connection.hpp"

#include <Poco/Data/Session.h>

#include <sqlite3.h>

#include <string>
#include <unordered_map>

namespace crow::sqlite {

class SqliteConnection final : public sql::Executor {
 public:
  /// Opens `path` (created when missing) with foreign keys on and the busy timeout set.
  /// `readOnly` connections refuse writes (PRAGMA query_only), a guard for the reader pool.
  SqliteConnection(const std::string& path, int busyTimeoutMs, bool readOnly);
  ~SqliteConnection() override;
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  sql::Result run(const sql::SqlStatement& statement) override;
  /// Runs SQL without parameters (BEGIN, COMMIT, PRAGMA, DDL); returns the first column of the
  /// first row, if any.
  std::string exec(const std::string& sql);
  bool readOnlyFile() const;

 private:
  sqlite3_stmt* prepared(const std::string& sql);

  Poco::Data::Session session_;
  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*> statements_;
};

/// Throws the DatabaseError for a failed sqlite3 call: Kind::Constraint for constraint
/// violations, Kind::Unavailable for busy/locked/I/O failures, Kind::Other otherwise.
[[noreturn]] void throwSqliteError(sqlite3* db, int rc);

}  // namespace crow::sqlite
