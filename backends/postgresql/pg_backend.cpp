// The `postgresql` backend library: a connection pool, additive migrations from
// information_schema, the shared SQL Store.
#include "pg_dialect.hpp"
#include "pg_pool.hpp"
#include "pg_url.hpp"

#include "common/ddl.hpp"
#include "common/migration_planner.hpp"
#include "common/sql_store.hpp"
#include "crow/backend.hpp"
#include "crow/error.hpp"


namespace crow::postgresql {

namespace {

std::string text(const Value& v) { return asString(v).value_or(""); }

sql::LiveSchema introspect(sql::Executor& connection) {
  sql::LiveSchema live;
  auto columns = connection.run({"SELECT table_name, column_name FROM information_schema.columns "
                                 "WHERE table_schema = current_schema()",
                                 {},
                                 {&sql::textColumn("table_name"), &sql::textColumn("column_name")}});
  for (auto& row : columns.rows) live.columns[text(row.at(0))].insert(text(row.at(1)));
  auto indexes = connection.run({"SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()",
                                 {},
                                 {&sql::textColumn("indexname")}});
  for (auto& row : indexes.rows) live.indexes.insert(text(row.at(0)));
  return live;
}

}  // namespace

class PgBackend final : public Backend {
 public:
  std::string dialect() const override { return "postgresql"; }

  void open(const BackendOptions& options) override {
    pool_ = std::make_shared<PgPool>(parseUrl(options.url), options.poolSize, options.busyTimeoutMs);
  }

  std::vector<MigrationStep> planMigration(const std::vector<TableDecl>& tables) override {
    sql::LiveSchema live;
    if (pool_) live = pool_->withConnection([](PgConnection& c) { return introspect(c); });
    return sql::planAdditive(dialect_, tables, live);
  }

  void applyMigration(const std::vector<MigrationStep>& steps) override {
    if (steps.empty()) return;
    requireOpen();
    const sql::LedgerStatements ledger(dialect_);
    // PostgreSQL DDL is transactional: all steps commit together or not at all. The advisory lock
    // keeps two instances starting at once from migrating side by side.
    pool_->transaction([&](sql::Executor& connection) {
      connection.run({"SELECT pg_advisory_xact_lock(7243911)", {}, {&sql::textColumn("lock")}});
      connection.run({ledger.createIfMissing(), {}, {}});
      for (const auto& step : steps) {
        connection.run({step.sql, {}, {}});
        connection.run(ledger.record(step, dialect()));
      }
    });
  }

  std::shared_ptr<Store> store(const std::vector<TableDecl>& tables) override {
    requireOpen();
    return std::make_shared<sql::SqlStore>(pool_, tables, std::make_shared<PgDialect>());
  }

 private:
  void requireOpen() const {
    if (!pool_) throw DatabaseError(DatabaseError::Kind::Other, "the PostgreSQL backend is not open");
  }

  PgDialect dialect_;
  std::shared_ptr<PgPool> pool_;
};

}  // namespace crow::postgresql

CROW_BACKEND(crow::postgresql::PgBackend, "postgresql", "0.1.0")
