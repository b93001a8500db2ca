// test_database.hpp - the database the organization and team-invitations HTTP suites run on, and
// a way to read the rows behind their answers. SQLite (a file in the served crow's folder) by
// default; PostgreSQL when CROW_TEST_DIALECT=postgresql (the `*_postgres` CTest entries), then
// each served crow gets a fresh database on the cluster of CROW_TEST_POSTGRES_URL. Without that
// URL the PostgreSQL run exits 77 (CTest: skipped), or fails when CROW_REQUIRE_POSTGRES=1.
//
// SQL given to query() must suit both: double-quoted camelCase identifiers ("eventType"),
// `true`/`false` for booleans, no rowid.
#pragma once

#include "process.hpp"
#include "served_crow.hpp"

#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <unistd.h>

namespace org_test {

inline std::string environment(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

inline bool onPostgres() { return environment("CROW_TEST_DIALECT") == "postgresql"; }

// Runs before main: a PostgreSQL run without a cluster is skipped as a whole, not failed test by test.
inline const bool kDatabaseAvailable = [] {
  if (!onPostgres() || !environment("CROW_TEST_POSTGRES_URL").empty()) return true;
  if (environment("CROW_REQUIRE_POSTGRES") == "1") {
    std::fprintf(stderr, "CROW_TEST_DIALECT=postgresql and CROW_REQUIRE_POSTGRES=1 but CROW_TEST_POSTGRES_URL is not set\n");
    std::exit(1);
  }
  std::fprintf(stderr, "skipped: CROW_TEST_POSTGRES_URL is not set\n");
  std::exit(77);
}();

class TestDatabase {
 public:
  TestDatabase() {
    if (!onPostgres()) return;
    static std::atomic<int> counter{0};
    name_ = "crow_org_" + std::to_string(::getpid()) + "_" + std::to_string(++counter);
    const std::string cluster = environment("CROW_TEST_POSTGRES_URL");
    psql(cluster, "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
    psql(cluster, "CREATE DATABASE " + name_);
    url_ = cluster.substr(0, cluster.rfind('/') + 1) + name_;
  }
  ~TestDatabase() {
    if (name_.empty()) return;
    crow_test::runProcess({"/usr/bin/psql", environment("CROW_TEST_POSTGRES_URL"), "-X", "-q", "-c",
                           "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)"},
                          60000);
  }
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  /// Options for a served crow on this database with `yaml` appended to its config.
  crow_test::ServeOptions serveOptions(std::string yaml) const {
    crow_test::ServeOptions options;
    options.yaml = std::move(yaml);
    options.databaseUrl = url_;  // empty: the served crow's own SQLite file
    return options;
  }

  /// Runs `sql` on the database `server` uses; the rows come back as `a|b` lines, each ending in
  /// a newline. A failing statement fails the test.
  std::string query(const crow_test::ServedCrow& server, const std::string& sql) const {
    if (url_.empty())
      return run({"/usr/bin/sqlite3", "-bail", "-separator", "|", server.dir().path() + "/crow.db", sql}, sql);
    return psql(url_, sql);
  }

 private:
  static std::string psql(const std::string& url, const std::string& sql) {
    return run({"/usr/bin/psql", url, "-X", "-q", "-A", "-t", "-F", "|", "-v", "ON_ERROR_STOP=1", "-c", sql}, sql);
  }
  static std::string run(const std::vector<std::string>& argv, const std::string& sql) {
    auto result = crow_test::runProcess(argv, 60000);
    if (result.exitCode != 0) CPPUNIT_FAIL(argv[0] + " failed on: " + sql + "\n" + result.err);
    return result.out;
  }

  std::string name_;
  std::string url_;
};

}  // namespace org_test
