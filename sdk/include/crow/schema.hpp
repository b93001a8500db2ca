// crow/schema.hpp - tables and fields declared as data.
//
// The host and each plugin declare what they store; the host merges the declarations (a conflict
// stops start-up), and the backend renders additive DDL for its dialect. Names follow Better
// Auth: tables `user`, `session`, ...; camelCase columns.
#pragma once

#include "crow/store.hpp"

#include <optional>
#include <string>
#include <vector>

namespace crow {

/// Logical column types. On SQLite they map to Better Auth's encodings: Id/String/Json -> text,
/// Boolean -> integer 0/1, Timestamp -> `date` holding ISO-8601 text, Integer -> integer,
/// BigInt -> bigint.
enum class FieldType : uint8_t { Id, String, Integer, BigInt, Boolean, Timestamp, Json };

/// What a foreign key does when the referenced row goes.
enum class OnDelete : uint8_t { NoAction, Cascade, SetNull };

struct Reference {
  std::string table;
  std::string field = "id";
  OnDelete onDelete = OnDelete::Cascade;
};

/// One column.
struct FieldDecl {
  std::string name;
  FieldType type = FieldType::String;
  bool primaryKey = false;
  bool required = false;   ///< NOT NULL
  bool unique = false;
  bool index = false;      ///< a plain index named `<table>_<field>_idx`
  std::optional<Reference> references;
  std::optional<Value> defaultValue;  ///< applied by the Store on create, not as a DB default
  bool returned = true;    ///< false: never sent to clients (password hashes, private keys)
  bool input = true;       ///< false: clients may not set it
  std::optional<int> maxLength;  ///< for dialects whose indexes need a bound (MySQL)
  /// Who declared this column when it differs from the table's owner (a plugin extending a core
  /// table); set by the host when it merges schemas, so migrations are recorded under that owner.
  std::string owner;
};

/// One table, with its columns in declaration order (the order DDL uses).
struct TableDecl {
  std::string name;
  std::vector<FieldDecl> fields;
  /// True when this declaration adds columns to a table someone else owns.
  bool extension = false;
  /// Who declared it ("core" or a plugin id); set by the host.
  std::string owner;

  const FieldDecl* find(const std::string& field) const noexcept;
};

/// Fluent builder for one table: `schema.table("apikey").field("id", FieldType::Id).primaryKey()`.
class TableBuilder {
 public:
  explicit TableBuilder(TableDecl& table) : table_(&table) {}
  /// Starts a new column; the calls after it set that column's attributes.
  TableBuilder& field(std::string name, FieldType type);
  TableBuilder& primaryKey();
  TableBuilder& required();
  TableBuilder& unique();
  TableBuilder& index();
  TableBuilder& references(std::string table, std::string field = "id", OnDelete onDelete = OnDelete::Cascade);
  TableBuilder& defaultValue(Value v);
  TableBuilder& notReturned();
  TableBuilder& notInput();
  TableBuilder& maxLength(int n);

 private:
  FieldDecl& current();
  TableDecl* table_;
};

/// The declarations of one owner (the core or a plugin).
class SchemaBuilder {
 public:
  /// Declares a table this owner creates.
  TableBuilder table(std::string name);
  /// Declares columns this owner adds to another owner's table (they must be optional or have a
  /// default).
  TableBuilder extend(std::string name);

  const std::vector<TableDecl>& tables() const noexcept { return tables_; }
  std::vector<TableDecl>& tables() noexcept { return tables_; }

 private:
  std::vector<TableDecl> tables_;
};

}  // namespace crow
