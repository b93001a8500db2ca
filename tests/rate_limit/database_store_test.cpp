// The database store on SQLite and PostgreSQL: Better Auth's `rateLimit` table, the fixed-window
// contract, exactly `max` admitted when 20 threads hammer one key, and an unreachable database
// reported as StoreUnavailable. PostgreSQL runs when CROW_TEST_POSTGRES_URL is set (required with
// CROW_REQUIRE_POSTGRES=1), each suite in a database of its own.
#include "database_store.hpp"
#include "store_semantics.hpp"

#include "../store/backend_fixture.hpp"

#include <crow/backend.hpp>
#include <crow/error.hpp>

#include <cppunit/extensions/HelperMacros.h>
#include <sqlite3.h>

#include <filesystem>

using namespace crow::rate_limit;

namespace {

const std::string kBetterAuthDdl =
    R"(create table "rateLimit" ("id" text not null primary key, "key" text not null unique, "count" integer not null, "lastRequest" bigint not null))";

std::vector<crow::TableDecl> rateLimitSchema() {
  crow::SchemaBuilder schema;
  declareRateLimitTable(schema);
  return schema.tables();
}

// A database of its own on the test cluster, so suites running in parallel never share tables.
std::string freshPostgres(const std::string& name) {
  const std::string cluster = crow::test::postgresUrl();
  if (cluster.empty()) return {};
  crow::test::postgresExec(cluster, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
  crow::test::postgresExec(cluster, "CREATE DATABASE " + name);
  return cluster.substr(0, cluster.rfind('/') + 1) + name;
}

struct Opened {
  std::unique_ptr<crow::Backend> backend;
  std::shared_ptr<crow::Store> store;
  std::unique_ptr<crow::test::TempDir> dir;
};

// nullopt: PostgreSQL is not configured (the test is skipped).
std::optional<Opened> open(const std::string& dialect, const std::string& pgName = "crow_rl_store") {
  Opened opened;
  crow::BackendOptions options;
  if (dialect == "sqlite") {
    opened.dir = std::make_unique<crow::test::TempDir>();
    options.url = "sqlite://" + opened.dir->path() + "/rl.db";
  } else {
    options.url = freshPostgres(pgName);
    if (options.url.empty()) return std::nullopt;
  }
  options.poolSize = 24;
  options.busyTimeoutMs = 20000;
  opened.backend = crow::test::loadBackend(dialect);
  opened.backend->open(options);
  opened.store = [&] {
    auto tables = rateLimitSchema();
    opened.backend->applyMigration(opened.backend->planMigration(tables));
    return opened.backend->store(tables);
  }();
  return opened;
}

void sqliteExec(const std::string& file, const std::string& sql) {
  sqlite3* db = nullptr;
  CPPUNIT_ASSERT_EQUAL(SQLITE_OK, sqlite3_open(file.c_str(), &db));
  char* error = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
  const std::string message = error ? error : "";
  sqlite3_free(error);
  sqlite3_close(db);
  CPPUNIT_ASSERT_EQUAL_MESSAGE(message, SQLITE_OK, rc);
}

// A Store whose database is gone: every call fails as a backend reports an unreachable server.
class UnreachableStore final : public crow::Store {
 public:
  [[noreturn]] static void fail() { throw crow::DatabaseError(crow::DatabaseError::Kind::Unavailable, "connection refused"); }
  crow::Row create(const std::string&, const crow::Row&) override { fail(); }
  std::optional<crow::Row> findOne(const std::string&, const std::vector<crow::Where>&) override { fail(); }
  std::vector<crow::Row> findMany(const std::string&, const crow::FindOptions&) override { fail(); }
  int64_t count(const std::string&, const std::vector<crow::Where>&) override { fail(); }
  std::optional<crow::Row> update(const std::string&, const std::vector<crow::Where>&, const crow::Row&) override { fail(); }
  int64_t updateMany(const std::string&, const std::vector<crow::Where>&, const crow::Row&) override { fail(); }
  int64_t remove(const std::string&, const std::vector<crow::Where>&) override { fail(); }
  std::optional<crow::Row> increment(const std::string&, const std::vector<crow::Where>&,
                                     const std::map<std::string, int64_t>&) override { fail(); }
  void transaction(const std::function<void(crow::Store&)>&) override { fail(); }
  bool ping() noexcept override { return false; }
};

}  // namespace

class DatabaseStoreTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(DatabaseStoreTest);
  CPPUNIT_TEST(tableIsBetterAuths);
  CPPUNIT_TEST(betterAuthDatabaseMigratesAdditively);
  CPPUNIT_TEST(existingBetterAuthTableIsUsedAsIs);
  CPPUNIT_TEST(fixedWindowOnSqlite);
  CPPUNIT_TEST(fixedWindowOnPostgres);
  CPPUNIT_TEST(windowStartIsStoredInLastRequest);
  CPPUNIT_TEST(twentyThreadsOnSqlite);
  CPPUNIT_TEST(twentyThreadsOnPostgres);
  CPPUNIT_TEST(twentyThreadsAcrossAWindowEndOnPostgres);
  CPPUNIT_TEST(unreachableDatabaseIsStoreUnavailable);
  CPPUNIT_TEST_SUITE_END();

 public:
  void tableIsBetterAuths() {
    auto backend = crow::test::loadBackend("sqlite");
    auto steps = backend->planMigration(rateLimitSchema());  // no database open: the whole schema
    std::string ddl;
    for (const auto& step : steps)
      if (step.sql.find("\"rateLimit\"") != std::string::npos && step.sql.rfind("create table", 0) == 0) ddl = step.sql;
    CPPUNIT_ASSERT_EQUAL(kBetterAuthDdl, ddl);
  }

