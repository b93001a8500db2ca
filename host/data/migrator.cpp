#include "data/migrator.hpp"

#include "common/migration_planner.hpp"

namespace crow::host {

crow::TableDecl migrationLedgerTable() { return crow::sql::ledgerTable(); }

std::vector<crow::MigrationStep> planMigrations(crow::Backend& backend, const std::vector<crow::TableDecl>& merged) {
  return backend.planMigration(merged);
}

std::string renderDryRun(const std::vector<crow::MigrationStep>& steps, const std::string& dialect) {
  if (steps.empty()) return "-- " + dialect + ": the database is up to date, nothing to migrate\n";
  std::string out = "-- " + dialect + ": " + std::to_string(steps.size()) + " step" + (steps.size() == 1 ? "" : "s") + "\n";
  for (const auto& step : steps) {
    out += "-- " + step.owner + ": " + step.description + "\n";
    std::string sql = step.sql;
    for (char& c : sql)
      if (c == '\n' || c == '\r') c = ' ';
    out += sql;
    if (sql.empty() || sql.back() != ';') out += ';';
    out += '\n';
  }
  return out;
}

size_t applyMigrations(crow::Backend& backend, const std::vector<crow::MigrationStep>& steps) {
  if (steps.empty()) return 0;
  backend.applyMigration(steps);
  return steps.size();
}

}  // namespace crow::host
