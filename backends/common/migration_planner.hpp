// The additive migration plan: what to create so the live database holds the declared schema.
#pragma once

#include "common/dialect.hpp"
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

}  // namespace crow::sql