  void betterAuthDatabaseMigratesAdditively() {
    crow::test::TempDir dir;
    const std::string file = dir.path() + "/ba.db";
    std::filesystem::copy_file(std::string(CROW_SOURCE_DIR) + "/tests/fixtures/better-auth-db/fixture.db", file);
    auto backend = crow::test::loadBackend("sqlite");
    backend->open(crow::BackendOptions{.url = "sqlite://" + file});
    auto steps = backend->planMigration(rateLimitSchema());
    std::vector<std::string> sql;
    for (const auto& step : steps) sql.push_back(step.sql);
    CPPUNIT_ASSERT_EQUAL(size_t(1), sql.size());
    CPPUNIT_ASSERT_EQUAL(kBetterAuthDdl, sql[0]);
    backend->applyMigration(steps);
    CPPUNIT_ASSERT(backend->planMigration(rateLimitSchema()).empty());
    auto sqlStore = backend->store(rateLimitSchema());
    DatabaseStore store(*sqlStore);
    CPPUNIT_ASSERT(store.hit("1.2.3.4|/sign-in*", 10000, 3, 1000).allowed);
  }

  void existingBetterAuthTableIsUsedAsIs() {
    crow::test::TempDir dir;
    const std::string file = dir.path() + "/ba.db";
    // As Better Auth's migration (rateLimit.storage = "database") leaves it, with one of its rows.
    sqliteExec(file, kBetterAuthDdl + "; insert into \"rateLimit\" values ('x', '1.2.3.4|/sign-in/email', 3, 1764351861383);");
    auto backend = crow::test::loadBackend("sqlite");
    backend->open(crow::BackendOptions{.url = "sqlite://" + file});
    CPPUNIT_ASSERT(backend->planMigration(rateLimitSchema()).empty());
    auto sqlStore = backend->store(rateLimitSchema());
    DatabaseStore store(*sqlStore);
    rate_limit_test::checkFixedWindow(store, "5.6.7.8|/sign-in*");
    // Its row reads back with Better Auth's types.
    auto row = sqlStore->findOne(kRateLimitTable, {crow::eq("key", std::string("1.2.3.4|/sign-in/email"))});
    CPPUNIT_ASSERT(row);
    CPPUNIT_ASSERT_EQUAL(int64_t{1764351861383}, crow::asInt(crow::field(*row, "lastRequest")).value_or(0));
  }

  void fixedWindowOnSqlite() { fixedWindowOn("sqlite"); }
  void fixedWindowOnPostgres() { fixedWindowOn("postgresql"); }

  void windowStartIsStoredInLastRequest() {
    auto db = open("sqlite");
    DatabaseStore store(*db->store);
    store.hit("k", 10000, 5, 5000);
    store.hit("k", 10000, 5, 7000);
    auto row = db->store->findOne(kRateLimitTable, {crow::eq("key", std::string("k"))});
    CPPUNIT_ASSERT_EQUAL(int64_t{5000}, crow::asInt(crow::field(*row, "lastRequest")).value_or(0));
    CPPUNIT_ASSERT_EQUAL(int64_t{2}, crow::asInt(crow::field(*row, "count")).value_or(0));
    CPPUNIT_ASSERT_EQUAL(int64_t{1}, db->store->count(kRateLimitTable, {}));
  }

  void twentyThreadsOnSqlite() { hammer("sqlite"); }
  void twentyThreadsOnPostgres() { hammer("postgresql"); }

  // The first hits of a new window race to restart the old one: still exactly max.
  void twentyThreadsAcrossAWindowEndOnPostgres() {
    auto db = open("postgresql", "crow_rl_window");
    if (!db) return;
    DatabaseStore store(*db->store);
    for (int i = 0; i < 7; ++i) store.hit("hot", 60000, 7, 1'700'000'000'000);
    CPPUNIT_ASSERT(!store.hit("hot", 60000, 7, 1'700'000'000'000).allowed);
    rate_limit_test::checkExactlyMaxUnderContention(store, "hot", 20, 10, 7, 1'700'000'060'000);
  }

  void unreachableDatabaseIsStoreUnavailable() {
    UnreachableStore unreachable;
    DatabaseStore store(unreachable);
    CPPUNIT_ASSERT_THROW(store.hit("k", 1000, 1, 0), StoreUnavailable);
  }

 private:
  void fixedWindowOn(const std::string& dialect) {
    auto db = open(dialect);
    if (!db) return;
    DatabaseStore store(*db->store);
    rate_limit_test::checkFixedWindow(store, "1.2.3.4|/sign-in*");
    rate_limit_test::checkExpiredWindowRestarts(store, "2001:db8::/64|/sign-up*");
  }

  void hammer(const std::string& dialect) {
    auto db = open(dialect, "crow_rl_hammer");
    if (!db) return;
    DatabaseStore store(*db->store);
    // 20 threads, 10 hits each, on a key that does not exist yet (the creates race too).
    rate_limit_test::checkExactlyMaxUnderContention(store, "hot", 20, 10, 37);
    auto row = db->store->findOne(kRateLimitTable, {crow::eq("key", std::string("hot"))});
    CPPUNIT_ASSERT_EQUAL(int64_t{37}, crow::asInt(crow::field(*row, "count")).value_or(0));
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(DatabaseStoreTest);
