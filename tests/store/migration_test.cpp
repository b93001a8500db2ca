// Migrations: the rendered DDL matches Better Auth's (CONTRACT.md §12), plans are additive and
// idempotent, a database Better Auth created needs nothing, and the ledger records every step.
#include "backend_fixture.hpp"

#include "auth/core_schema.hpp"
#include "data/migrator.hpp"
#include "data/schema_registry.hpp"
#include "crow/error.hpp"

#include <cppunit/extensions/HelperMacros.h>
#include <sqlite3.h>

#include <cstdlib>
#include <filesystem>

using namespace crow;

namespace {

// CONTRACT.md §12: Better Auth 1.7's own SQLite migration, the lines for the core's tables.
const std::vector<std::string> kBetterAuthCoreDdl = {
    R"(create table "user" ("id" text not null primary key, "name" text not null, "email" text not null unique, "emailVerified" integer not null, "image" text, "createdAt" date not null, "updatedAt" date not null);)",
    R"(create table "session" ("id" text not null primary key, "expiresAt" date not null, "token" text not null unique, "createdAt" date not null, "updatedAt" date not null, "ipAddress" text, "userAgent" text, "userId" text not null references "user" ("id") on delete cascade, "activeOrganizationId" text);)",
    R"(create table "account" ("id" text not null primary key, "accountId" text not null, "providerId" text not null, "userId" text not null references "user" ("id") on delete cascade, "accessToken" text, "refreshToken" text, "idToken" text, "accessTokenExpiresAt" date, "refreshTokenExpiresAt" date, "scope" text, "password" text, "createdAt" date not null, "updatedAt" date not null);)",
    R"(create table "verification" ("id" text not null primary key, "identifier" text not null, "value" text not null, "expiresAt" date not null, "createdAt" date not null, "updatedAt" date not null);)",
    R"(create table "jwks" ("id" text not null primary key, "publicKey" text not null, "privateKey" text not null, "createdAt" date not null, "expiresAt" date, "alg" text, "crv" text);)",
    R"(create index "session_userId_idx" on "session" ("userId");)",
    R"(create index "account_userId_idx" on "account" ("userId");)",
    R"(create index "verification_identifier_idx" on "verification" ("identifier");)",
};

// Other tables of a Better Auth database with the organization and API-key plugins (§12).
const std::vector<std::string> kBetterAuthPluginDdl = {
    R"(create table "organization" ("id" text not null primary key, "name" text not null, "slug" text not null unique, "logo" text, "createdAt" date not null, "metadata" text);)",
    R"(create table "apikey" ("id" text not null primary key, "configId" text not null, "name" text, "start" text, "referenceId" text not null, "prefix" text, "key" text not null, "refillInterval" integer, "refillAmount" integer, "lastRefillAt" date, "enabled" integer, "rateLimitEnabled" integer, "rateLimitTimeWindow" integer, "rateLimitMax" integer, "requestCount" integer, "remaining" integer, "lastRequest" date, "expiresAt" date, "createdAt" date not null, "updatedAt" date not null, "permissions" text, "metadata" text);)",
};

std::vector<TableDecl> coreTables() {
  host::SchemaRegistry registry;
  SchemaBuilder core;
  host::declareCoreSchema(core);
  registry.add("core", core.tables());
  return registry.merged();
}

void execSqlite(const std::string& file, const std::string& sql) {
  std::filesystem::create_directories(std::filesystem::path(file).parent_path());
  sqlite3* db = nullptr;
  CPPUNIT_ASSERT_EQUAL(SQLITE_OK, sqlite3_open(file.c_str(), &db));
  char* error = nullptr;
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
  std::string message = error ? error : "";
  sqlite3_free(error);
  sqlite3_close(db);
  CPPUNIT_ASSERT_EQUAL_MESSAGE(message, SQLITE_OK, rc);
}

std::string querySqlite(const std::string& file, const std::string& sql) {
  sqlite3* db = nullptr;
  CPPUNIT_ASSERT_EQUAL(SQLITE_OK, sqlite3_open(file.c_str(), &db));
  sqlite3_stmt* st = nullptr;
  CPPUNIT_ASSERT_EQUAL(SQLITE_OK, sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr));
  std::string out;
  if (sqlite3_step(st) == SQLITE_ROW) out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
  sqlite3_finalize(st);
  sqlite3_close(db);
  return out;
}

