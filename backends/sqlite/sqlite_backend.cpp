// The `sqlite` backend library: open (creating the file), plan and apply additive migrations,
// hand out the Store.
#include "sqlite_database.hpp"
#include "sqlite_dialect.hpp"
#include "sqlite_url.hpp"

#include "common/ddl.hpp"
#include "common/migration_planner.hpp"
#include "common/sql_store.hpp"
#include "crow/backend.hpp"
#include "crow/error.hpp"

#include <Poco/Exception.h>

#include <filesystem>

namespace crow::sqlite {

namespace {

std::string oneLine(std::string text) {
  for (char& c : text)
    if (c == '\n' || c == '\r') c = ' ';
  while (!text.empty() && text.back() == ' ') text.pop_back();
  return text;
}

sql::LiveSchema introspect(SqliteConnection& connection) {
  sql::LiveSchema live;
  auto tables = connection.run({"SELECT name FROM sqlite_master WHERE type = 'table'", {}, {}});
  for (auto& row : tables.rows) {
    const std::string name = std::get<std::string>(row.at(0));
    auto& columns = live.columns[name];
    auto info = connection.run({"SELECT name FROM pragma_table_info(?)", {name}, {}});
    for (auto& column : info.rows) columns.insert(std::get<std::string>(column.at(0)));
  }
  auto indexes = connection.run({"SELECT name FROM sqlite_master WHERE type = 'index'", {}, {}});
  for (auto& row : indexes.rows) live.indexes.insert(std::get<std::string>(row.at(0)));
  return live;
}

}  // namespace

class SqliteBackend final : public Backend {
 public:
  std::string dialect() const override { return "sqlite"; }

  void open(const BackendOptions& options) override {
    const std::string path = databasePath(options.url);
    auto fail = [&](const std::string& reason) {
      throw DatabaseError(DatabaseError::Kind::Unavailable,
                          "cannot open SQLite database " + path + ": " + oneLine(reason));
    };
    const bool inMemory = path == ":memory:";
    if (!inMemory) {
      auto parent = std::filesystem::path(path).parent_path();
      std::error_code ec;
      if (!parent.empty()) std::filesystem::create_directories(parent, ec);
      if (ec) fail(ec.message());
    }
    try {
      database_ = std::make_shared<SqliteDatabase>(path, std::max(1, options.poolSize), options.busyTimeoutMs);
    } catch (const DatabaseError& e) {
      fail(e.what());
    } catch (const Poco::Exception& e) {
      fail(e.displayText());
    } catch (const std::exception& e) {
      fail(e.what());
    }
  }

  std::vector<MigrationStep> planMigration(const std::vector<TableDecl>& tables) override {
    sql::LiveSchema live;
    if (database_) database_->withWriter([&](SqliteConnection& c) { live = introspect(c); });
    return sql::planAdditive(dialect_, tables, live);
  }

  void applyMigration(const std::vector<MigrationStep>& steps) override {
    if (steps.empty()) return;
    requireOpen();
    // One transaction: SQLite DDL is transactional, so a failing step leaves nothing half-done.
    const sql::LedgerStatements ledger(dialect_);
    database_->withWriterTransaction([&](SqliteConnection& connection) {
      connection.exec(ledger.createIfMissing());
      for (const auto& step : steps) {
        connection.exec(step.sql);
        connection.run(ledger.record(step, dialect()));
      }
    });
  }

  std::shared_ptr<Store> store(const std::vector<TableDecl>& tables) override {
    requireOpen();
    return std::make_shared<sql::SqlStore>(database_, tables, std::make_shared<SqliteDialect>());
  }

 private:
  void requireOpen() const {
    if (!database_) throw DatabaseError(DatabaseError::Kind::Other, "the SQLite backend is not open");
  }

  SqliteDialect dialect_;
  std::shared_ptr<SqliteDatabase> database_;
};

}  // namespace crow::sqlite

CROW_BACKEND(crow::sqlite::SqliteBackend, "sqlite", "0.1.0")
