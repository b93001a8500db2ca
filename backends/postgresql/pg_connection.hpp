// One PostgreSQL connection with its prepared statements, on libpq directly.
//
// Why not Poco::Data::PostgreSQL (the project's default choice): Poco 1.11's connector breaks on
// exactly the error paths a server must survive.
//  - StatementExecutor::clearResults() frees the previous PGresult without forgetting it, so a
//    reused Statement that then fails (a unique violation, a dropped connection) frees it again:
//    a double free (AddressSanitizer caught it in tests/store).
//  - SessionHandle::connect() does not PQfinish a connection that failed, and disconnect() only
//    PQfinishes a connection whose status is still OK, so every failed connect attempt and every
//    connection the server dropped leaks its PGconn (~100 KB each; /ready retries during an
//    outage would leak steadily).
// libpq is what Poco wraps anyway; this class is the small part of it we need: connect, prepare
// once per SQL text, PQexecPrepared with text parameters, BEGIN/COMMIT/ROLLBACK.
#pragma once

#include "common/connection.hpp"

#include <libpq-fe.h>

#include <string>
#include <unordered_map>

namespace crow::postgresql {

class PgConnection final : public sql::Executor {
 public:
  /// Connects; throws DatabaseError(Kind::Unavailable) naming `describe` with libpq's reason
  /// (the password scrubbed, on one line).
  PgConnection(const std::string& connectionString, const std::string& describe, const std::string& password);
  ~PgConnection() override;
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  sql::Result run(const sql::SqlStatement& statement) override;
  void begin();
  void commit();
  void rollback() noexcept;
  /// False once the server closed the connection (restart, network loss).
  bool healthy() const;

 private:
  const std::string& prepared(const sql::SqlStatement& statement);
  [[noreturn]] void fail(PGresult* result, const std::string& context);
  void command(const char* sql);
  PGconn* conn() const { return conn_; }

  std::string password_;
  PGconn* conn_ = nullptr;
  std::unordered_map<std::string, std::string> statements_;  // SQL text -> prepared statement name
  size_t nextName_ = 0;
};

}  // namespace crow::postgresql
