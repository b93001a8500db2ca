#include "common/migration_planner.hpp"

#include "common/ddl.hpp"

#include <chrono>

namespace crow::sql {

namespace {

const std::string& ownerOf(const TableDecl& table, const FieldDecl& field) {
  return field.owner.empty() ? table.owner : field.owner;
}

}  // namespace

std::vector<MigrationStep> planAdditive(const Dialect& dialect, const std::vector<TableDecl>& tables,
                                        const LiveSchema& live) {
  std::vector<MigrationStep> creates, adds, indexes;
  for (const auto& table : tables) {
    auto existing = live.columns.find(table.name);
    const bool tableExists = existing != live.columns.end();
    if (!tableExists)
      creates.push_back({table.owner, "create table " + table.name, createTable(dialect, table)});
    for (const auto& field : table.fields) {
      const bool columnExists = !tableExists || existing->second.count(field.name) > 0;
      if (!columnExists) {
        adds.push_back({ownerOf(table, field), "add column " + table.name + "." + field.name,
                        addColumn(dialect, table, field)});
        if (field.unique && !field.primaryKey && !live.indexes.count(uniqueIndexName(table, field)))
          indexes.push_back({ownerOf(table, field), "create unique index " + uniqueIndexName(table, field),
                             createUniqueIndex(table, field)});
      }
      if (field.index && !field.unique && !field.primaryKey && !live.indexes.count(indexName(table, field)))
        indexes.push_back({ownerOf(table, field), "create index " + indexName(table, field), createIndex(table, field)});
    }
  }
  std::vector<MigrationStep> out;
  out.reserve(creates.size() + adds.size() + indexes.size());
  for (auto* part : {&creates, &adds, &indexes})
    for (auto& step : *part) out.push_back(std::move(step));
  return out;
}

TableDecl ledgerTable() {
  SchemaBuilder schema;
  schema.table(kLedgerTable)
      .field("owner", FieldType::String).required()
      .field("description", FieldType::String).required()
      .field("sql", FieldType::String).required()
      .field("dialect", FieldType::String).required()
      .field("applied_at", FieldType::Timestamp).required();
  TableDecl decl = schema.tables().front();
  decl.owner = "crow";
  return decl;
}

LedgerStatements::LedgerStatements(const Dialect& dialect)
    : catalog_({ledgerTable()}), builder_(catalog_, dialect), createIfMissing_(createTable(dialect, ledgerTable())) {
  createIfMissing_.insert(std::string("create table ").size(), "if not exists ");
}

SqlStatement LedgerStatements::record(const MigrationStep& step, const std::string& dialectName) const {
  using namespace std::chrono;
  const int64_t now = duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
  return builder_.insert(kLedgerTable, {{"owner", step.owner},
                                        {"description", step.description},
                                        {"sql", step.sql},
                                        {"dialect", dialectName},
                                        {"applied_at", Timestamp{now}}});
}

}  // namespace crow::sql
