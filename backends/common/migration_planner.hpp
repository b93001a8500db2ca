// The additive migration plan: what to create so the live database holds the declared schema.
#pragma once

#include "common/catalog.hpp"
#include "common/dialect.hpp"
#include "common/query_builder.hpp"
#include "crow/backend.hpp"

#include <map>
#include <set>
#include <string>
#include <vector>

namespace crow::sql {

/// What introspection found: tables with their columns, and index names.
struct LiveSchema {
  std::map<std::string, std::set<std::string>> columns;
  std::set<std::string> indexes;
};

/// Create table (with its indexes) for a missing table; add column (and its index) for a missing
/// column; create index for a missing declared index. Never drops or alters anything that exists,
/// so a database Better Auth created itself is left as it is. Order: tables in declaration order,
/// then added columns, then indexes, so references always point at tables created before.
std::vector<MigrationStep> planAdditive(const Dialect& dialect, const std::vector<TableDecl>& tables,
                                        const LiveSchema& live);

/// The ledger table every backend keeps its applied steps in.
inline constexpr const char* kLedgerTable = "crow_schema_migrations";
/// Its declaration: owner, description, sql, dialect, applied_at (a Timestamp column).
TableDecl ledgerTable();

/// The statements that keep the ledger, the same for every dialect: create it when missing, and
/// record one applied step (stamped with the current time).
class LedgerStatements {
 public:
  explicit LedgerStatements(const Dialect& dialect);
  const std::string& createIfMissing() const noexcept { return createIfMissing_; }
  SqlStatement record(const MigrationStep& step, const std::string& dialectName) const;

 private:
  Catalog catalog_;
  QueryBuilder builder_;  // refers to catalog_, declared before it
  std::string createIfMissing_;
};

}  // namespace crow::sql
