#include "data/schema_registry.hpp"

#include "crow/error.hpp"

namespace crow::host {

namespace {

const char* typeName(crow::FieldType t) {
  switch (t) {
    case crow::FieldType::Id: return "id";
    case crow::FieldType::String: return "string";
    case crow::FieldType::Integer: return "integer";
    case crow::FieldType::BigInt: return "bigint";
    case crow::FieldType::Boolean: return "boolean";
    case crow::FieldType::Timestamp: return "timestamp";
    case crow::FieldType::Json: return "json";
  }
  return "?";
}

bool textual(crow::FieldType t) { return t == crow::FieldType::Id || t == crow::FieldType::String; }

// What differs between two declarations of one column, or empty when they agree.
std::string difference(const crow::FieldDecl& a, const crow::FieldDecl& b) {
  if (a.type != b.type && !(textual(a.type) && textual(b.type)))
    return std::string("type ") + typeName(a.type) + " vs " + typeName(b.type);
  if (a.primaryKey != b.primaryKey) return "primary key vs not";
  if (a.required != b.required) return a.required ? "required vs optional" : "optional vs required";
  if (a.unique != b.unique) return a.unique ? "unique vs not unique" : "not unique vs unique";
  const bool aRef = a.references.has_value(), bRef = b.references.has_value();
  if (aRef != bRef || (aRef && (a.references->table != b.references->table || a.references->field != b.references->field ||
                                a.references->onDelete != b.references->onDelete)))
    return "different references";
  return {};
}

const std::string& columnOwner(const crow::TableDecl& table, const crow::FieldDecl& field) {
  return field.owner.empty() ? table.owner : field.owner;
}

}  // namespace

crow::TableDecl* SchemaRegistry::find(const std::string& name) {
  for (auto& t : tables_)
    if (t.name == name) return &t;
  return nullptr;
}

void SchemaRegistry::add(const std::string& owner, const std::vector<crow::TableDecl>& tables) {
  for (const auto& decl : tables) {
    if (decl.extension) {
      extend(owner, decl, true);
      continue;
    }
    if (const auto* existing = find(decl.name))
      throw crow::ConfigError("schema conflict: table \"" + decl.name + "\" is declared by both \"" + existing->owner +
                              "\" and \"" + owner + "\" (a plugin adds columns to another's table with extend())");
    crow::TableDecl table = decl;
    table.owner = owner;
    table.extension = false;
    for (size_t i = 0; i < table.fields.size(); ++i) {
      table.fields[i].owner.clear();
      for (size_t j = 0; j < i; ++j)
        if (table.fields[j].name == table.fields[i].name)
          throw crow::ConfigError("schema conflict: column \"" + decl.name + "\".\"" + table.fields[i].name +
                                  "\" is declared twice by \"" + owner + "\"");
    }
    tables_.push_back(std::move(table));
    // Extensions that arrived before their table apply now.
    for (auto it = pending_.begin(); it != pending_.end();) {
      if (it->table.name == decl.name) {
        PendingExtension pending = std::move(*it);
        it = pending_.erase(it);
        extend(pending.owner, pending.table, false);
      } else {
        ++it;
      }
    }
  }
}

void SchemaRegistry::extend(const std::string& owner, const crow::TableDecl& extension, bool deferIfMissing) {
  crow::TableDecl* table = find(extension.name);
  if (!table) {
    if (!deferIfMissing)
      throw crow::ConfigError("schema conflict: \"" + owner + "\" extends table \"" + extension.name +
                              "\", which no one declares");
    pending_.push_back({owner, extension});
    return;
  }
  for (const auto& field : extension.fields) {
    if (const auto* existing = table->find(field.name)) {
      auto why = difference(*existing, field);
      if (!why.empty())
        throw crow::ConfigError("schema conflict: column \"" + table->name + "\".\"" + field.name + "\" is declared by \"" +
                                columnOwner(*table, *existing) + "\" and by \"" + owner + "\" differently (" + why + ")");
      continue;  // the same column declared twice the same way: keep the first
    }
    if (owner != table->owner && field.required && !field.defaultValue)
      throw crow::ConfigError("schema conflict: \"" + owner + "\" adds column \"" + table->name + "\".\"" + field.name +
                              "\" to \"" + table->owner + "\"'s table as required without a default; make it optional "
                              "or give it a default");
    crow::FieldDecl added = field;
    added.owner = owner == table->owner ? std::string() : owner;
    table->fields.push_back(std::move(added));
  }
}

std::vector<crow::TableDecl> SchemaRegistry::merged() const {
  if (!pending_.empty())
    throw crow::ConfigError("schema conflict: \"" + pending_.front().owner + "\" extends table \"" +
                            pending_.front().table.name + "\", which no one declares");
  return tables_;
}

}  // namespace crow::host
