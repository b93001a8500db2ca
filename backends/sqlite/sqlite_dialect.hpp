// SQLite as Better Auth's Kysely adapter writes it: dates as ISO-8601 text in `date` columns,
// booleans as 0/1 integers, JSON as text (CONTRACT.md §12).
#pragma once

#include "common/dialect.hpp"

namespace crow::sqlite {

class SqliteDialect final : public sql::Dialect {
 public:
  std::string name() const override { return "sqlite"; }
  std::string placeholder(size_t) const override { return "?"; }
  std::string columnType(FieldType type) const override {
    switch (type) {
      case FieldType::Integer:
      case FieldType::Boolean: return "integer";
      case FieldType::BigInt: return "bigint";
      case FieldType::Timestamp: return "date";
      case FieldType::Id:
      case FieldType::String:
      case FieldType::Json: return "text";
    }
    return "text";
  }
  Value bindValue(FieldType type, const Value& logical) const override {
    // toISOString's fixed width keeps text comparison (`expiresAt < ?`) in time order.
    if (auto t = std::get_if<Timestamp>(&logical)) return toIsoString(*t);
    if (auto b = std::get_if<bool>(&logical)) return int64_t{*b ? 1 : 0};
    return logical;
  }
  std::string likeOperand(FieldType, const std::string& quotedColumn) const override { return quotedColumn; }
  Value noLimit() const override { return int64_t{-1}; }
};

}  // namespace crow::sqlite
