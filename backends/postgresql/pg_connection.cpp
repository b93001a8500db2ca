#include "pg_connection.hpp"

#include "crow/error.hpp"


#include <charconv>
#include <memory>

namespace crow::postgresql {

namespace {

// Distinct statement texts are bounded by the code's call shapes; the cap guards against a
// caller generating unbounded shapes (server-side statements are freed with DEALLOCATE ALL).
constexpr size_t kMaxCachedStatements = 512;

std::string oneLine(std::string text, const std::string& secret) {
  if (!secret.empty())
    for (size_t at; (at = text.find(secret)) != std::string::npos;) text.replace(at, secret.size(), "***");
  for (char& c : text)
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  while (!text.empty() && text.back() == ' ') text.pop_back();
  return text;
}

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

// Values travel in PostgreSQL's text format; the server converts them to the column types.
std::string toText(const Value& v) {
  if (auto b = std::get_if<bool>(&v)) return *b ? "true" : "false";
  if (auto n = std::get_if<int64_t>(&v)) return std::to_string(*n);
  if (auto d = std::get_if<double>(&v)) {
    char buf[64];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, *d);
    return std::string(buf, end);
  }
  if (auto t = std::get_if<Timestamp>(&v)) return toIsoString(*t);
  return std::get<std::string>(v);
}

}  // namespace

PgConnection::PgConnection(const std::string& connectionString, const std::string& describe,
                           const std::string& password)
    : password_(password), conn_(PQconnectdb(connectionString.c_str())) {
  if (!conn_ || PQstatus(conn_) != CONNECTION_OK) {
    std::string why = conn_ ? PQerrorMessage(conn_) : "out of memory";
    PQfinish(conn_);  // a failed connection still owns memory
    conn_ = nullptr;
    throw DatabaseError(DatabaseError::Kind::Unavailable,
                        "cannot connect to PostgreSQL at " + describe + ": " + oneLine(why, password));
  }
  // libpq prints server notices ("relation ... already exists, skipping") to stderr by default;
  // they are expected here and carry nothing an operator needs.
  PQsetNoticeProcessor(conn_, [](void*, const char*) {}, nullptr);
  // Timestamps come back as text in the session's zone; UTC keeps them unambiguous.
  command("SET TIME ZONE 'UTC'");
}

PgConnection::~PgConnection() { PQfinish(conn_); }  // whatever its state; frees server-side statements too

bool PgConnection::healthy() const { return PQstatus(conn()) == CONNECTION_OK; }

void PgConnection::fail(PGresult* result, const std::string& context) {
  const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  const std::string sqlState = state ? state : "";
  std::string message = result ? PQresultErrorMessage(result) : "";
  if (message.empty()) message = PQerrorMessage(conn());
  const std::string text = "postgresql: " + oneLine(message, password_) + (sqlState.empty() ? "" : " [" + sqlState + "]");
  // SQLSTATE class 23 is "integrity constraint violation" (23505 unique, 23503 foreign key, ...).
  if (sqlState.rfind("23", 0) == 0) throw DatabaseError(DatabaseError::Kind::Constraint, text);
  if (!healthy() || sqlState.rfind("08", 0) == 0 || sqlState.rfind("57P", 0) == 0)
    throw DatabaseError(DatabaseError::Kind::Unavailable, text);
  throw DatabaseError(DatabaseError::Kind::Other, text + (context.empty() ? "" : " in: " + context));
}

const std::string& PgConnection::prepared(const sql::SqlStatement& st) {
  auto it = statements_.find(st.sql);
  if (it != statements_.end()) return it->second;
  if (statements_.size() >= kMaxCachedStatements) {
    ResultPtr r(PQexec(conn(), "DEALLOCATE ALL"));
    statements_.clear();
  }
  std::string name = "crow_" + std::to_string(nextName_++);
  ResultPtr result(PQprepare(conn(), name.c_str(), st.sql.c_str(), static_cast<int>(st.params.size()), nullptr));
  if (!result || PQresultStatus(result.get()) != PGRES_COMMAND_OK) fail(result.get(), st.sql);
  return statements_.emplace(st.sql, std::move(name)).first->second;
}

sql::Result PgConnection::run(const sql::SqlStatement& st) {
  const std::string& name = prepared(st);
  std::vector<std::string> texts(st.params.size());
  std::vector<const char*> values(st.params.size(), nullptr);
  for (size_t i = 0; i < st.params.size(); ++i) {
    if (isNull(st.params[i])) continue;  // a null pointer is SQL NULL
    texts[i] = toText(st.params[i]);
    values[i] = texts[i].c_str();
  }
  ResultPtr result(PQexecPrepared(conn(), name.c_str(), static_cast<int>(values.size()), values.data(), nullptr,
                                  nullptr, 0));
  const auto status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) fail(result.get(), {});

  sql::Result out;
  if (status == PGRES_TUPLES_OK) {
    const int rows = PQntuples(result.get()), columns = PQnfields(result.get());
    out.rows.resize(static_cast<size_t>(rows));
    for (int r = 0; r < rows; ++r) {
      auto& row = out.rows[static_cast<size_t>(r)];
      row.reserve(static_cast<size_t>(columns));
      for (int c = 0; c < columns; ++c) {
        if (PQgetisnull(result.get(), r, c)) row.emplace_back(std::monostate{});
        else row.emplace_back(std::string(PQgetvalue(result.get(), r, c), static_cast<size_t>(PQgetlength(result.get(), r, c))));
      }
    }
  }
  const char* tuples = PQcmdTuples(result.get());
  if (tuples && *tuples) out.affected = std::strtoll(tuples, nullptr, 10);
  return out;
}

void PgConnection::command(const char* sql) {
  ResultPtr result(PQexec(conn_, sql));
  if (!result || PQresultStatus(result.get()) != PGRES_COMMAND_OK) fail(result.get(), sql);
}

void PgConnection::begin() { command("BEGIN"); }

void PgConnection::commit() { command("COMMIT"); }

void PgConnection::rollback() noexcept {
  try {
    if (healthy()) command("ROLLBACK");
  } catch (...) {
    // The server rolls back on its own when the connection goes.
  }
}

}  // namespace crow::postgresql
