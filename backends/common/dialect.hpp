// What differs between SQL dialects, as far as the shared statement builder is concerned.
#pragma once

#include "crow/schema.hpp"
#include "crow/store.hpp"

#include <string>

namespace crow::sql {

class Dialect {
 public:
  virtual ~Dialect() = default;
  /// "sqlite", "postgresql".
  virtual std::string name() const = 0;
  /// The placeholder for the `n`th bound value (1-based): `?` or `$n`.
  virtual std::string placeholder(size_t n) const = 0;
  /// The column type in DDL.
  virtual std::string columnType(FieldType type) const = 0;
  /// The value to bind for a column of `type`, given its logical form (see toLogical).
  virtual Value bindValue(FieldType type, const Value& logical) const = 0;
  /// The SQL operand LIKE compares for `quotedColumn` (PostgreSQL has no LIKE on integers).
  virtual std::string likeOperand(FieldType type, const std::string& quotedColumn) const = 0;
  /// The bound value meaning "no LIMIT" (SQLite needs a LIMIT before OFFSET: -1; PostgreSQL: NULL).
  virtual Value noLimit() const = 0;
};

}  // namespace crow::sql
