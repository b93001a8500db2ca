// Turns Store calls into parameterised SQL for one dialect.
//
// Identifiers come only from the catalogue and are always quoted; values are always bound. The
// SQL text depends only on the shape of the call (tables, columns, operators, list lengths), never
// on the values, so backends can cache prepared statements by text.
#pragma once

#include "common/catalog.hpp"
#include "common/dialect.hpp"

#include <map>
#include <string>
#include <vector>

namespace crow::sql {

/// One statement ready to prepare and run.
struct SqlStatement {
  std::string sql;
  /// Values to bind, in placeholder order, already in the dialect's bound form.
  std::vector<Value> params;
  /// The result columns, in order (empty when the statement returns no rows). Backends that
  /// must set up result buffers before the first execution (PostgreSQL) size them from this.
  std::vector<const FieldDecl*> columns;
  /// When `columns` are every field of one table in declaration order: their positions in name
  /// order (Catalog::QuotedTable::byName), for decodeRow.
  const std::vector<size_t>* columnsByName = nullptr;
  /// selectJoined: the same for each of the two tables' column runs.
  const std::vector<size_t>* firstColumnsByName = nullptr;
  const std::vector<size_t>* secondColumnsByName = nullptr;
};

/// The BigInt column of `SELECT COUNT(*)`.
const FieldDecl& countColumn();
/// A text column named `name`, for the backends' own queries (introspection).
const FieldDecl& textColumn(const std::string& name);

class QueryBuilder {
 public:
  QueryBuilder(const Catalog& catalog, const Dialect& dialect) : catalog_(catalog), dialect_(dialect) {}

  /// INSERT ... RETURNING every column. Applies FieldDecl::defaultValue for absent columns.
  SqlStatement insert(const std::string& table, const Row& data) const;
  SqlStatement select(const std::string& table, const FindOptions& options) const;
  /// SELECT every column of both tables FROM table JOIN joinTable ON joinTable.joinField =
  /// table.foreignKey WHERE (on table) LIMIT 1. The columns of `table` come first; `split` is
  /// set to their number.
  SqlStatement selectJoined(const std::string& table, const std::vector<Where>& where, const std::string& foreignKey,
                            const std::string& joinTable, const std::string& joinField, size_t& split) const;
  SqlStatement count(const std::string& table, const std::vector<Where>& where) const;
  /// UPDATE ... [RETURNING every column].
  SqlStatement update(const std::string& table, const std::vector<Where>& where, const Row& patch,
                      bool returning) const;
  SqlStatement remove(const std::string& table, const std::vector<Where>& where) const;
  /// UPDATE t SET c = COALESCE(c, 0) + ? ... RETURNING every column: one statement, so it is atomic.
  SqlStatement increment(const std::string& table, const std::vector<Where>& where,
                         const std::map<std::string, int64_t>& deltas) const;

  /// Turns database values of one result row into a Row of declared types.
  /// With `byName` (see SqlStatement::columnsByName) the Row is filled in key order.
  static Row decodeRow(const std::vector<const FieldDecl*>& columns, std::vector<Value>&& raw,
                       const std::vector<size_t>* byName = nullptr);

 private:
  /// `qualifier` (an alias and a dot) prefixes each column, for statements naming two tables.
  void appendWhere(SqlStatement& st, const TableDecl& table, const std::vector<Where>& where,
                   const std::string& qualifier = {}) const;
  std::string bind(SqlStatement& st, Value value) const;
  void returnAll(SqlStatement& st, const TableDecl& table) const;

  const Catalog& catalog_;
  const Dialect& dialect_;
};

}  // namespace crow::sql
