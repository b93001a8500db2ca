#include "backend_fixture.hpp"

#include "crow/abi.h"

#include <boost/dll/shared_library.hpp>
#include <cppunit/extensions/HelperMacros.h>
#include <libpq-fe.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <mutex>
#include <random>

namespace crow::test {

std::unique_ptr<crow::Backend> loadBackend(const std::string& dialect) {
  static std::mutex mutex;
  static std::map<std::string, boost::dll::shared_library> libraries;  // never unloaded, like the host
  std::lock_guard lock(mutex);
  auto it = libraries.find(dialect);
  if (it == libraries.end()) {
    const std::string path = std::string(CROW_BUILD_DIR) + "/lib/crow-auth/backends/" + dialect + ".so";
    boost::dll::shared_library library(path, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
    it = libraries.emplace(dialect, std::move(library)).first;
  }
  auto& entry = it->second.get<const crow_plugin_descriptor*()>(CROW_ENTRY_SYMBOL);
  const crow_plugin_descriptor* descriptor = entry();
  CPPUNIT_ASSERT_EQUAL(static_cast<uint32_t>(CROW_KIND_BACKEND), descriptor->kind);
  CPPUNIT_ASSERT_EQUAL(dialect, std::string(descriptor->id));
  return std::unique_ptr<crow::Backend>(static_cast<crow::Backend*>(descriptor->create()));
}

std::string postgresUrl() {
  const char* url = std::getenv("CROW_TEST_POSTGRES_URL");
  const char* require = std::getenv("CROW_REQUIRE_POSTGRES");
  if (url && *url) return url;
  if (require && std::string(require) == "1")
    CPPUNIT_FAIL("CROW_REQUIRE_POSTGRES=1 but CROW_TEST_POSTGRES_URL is not set "
                 "(start a cluster with tests/support/postgres.sh start)");
  return {};
}

std::string postgresExec(const std::string& url, const std::string& sql) {
  PGconn* conn = PQconnectdb(url.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string why = PQerrorMessage(conn);
    PQfinish(conn);
    CPPUNIT_FAIL("cannot connect to the test PostgreSQL: " + why);
  }
  PQsetNoticeProcessor(conn, [](void*, const char*) {}, nullptr);
  PGresult* result = PQexec(conn, sql.c_str());
  const auto status = PQresultStatus(result);
  std::string first;
  if (status == PGRES_TUPLES_OK && PQntuples(result) > 0) first = PQgetvalue(result, 0, 0);
  std::string error = PQresultErrorMessage(result);
  PQclear(result);
  PQfinish(conn);
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) CPPUNIT_FAIL("postgres: " + error + " in " + sql);
  return first;
}

void resetPostgres(const std::string& url) {
  postgresExec(url, "DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;");
}

TempDir::TempDir() {
  std::random_device rd;
  path_ = (std::filesystem::temp_directory_path() / ("crow-store-test-" + std::to_string(rd()) + std::to_string(rd()))).string();
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

TestDatabase TestDatabase::make(const std::string& dialect) {
  TestDatabase db;
  db.dialect = dialect;
  if (dialect == "sqlite") {
    db.dir = std::make_unique<TempDir>();
    db.url = "sqlite://" + db.dir->path() + "/data/crow.db";  // absolute path: sqlite:///tmp/...
  } else {
    db.url = postgresUrl();
    if (db.url.empty()) return db;
    resetPostgres(db.url);
  }
  db.backend = loadBackend(dialect);
  return db;
}

void TestDatabase::open(int poolSize) {
  crow::BackendOptions options;
  options.url = url;
  options.poolSize = poolSize;
  options.busyTimeoutMs = 10000;
  backend->open(options);
}

std::shared_ptr<crow::Store> TestDatabase::migrateAndStore(const std::vector<crow::TableDecl>& tables) {
  backend->applyMigration(backend->planMigration(tables));
  return backend->store(tables);
}

}  // namespace crow::test
