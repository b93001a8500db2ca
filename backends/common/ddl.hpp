// DDL for the declared schema, in Better Auth's own spelling (Kysely's output, lower-case
// keywords, quoted identifiers), so a fresh SQLite database is byte-for-byte what Better Auth's
// migration creates (CONTRACT.md §12).
#pragma once

#include "common/dialect.hpp"

#include <string>

namespace crow::sql {

/// `create table "user" ("id" text not null primary key, ...)`, without the trailing `;`.
std::string createTable(const Dialect& dialect, const TableDecl& table);
/// `alter table "t" add column "c" <type> [references ...]`. Never `not null` or `unique`: SQLite
/// refuses NOT NULL without a database default there, and PostgreSQL refuses it on a table with
/// rows; the Store applies declared defaults, and uniqueness comes from uniqueIndex().
std::string addColumn(const Dialect& dialect, const TableDecl& table, const FieldDecl& field);
/// The name Better Auth gives a field's index: `<table>_<field>_idx`.
std::string indexName(const TableDecl& table, const FieldDecl& field);
/// The name of the unique index that stands in for a UNIQUE constraint on an added column.
std::string uniqueIndexName(const TableDecl& table, const FieldDecl& field);
/// `create index "<table>_<field>_idx" on "<table>" ("<field>")`.
std::string createIndex(const TableDecl& table, const FieldDecl& field);
/// `create unique index "<table>_<field>_key" on "<table>" ("<field>")`.
std::string createUniqueIndex(const TableDecl& table, const FieldDecl& field);

}  // namespace crow::sql
