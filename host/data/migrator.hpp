// Migrations as the host drives them: plan with the backend, print a dry run, apply.
//
// Migrations are additive only (create table, add column, create index) and never drop
// anything; a database that Better Auth itself created keeps its tables, and only what is
// missing is added. Applying the same schema twice plans nothing the second time. Every applied
// step is recorded in the ledger table `crow_schema_migrations` (owner, description, sql,
// dialect, applied_at).
#pragma once

#include "crow/backend.hpp"

#include <string>
#include <vector>

namespace crow::host {

inline constexpr const char* kMigrationLedgerTable = "crow_schema_migrations";

/// The ledger's declaration, so it can be read through a Store (`store(tables + ledger)`).
crow::TableDecl migrationLedgerTable();

/// The steps that bring the backend's database up to `merged` (the whole schema when the backend
/// is not open).
std::vector<crow::MigrationStep> planMigrations(crow::Backend& backend, const std::vector<crow::TableDecl>& merged);

/// The dry run `crow-auth migrate --dry-run` prints: per step a comment line
/// `-- <owner>: <description>` and the statement on one line ending with `;`.
std::string renderDryRun(const std::vector<crow::MigrationStep>& steps, const std::string& dialect);

/// Applies the steps (in one transaction where the dialect allows) and records them in the
/// ledger. Nothing happens for an empty plan. Returns the number of steps applied.
size_t applyMigrations(crow::Backend& backend, const std::vector<crow::MigrationStep>& steps);

}  // namespace crow::host
