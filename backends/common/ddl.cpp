#include "common/ddl.hpp"

#include "common/catalog.hpp"

namespace crow::sql {

namespace {

std::string referencesClause(const FieldDecl& field) {
  if (!field.references) return {};
  std::string out = " references " + quoteIdentifier(field.references->table) + " (" +
                    quoteIdentifier(field.references->field) + ")";
  switch (field.references->onDelete) {
    case OnDelete::Cascade: out += " on delete cascade"; break;
    case OnDelete::SetNull: out += " on delete set null"; break;
    case OnDelete::NoAction: break;
  }
  return out;
}

}  // namespace

std::string createTable(const Dialect& dialect, const TableDecl& table) {
  std::string out = "create table " + quoteIdentifier(table.name) + " (";
  for (size_t i = 0; i < table.fields.size(); ++i) {
    const FieldDecl& f = table.fields[i];
    if (i) out += ", ";
    out += quoteIdentifier(f.name) + " " + dialect.columnType(f.type);
    if (f.required || f.primaryKey) out += " not null";
    if (f.primaryKey) out += " primary key";
    else if (f.unique) out += " unique";
    out += referencesClause(f);
  }
  out += ")";
  return out;
}

std::string addColumn(const Dialect& dialect, const TableDecl& table, const FieldDecl& field) {
  return "alter table " + quoteIdentifier(table.name) + " add column " + quoteIdentifier(field.name) + " " +
         dialect.columnType(field.type) + referencesClause(field);
}

std::string indexName(const TableDecl& table, const FieldDecl& field) {
  return table.name + "_" + field.name + "_idx";
}

std::string uniqueIndexName(const TableDecl& table, const FieldDecl& field) {
  return table.name + "_" + field.name + "_key";
}

std::string createIndex(const TableDecl& table, const FieldDecl& field) {
  return "create index " + quoteIdentifier(indexName(table, field)) + " on " + quoteIdentifier(table.name) + " (" +
         quoteIdentifier(field.name) + ")";
}

std::string createUniqueIndex(const TableDecl& table, const FieldDecl& field) {
  return "create unique index " + quoteIdentifier(uniqueIndexName(table, field)) + " on " +
         quoteIdentifier(table.name) + " (" + quoteIdentifier(field.name) + ")";
}

}  // namespace crow::sql
