#include "sqlite_connection.hpp"

#include "crow/error.hpp"

#include <Poco/Data/SQLite/SessionImpl.h>
#include <Poco/Data/SQLite/Utility.h>

namespace crow::sqlite {

namespace {

// Distinct statement texts are bounded by the code's call shapes (IN-lists add a few); the cap
// only guards against a caller generating unbounded shapes.
constexpr size_t kMaxCachedStatements = 512;

// SQLite keeps global allocation statistics behind one process-wide mutex that every
// sqlite3_malloc takes; with many request threads reading at once that mutex was the most
// contended lock of get-session. Nothing here reads the statistics, so turn them off. This must
// run before SQLite initialises (the first open); SQLITE_MISUSE afterwards is harmless.
//
// Multi-thread mode, for the same reason: in the default serialized mode every API call (step,
// bind, each column read: dozens a query) locks the connection's own mutex. A connection here is
// only ever used by one thread at a time (the writer under SqliteDatabase's writer mutex, each
// reader taken from and given back to the ReaderPool), which is what multi-thread mode requires;
// SQLite's shared structures (the WAL index, file locks) keep their mutexes.
void configureSqliteOnce() {
  static const int once = [] {
    sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  }();
  (void)once;
}

Poco::Data::Session openSession(const std::string& path) {
  configureSqliteOnce();
  // Login timeout 0: Poco retries a failed open until it expires; fail at once instead.
  return Poco::Data::Session(new Poco::Data::SQLite::SessionImpl(path, 0));
}

}  // namespace

void throwSqliteError(sqlite3* db, int rc) {
  const std::string message = "sqlite: " + std::string(db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  switch (rc & 0xff) {
    case SQLITE_CONSTRAINT: throw DatabaseError(DatabaseError::Kind::Constraint, message);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_FULL:
    case SQLITE_PROTOCOL: throw DatabaseError(DatabaseError::Kind::Unavailable, message);
    default: throw DatabaseError(DatabaseError::Kind::Other, message);
  }
}

SqliteConnection::SqliteConnection(const std::string& path, int busyTimeoutMs, bool readOnly)
    : session_(openSession(path)), db_(Poco::Data::SQLite::Utility::dbHandle(session_)) {
  sqlite3_extended_result_codes(db_, 1);
  sqlite3_busy_timeout(db_, busyTimeoutMs);
  exec("PRAGMA foreign_keys = ON");
  if (readOnly) exec("PRAGMA query_only = ON");
}

SqliteConnection::~SqliteConnection() {
  // Finalize before Poco closes the handle, or sqlite3_close_v2 leaves a zombie connection.
  for (auto& [sql, statement] : statements_) sqlite3_finalize(statement);
  statements_.clear();
}

bool SqliteConnection::readOnlyFile() const { return sqlite3_db_readonly(db_, "main") == 1; }

sqlite3_stmt* SqliteConnection::prepared(const std::string& sql) {
  auto it = statements_.find(sql);
  if (it != statements_.end()) return it->second;
  if (statements_.size() >= kMaxCachedStatements) {
    for (auto& [text, statement] : statements_) sqlite3_finalize(statement);
    statements_.clear();
  }
  sqlite3_stmt* statement = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                              &statement, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(statement);
    throwSqliteError(db_, rc);
  }
  statements_.emplace(sql, statement);
  return statement;
}

sql::Result SqliteConnection::run(const sql::SqlStatement& st) {
  sqlite3_stmt* statement = prepared(st.sql);
  // Reset on every exit: an un-reset statement keeps its read snapshot (and WAL pages) pinned.
  struct ResetOnExit {
    sqlite3_stmt* s;
    ~ResetOnExit() {
      sqlite3_reset(s);
      sqlite3_clear_bindings(s);
    }
  } reset{statement};

  for (size_t i = 0; i < st.params.size(); ++i) {
    const int index = static_cast<int>(i + 1);
    const Value& v = st.params[i];
    int rc = SQLITE_OK;
    if (std::holds_alternative<std::monostate>(v)) rc = sqlite3_bind_null(statement, index);
    else if (auto b = std::get_if<bool>(&v)) rc = sqlite3_bind_int64(statement, index, *b ? 1 : 0);
    else if (auto n = std::get_if<int64_t>(&v)) rc = sqlite3_bind_int64(statement, index, *n);
    else if (auto d = std::get_if<double>(&v)) rc = sqlite3_bind_double(statement, index, *d);
    else if (auto s = std::get_if<std::string>(&v))
      rc = sqlite3_bind_text64(statement, index, s->data(), s->size(), SQLITE_STATIC, SQLITE_UTF8);
    else if (auto t = std::get_if<Timestamp>(&v)) {
      std::string text = toIsoString(*t);
      rc = sqlite3_bind_text64(statement, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
    }
    if (rc != SQLITE_OK) throwSqliteError(db_, rc);
  }

  sql::Result result;
  const int columns = sqlite3_column_count(statement);
  for (;;) {
    int rc = sqlite3_step(statement);
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) throwSqliteError(db_, rc);
    std::vector<Value> row;
    row.reserve(columns);
    for (int c = 0; c < columns; ++c) {
      switch (sqlite3_column_type(statement, c)) {
        case SQLITE_INTEGER: row.emplace_back(static_cast<int64_t>(sqlite3_column_int64(statement, c))); break;
        case SQLITE_FLOAT: row.emplace_back(sqlite3_column_double(statement, c)); break;
        case SQLITE_NULL: row.emplace_back(std::monostate{}); break;
        default: {
          const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement, c));
          row.emplace_back(std::string(text ? text : "", static_cast<size_t>(sqlite3_column_bytes(statement, c))));
        }
      }
    }
    result.rows.push_back(std::move(row));
  }
  if (!sqlite3_stmt_readonly(statement)) result.affected = sqlite3_changes64(db_);
  return result;
}

std::string SqliteConnection::exec(const std::string& sql) {
  sqlite3_stmt* statement = nullptr;
  int rc = sqlite3_prepare_v2(db_, sql.c_str(), static_cast<int>(sql.size()), &statement, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(statement);
    throwSqliteError(db_, rc);
  }
  std::string first;
  rc = sqlite3_step(statement);
  if (rc == SQLITE_ROW && sqlite3_column_count(statement) > 0) {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement, 0));
    if (text) first = text;
    while (rc == SQLITE_ROW) rc = sqlite3_step(statement);
  }
  sqlite3_finalize(statement);
  if (rc != SQLITE_DONE) throwSqliteError(db_, rc);
  return first;
}

}  // namespace crow::sqlite
