// PostgreSQL types for the declared schema: timestamptz, boolean, text, integer, bigint.
#pragma once

#include "common/dialect.hpp"

namespace crow::postgresql {

class PgDialect final : public sql::Dialect {
 public:
  std::string name() const override { return "postgresql"; }
  std::string placeholder(size_t n) const override { return "$" + std::to_string(n); }
  std::string columnType(FieldType type) const override {
    switch (type) {
      case FieldType::Integer: return "integer";
      case FieldType::BigInt: return "bigint";
      case FieldType::Boolean: return "boolean";
      case FieldType::Timestamp: return "timestamptz";
      case FieldType::Id:
      case FieldType::String:
      case FieldType::Json: return "text";
    }
    return "text";
  }
  Value bindValue(FieldType, const Value& logical) const override {
    // Sent as text; the server parses `...Z` into timestamptz whatever the session time zone.
    if (auto t = std::get_if<Timestamp>(&logical)) return toIsoString(*t);
    return logical;
  }
  std::string likeOperand(FieldType type, const std::string& quotedColumn) const override {
    if (type == FieldType::Id || type == FieldType::String || type == FieldType::Json) return quotedColumn;
    return "CAST(" + quotedColumn + " AS text)";
  }
  Value noLimit() const override { return std::monostate{}; }  // LIMIT NULL is no limit
};

}  // namespace crow::postgresql
