// Loads a backend library the way the host does and gives each test a fresh database.
#pragma once

#include "crow/backend.hpp"

#include <memory>
#include <string>
#include <vector>

namespace crow::test {

/// A new Backend object from build/lib/crow-auth/backends/<dialect>.so (loaded once, never unloaded).
std::unique_ptr<crow::Backend> loadBackend(const std::string& dialect);

/// The PostgreSQL URL for tests: CROW_TEST_POSTGRES_URL, or empty. Throws a test failure when it
/// is unset and CROW_REQUIRE_POSTGRES=1.
std::string postgresUrl();

/// Drops and recreates the `public` schema of the PostgreSQL database at `url` (libpq directly).
void resetPostgres(const std::string& url);
/// Runs one SQL statement on PostgreSQL at `url`; returns the first column of the first row.
std::string postgresExec(const std::string& url, const std::string& sql);

/// A fresh temporary folder, removed by the destructor.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

/// A fresh database of `dialect` opened through a newly loaded backend.
struct TestDatabase {
  std::string dialect;
  std::string url;
  std::unique_ptr<TempDir> dir;
  std::unique_ptr<crow::Backend> backend;

  /// Empty `backend` means "skip" (PostgreSQL without a URL).
  static TestDatabase make(const std::string& dialect);
  void open(int poolSize = 8);
  /// Migrates `tables` and returns the Store over them.
  std::shared_ptr<crow::Store> migrateAndStore(const std::vector<crow::TableDecl>& tables);
};

}  // namespace crow::test
