// The merged schema a backend serves, indexed for lookups on every Store call.
//
// Every identifier that reaches SQL comes from here: a table or column name a caller passes is
// looked up, and an unknown one is refused before any SQL exists (no identifier injection).
#pragma once

#include "crow/schema.hpp"

#include <string>
#include <unordered_map>
#include <vector>

namespace crow::sql {

class Catalog {
 public:
  explicit Catalog(std::vector<TableDecl> tables);

  /// The table, or DatabaseError(Kind::Other) naming it.
  const TableDecl& table(const std::string& name) const;
  /// The column of `table`, or DatabaseError(Kind::Other) naming both.
  const FieldDecl& field(const TableDecl& table, const std::string& name) const;
  const std::vector<TableDecl>& tables() const noexcept { return tables_; }

  /// A table's name and column list, quoted once at construction: a SELECT of every column is
  /// mostly this text, and it is built for every read.
  struct QuotedTable {
    std::string name;       ///< "table"
    std::string columns;    ///< "a", "b", ...
    std::string columnsT0;  ///< t0."a", t0."b", ... (the joined select's first table)
    std::string columnsT1;  ///< t1."a", t1."b", ... (its second)
    /// Positions of the table's fields in name order: a Row (a map by name) is filled in that
    /// order with end hints, without a search per column.
    std::vector<size_t> byName;
  };
  /// `table` must be one of tables().
  const QuotedTable& quoted(const TableDecl& table) const {
    return quoted_[static_cast<size_t>(&table - tables_.data())];
  }

 private:
  // Declarations live in tables_ (never resized after construction), so the pointers handed out
  // stay valid for the catalogue's lifetime.
  std::vector<TableDecl> tables_;
  std::vector<QuotedTable> quoted_;  // parallel to tables_
  std::unordered_map<std::string, const TableDecl*> byName_;
  std::unordered_map<std::string, std::unordered_map<std::string, const FieldDecl*>> fields_;
};

/// `"name"` with embedded quotes doubled (both dialects quote identifiers this way).
std::string quoteIdentifier(const std::string& name);

}  // namespace crow::sql