std::string sqlitePathOf(const test::TestDatabase& db) { return db.url.substr(std::string("sqlite://").size()); }

}  // namespace

class MigrationTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(MigrationTest);
  CPPUNIT_TEST(coreDdlOnSqliteIsBetterAuthsByteForByte);
  CPPUNIT_TEST(dryRunPrintsOneStatementPerLineWithOwners);
  CPPUNIT_TEST(applyingTwicePlansNothingAndRecordsTheLedger);
  CPPUNIT_TEST(aBetterAuthDatabaseNeedsNoMigration);
  CPPUNIT_TEST(aPluginColumnIsExactlyOneAddColumn);
  CPPUNIT_TEST(sqliteStoresBetterAuthsEncodings);
  CPPUNIT_TEST(sqliteFileAndFolderAreCreated);
  CPPUNIT_TEST(sqliteUnwritablePathIsOneClearLine);
  CPPUNIT_TEST(sqliteUrlForms);
  CPPUNIT_TEST(postgresMigratesTwiceAndKeepsALedger);
  CPPUNIT_TEST(postgresRefusalNeverShowsThePassword);
  CPPUNIT_TEST(postgresPoolRecoversFromKilledConnections);
  CPPUNIT_TEST(postgresPingFollowsAServerRestart);
  CPPUNIT_TEST_SUITE_END();

 public:
  void coreDdlOnSqliteIsBetterAuthsByteForByte() {
    // Offline (no database open): the plan renders the whole schema.
    auto backend = test::loadBackend("sqlite");
    auto steps = host::planMigrations(*backend, coreTables());
    CPPUNIT_ASSERT_EQUAL(kBetterAuthCoreDdl.size(), steps.size());
    for (size_t i = 0; i < steps.size(); ++i) {
      CPPUNIT_ASSERT_EQUAL(kBetterAuthCoreDdl[i], steps[i].sql + ";");
      CPPUNIT_ASSERT_EQUAL(std::string("core"), steps[i].owner);
    }
  }

  void dryRunPrintsOneStatementPerLineWithOwners() {
    auto backend = test::loadBackend("sqlite");
    const std::string text = host::renderDryRun(host::planMigrations(*backend, coreTables()), "sqlite");
    CPPUNIT_ASSERT(text.find("-- core: create table user\n" + kBetterAuthCoreDdl[0] + "\n") != std::string::npos);
    CPPUNIT_ASSERT(text.find("-- core: create index session_userId_idx\n" + kBetterAuthCoreDdl[5] + "\n") != std::string::npos);
    CPPUNIT_ASSERT(host::renderDryRun({}, "sqlite").find("up to date") != std::string::npos);
  }

  void applyingTwicePlansNothingAndRecordsTheLedger() {
    auto db = test::TestDatabase::make("sqlite");
    db.open();
    const auto tables = coreTables();
    auto steps = host::planMigrations(*db.backend, tables);
    CPPUNIT_ASSERT_EQUAL(size_t{8}, host::applyMigrations(*db.backend, steps));
    CPPUNIT_ASSERT(host::planMigrations(*db.backend, tables).empty());
    CPPUNIT_ASSERT_EQUAL(size_t{0}, host::applyMigrations(*db.backend, {}));
    auto all = tables;
    all.push_back(host::migrationLedgerTable());
    auto store = db.backend->store(all);
    FindOptions options;
    auto ledger = store->findMany(host::kMigrationLedgerTable, options);
    CPPUNIT_ASSERT_EQUAL(size_t{8}, ledger.size());
    CPPUNIT_ASSERT_EQUAL(std::string("core"), std::get<std::string>(field(ledger[0], "owner")));
    CPPUNIT_ASSERT_EQUAL(std::string("create table user"), std::get<std::string>(field(ledger[0], "description")));
    CPPUNIT_ASSERT_EQUAL(steps[0].sql, std::get<std::string>(field(ledger[0], "sql")));
    CPPUNIT_ASSERT_EQUAL(std::string("sqlite"), std::get<std::string>(field(ledger[0], "dialect")));
    CPPUNIT_ASSERT(std::holds_alternative<Timestamp>(field(ledger[0], "applied_at")));
  }

  void aBetterAuthDatabaseNeedsNoMigration() {
    auto db = test::TestDatabase::make("sqlite");
    std::string ddl;
    for (const auto& s : kBetterAuthCoreDdl) ddl += s + "\n";
    for (const auto& s : kBetterAuthPluginDdl) ddl += s + "\n";
    execSqlite(sqlitePathOf(db), ddl);
    execSqlite(sqlitePathOf(db),
               R"(insert into "user" values ('u1', 'Ann', 'ann@example.com', 1, null, '2026-11-28T17:44:21.383Z', '2026-11-28T17:44:21.383Z');)");
    db.open();
    const auto tables = coreTables();
    CPPUNIT_ASSERT(host::planMigrations(*db.backend, tables).empty());
    // The rows Better Auth wrote read back with their declared types.
    auto store = db.backend->store(tables);
    auto user = store->findOne("user", {eq("email", std::string("ann@example.com"))});
    CPPUNIT_ASSERT(user);
    CPPUNIT_ASSERT_EQUAL(true, std::get<bool>(field(*user, "emailVerified")));
    CPPUNIT_ASSERT(Timestamp{1795887861383} == std::get<Timestamp>(field(*user, "createdAt")));
  }

  void aPluginColumnIsExactlyOneAddColumn() {
    auto db = test::TestDatabase::make("sqlite");
    db.open();
    host::applyMigrations(*db.backend, host::planMigrations(*db.backend, coreTables()));
    host::SchemaRegistry registry;
    SchemaBuilder core;
    host::declareCoreSchema(core);
    registry.add("core", core.tables());
    SchemaBuilder admin;
    admin.extend("user").field("role", FieldType::String);
    registry.add("admin", admin.tables());
    auto steps = host::planMigrations(*db.backend, registry.merged());
    CPPUNIT_ASSERT_EQUAL(size_t{1}, steps.size());
    CPPUNIT_ASSERT_EQUAL(std::string(R"(alter table "user" add column "role" text)"), steps[0].sql);
    CPPUNIT_ASSERT_EQUAL(std::string("admin"), steps[0].owner);
    host::applyMigrations(*db.backend, steps);
    CPPUNIT_ASSERT(host::planMigrations(*db.backend, registry.merged()).empty());
    CPPUNIT_ASSERT_EQUAL(std::string("admin"),
                         querySqlite(sqlitePathOf(db), "select owner from crow_schema_migrations where description like 'add column%'"));
    // An indexed extension column adds its index too, after the column.
    SchemaBuilder more;
    more.extend("user").field("banned", FieldType::Boolean).index();
    registry.add("ban", more.tables());
    steps = host::planMigrations(*db.backend, registry.merged());
    CPPUNIT_ASSERT_EQUAL(size_t{2}, steps.size());
    CPPUNIT_ASSERT_EQUAL(std::string(R"(alter table "user" add column "banned" integer)"), steps[0].sql);
    CPPUNIT_ASSERT_EQUAL(std::string(R"(create index "user_banned_idx" on "user" ("banned"))"), steps[1].sql);
  }

  void sqliteStoresBetterAuthsEncodings() {
    auto db = test::TestDatabase::make("sqlite");
    db.open();
    auto tables = coreTables();
    auto store = db.migrateAndStore(tables);
    store->create("user", {{"id", std::string("u1")},
                           {"name", std::string("Ann")},
                           {"email", std::string("ann@example.com")},
                           {"emailVerified", true},
                           {"createdAt", Timestamp{1795887861383}},
                           {"updatedAt", Timestamp{5}}});
    const std::string file = sqlitePathOf(db);
    CPPUNIT_ASSERT_EQUAL(std::string("2026-11-28T17:44:21.383Z"), querySqlite(file, R"(select "createdAt" from "user")"));
    CPPUNIT_ASSERT_EQUAL(std::string("1970-01-01T00:00:00.005Z"), querySqlite(file, R"(select "updatedAt" from "user")"));
    CPPUNIT_ASSERT_EQUAL(std::string("integer"), querySqlite(file, R"(select typeof("emailVerified") from "user")"));
    CPPUNIT_ASSERT_EQUAL(std::string("1"), querySqlite(file, R"(select "emailVerified" from "user")"));
    CPPUNIT_ASSERT_EQUAL(std::string("text"), querySqlite(file, R"(select typeof("createdAt") from "user")"));
    CPPUNIT_ASSERT_EQUAL(std::string("wal"), querySqlite(file, "pragma journal_mode"));
  }

  void sqliteFileAndFolderAreCreated() {
    test::TempDir dir;
    const std::string file = dir.path() + "/nested/deeper/crow.db";
    auto backend = test::loadBackend("sqlite");
    BackendOptions options;
    options.url = "sqlite://" + file;
    backend->open(options);
    CPPUNIT_ASSERT(std::filesystem::exists(file));
  }

  void sqliteUnwritablePathIsOneClearLine() {
    auto backend = test::loadBackend("sqlite");
    BackendOptions options;
    options.url = "sqlite:///etc/hostname/sub/crow.db";  // a file where a folder should be
    try {
      backend->open(options);
      CPPUNIT_FAIL("opening under a regular file succeeded");
    } catch (const DatabaseError& e) {
      const std::string message = e.what();
      CPPUNIT_ASSERT_MESSAGE(message, message.rfind("cannot open SQLite database /etc/hostname/sub/crow.db: ", 0) == 0);
      CPPUNIT_ASSERT(message.find('\n') == std::string::npos);
    }
  }

  void sqliteUrlForms() {
    auto memory = test::loadBackend("sqlite");
    BackendOptions options;
    options.url = "sqlite::memory:";
    memory->open(options);
    auto tables = coreTables();
    memory->applyMigration(memory->planMigration(tables));
    auto store = memory->store(tables);
    store->create("verification", {{"id", std::string("v1")},
                                   {"identifier", std::string("x")},
                                   {"value", std::string("y")},
                                   {"expiresAt", Timestamp{1}},
                                   {"createdAt", Timestamp{1}},
                                   {"updatedAt", Timestamp{1}}});
    CPPUNIT_ASSERT_EQUAL(int64_t{1}, store->count("verification", {}));

    test::TempDir dir;
    const auto cwd = std::filesystem::current_path();
    std::filesystem::current_path(dir.path());
    auto relative = test::loadBackend("sqlite");
    options.url = "sqlite://rel/crow.db";
    relative->open(options);
    std::filesystem::current_path(cwd);
    CPPUNIT_ASSERT(std::filesystem::exists(dir.path() + "/rel/crow.db"));

    auto bad = test::loadBackend("sqlite");
    options.url = "mysql://x";
    CPPUNIT_ASSERT_THROW(bad->open(options), DatabaseError);
  }

  void postgresMigratesTwiceAndKeepsALedger() {
    auto db = test::TestDatabase::make("postgresql");
    if (!db.backend) return;
    db.open();
    const auto tables = coreTables();
    auto steps = host::planMigrations(*db.backend, tables);
    CPPUNIT_ASSERT_EQUAL(size_t{8}, steps.size());
    CPPUNIT_ASSERT(steps[0].sql.find(R"("emailVerified" boolean not null)") != std::string::npos);
    CPPUNIT_ASSERT(steps[0].sql.find(R"("createdAt" timestamptz not null)") != std::string::npos);
    host::applyMigrations(*db.backend, steps);
    CPPUNIT_ASSERT(host::planMigrations(*db.backend, tables).empty());
    CPPUNIT_ASSERT_EQUAL(std::string("8"), test::postgresExec(db.url, "select count(*) from crow_schema_migrations"));
    CPPUNIT_ASSERT_EQUAL(std::string("postgresql"), test::postgresExec(db.url, "select distinct dialect from crow_schema_migrations"));
    // An added column is one ALTER TABLE.
    host::SchemaRegistry registry;
    registry.add("core", [] { SchemaBuilder b; host::declareCoreSchema(b); return b.tables(); }());
    SchemaBuilder admin;
    admin.extend("user").field("role", FieldType::String);
    registry.add("admin", admin.tables());
    auto more = host::planMigrations(*db.backend, registry.merged());
    CPPUNIT_ASSERT_EQUAL(size_t{1}, more.size());
    CPPUNIT_ASSERT_EQUAL(std::string(R"(alter table "user" add column "role" text)"), more[0].sql);
    host::applyMigrations(*db.backend, more);
    CPPUNIT_ASSERT(host::planMigrations(*db.backend, registry.merged()).empty());
  }

  void postgresRefusalNeverShowsThePassword() {
    if (test::postgresUrl().empty()) return;
    auto backend = test::loadBackend("postgresql");
    BackendOptions options;
    options.url = "postgresql://crow:s3cretPassw0rd@127.0.0.1:1/crow";  // nothing listens on port 1
    options.busyTimeoutMs = 2000;
    try {
      backend->open(options);
      CPPUNIT_FAIL("connected to a closed port");
    } catch (const DatabaseError& e) {
      const std::string message = e.what();
      CPPUNIT_ASSERT_MESSAGE(message, message.find("s3cretPassw0rd") == std::string::npos);
      CPPUNIT_ASSERT_MESSAGE(message, message.find("cannot connect to PostgreSQL at 127.0.0.1:1/crow") != std::string::npos);
      CPPUNIT_ASSERT(message.find('\n') == std::string::npos);
      CPPUNIT_ASSERT(e.kind() == DatabaseError::Kind::Unavailable);
    }
  }

  void postgresPoolRecoversFromKilledConnections() {
    auto db = test::TestDatabase::make("postgresql");
    if (!db.backend) return;
    db.open(4);
    const auto tables = coreTables();
    auto store = db.migrateAndStore(tables);
    CPPUNIT_ASSERT(store->ping());
    CPPUNIT_ASSERT_EQUAL(int64_t{0}, store->count("user", {}));
    // What a server restart looks like from the pool: every connection dies under it.
    test::postgresExec(db.url,
                       "select count(pg_terminate_backend(pid)) from pg_stat_activity "
                       "where application_name = 'crow-auth' and pid <> pg_backend_pid()");
    CPPUNIT_ASSERT(store->ping());
    CPPUNIT_ASSERT_EQUAL(int64_t{0}, store->count("user", {}));
    test::postgresExec(db.url,
                       "select count(pg_terminate_backend(pid)) from pg_stat_activity "
                       "where application_name = 'crow-auth' and pid <> pg_backend_pid()");
    // A read retries once on a fresh connection.
    CPPUNIT_ASSERT_EQUAL(int64_t{0}, store->count("user", {}));
  }

  // Needs control of the server: runs when CROW_TEST_POSTGRES_SCRIPT names tests/support/postgres.sh
  // (with the CROW_PG_DIR of the cluster behind CROW_TEST_POSTGRES_URL).
  void postgresPingFollowsAServerRestart() {
    const char* script = std::getenv("CROW_TEST_POSTGRES_SCRIPT");
    if (!script || !*script) return;
    auto db = test::TestDatabase::make("postgresql");
    if (!db.backend) return;
    db.open(4);
    auto store = db.migrateAndStore(coreTables());
    CPPUNIT_ASSERT(store->ping());
    CPPUNIT_ASSERT_EQUAL(0, std::system((std::string(script) + " pause").c_str()));
    CPPUNIT_ASSERT(!store->ping());
    try {
      store->count("user", {});
      CPPUNIT_FAIL("a query succeeded with the server down");
    } catch (const DatabaseError& e) {
      CPPUNIT_ASSERT(e.kind() == DatabaseError::Kind::Unavailable);
    }
    CPPUNIT_ASSERT(!store->ping());
    CPPUNIT_ASSERT_EQUAL(0, std::system((std::string(script) + " resume").c_str()));
    CPPUNIT_ASSERT(store->ping());
    store->create("verification", {{"id", std::string("v1")}, {"identifier", std::string("i")}, {"value", std::string("v")},
                                   {"expiresAt", Timestamp{1}}, {"createdAt", Timestamp{1}}, {"updatedAt", Timestamp{1}}});
    CPPUNIT_ASSERT_EQUAL(int64_t{1}, store->count("verification", {}));
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(MigrationTest);
