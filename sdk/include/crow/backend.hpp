// crow/backend.hpp - the interface a database backend library implements.
//
// A backend (backends/<dialect>/) is a shared library exported with CROW_BACKEND. The host loads
// the one named by `database.backend` in YAML, opens it, asks it for the DDL that brings the live
// database up to the merged schema, and hands its Store to the core and the plugins.
#pragma once

#include "crow/abi.h"
#include "crow/export.hpp"
#include "crow/config.hpp"
#include "crow/log.hpp"
#include "crow/schema.hpp"
#include "crow/store.hpp"

#include <memory>
#include <string>
#include <vector>

namespace crow {

struct BackendOptions {
  /// The connection URL: `sqlite:///abs/path.db`, `sqlite://relative.db`, `sqlite::memory:`,
  /// `postgresql://user:pass@host:port/db?sslmode=...`, `mysql://...`.
  std::string url;
  /// Connections in the pool (SQLite: readers; it always has one writer).
  int poolSize = 8;
  /// Milliseconds to wait for a free connection or a lock before failing.
  int busyTimeoutMs = 5000;
  Logger* logger = nullptr;
};

/// One additive change: a statement and what it does ("create table user").
struct MigrationStep {
  std::string owner;       ///< "core" or the plugin id that declared it
  std::string description;
  std::string sql;
};

class Backend {
 public:
  virtual ~Backend();

  /// "sqlite", "postgresql", "mysql".
  virtual std::string dialect() const = 0;
  /// Connects (creating the SQLite file and its folder when needed). Throws DatabaseError with a
  /// one-line message that names the database but never its password.
  virtual void open(const BackendOptions& options) = 0;
  /// The additive DDL (create table, add column, create index) that brings the database up to
  /// `tables`, in order. Without an open database it renders the whole schema, as for an empty
  /// database. Never drops or alters anything.
  virtual std::vector<MigrationStep> planMigration(const std::vector<TableDecl>& tables) = 0;
  /// Applies the steps in one transaction where the dialect allows, and records each in the ledger
  /// table `crow_schema_migrations`.
  virtual void applyMigration(const std::vector<MigrationStep>& steps) = 0;
  /// The Store over this database for the given (merged, migrated) schema.
  virtual std::shared_ptr<Store> store(const std::vector<TableDecl>& tables) = 0;
};

}  // namespace crow

/// Exports CLASS (a crow::Backend with a default constructor) as the backend for DIALECT.
#define CROW_BACKEND(CLASS, DIALECT, VERSION) \
  CROW_DESCRIPTOR_EXPORT_(CROW_KIND_BACKEND, CLASS, ::crow::Backend, DIALECT, VERSION)
