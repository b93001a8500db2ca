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

 private:
  // Declarations live in tables_ (never resized after construction), so the pointers handed out
  // stay valid for the catalogue's lifetime.
  std::vector<TableDecl> tables_;
  std::unordered_map<std::string, const TableDecl*> byName_;
  std::unordered_map<std::string, std::unordered_map<std::string, const FieldDecl*>> fields_;
};

/// `"name"` with embedded quotes doubled (both dialects quote identifiers this way).
std::string quoteIdentifier(const std::string& name);

}  // namespace crow::sql
