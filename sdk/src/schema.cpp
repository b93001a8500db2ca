// The fluent schema builders.
#include "crow/schema.hpp"

#include "crow/error.hpp"

namespace crow {

const FieldDecl* TableDecl::find(const std::string& name) const noexcept {
  for (const auto& f : fields)
    if (f.name == name) return &f;
  return nullptr;
}

TableBuilder SchemaBuilder::table(std::string name) {
  tables_.push_back(TableDecl{std::move(name), {}, false, {}});
  return TableBuilder(tables_.back());
}

TableBuilder SchemaBuilder::extend(std::string name) {
  tables_.push_back(TableDecl{std::move(name), {}, true, {}});
  return TableBuilder(tables_.back());
}

FieldDecl& TableBuilder::current() {
  // An attribute before any field() is a programming error in the plugin; say so at start-up.
  if (table_->fields.empty())
    throw ConfigError("schema of table '" + table_->name + "': an attribute was set before any field()");
  return table_->fields.back();
}

TableBuilder& TableBuilder::field(std::string name, FieldType type) {
  FieldDecl f;
  f.name = std::move(name);
  f.type = type;
  table_->fields.push_back(std::move(f));
  return *this;
}

TableBuilder& TableBuilder::primaryKey() {
  auto& f = current();
  f.primaryKey = true;
  f.required = true;
  return *this;
}
TableBuilder& TableBuilder::required() { current().required = true; return *this; }
TableBuilder& TableBuilder::unique() { current().unique = true; return *this; }
TableBuilder& TableBuilder::index() { current().index = true; return *this; }
TableBuilder& TableBuilder::references(std::string table, std::string field, OnDelete onDelete) {
  current().references = Reference{std::move(table), std::move(field), onDelete};
  return *this;
}
TableBuilder& TableBuilder::defaultValue(Value v) { current().defaultValue = std::move(v); return *this; }
TableBuilder& TableBuilder::notReturned() { current().returned = false; return *this; }
TableBuilder& TableBuilder::notInput() { current().input = false; return *this; }
TableBuilder& TableBuilder::maxLength(int n) { current().maxLength = n; return *this; }

}  // namespace crow
