// auth/row_json.hpp - rows as Better Auth serialises them: declared fields in schema order with
// `id` last, only `returned` fields, dates as ISO strings, booleans as true/false, NULL as null.
#pragma once

#include "crow/schema.hpp"
#include "crow/store.hpp"

#include <Poco/JSON/Object.h>

#include <string>
#include <vector>

namespace crow::host {

/// The merged schema, for looking tables up by name.
class SchemaCatalog {
 public:
  explicit SchemaCatalog(std::vector<crow::TableDecl> tables);
  /// The table, or nullptr.
  const crow::TableDecl* find(const std::string& table) const noexcept;
  const std::vector<crow::TableDecl>& tables() const noexcept { return tables_; }

 private:
  std::vector<crow::TableDecl> tables_;
};

/// A row as a JSON object (key order preserved) following the table's declaration.
Poco::JSON::Object::Ptr rowToJson(const crow::TableDecl& table, const crow::Row& row);

/// The same object appended to `out` as compact JSON text, without building a Poco object (the
/// get-session hot path). Strings are escaped as JSON.stringify does ('/' is left alone).
void appendRowJson(std::string& out, const crow::TableDecl& table, const crow::Row& row);

}  // namespace crow::host
