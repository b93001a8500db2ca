#include "common/catalog.hpp"

#include "crow/error.hpp"

#include <algorithm>

namespace crow::sql {

Catalog::Catalog(std::vector<TableDecl> tables) : tables_(std::move(tables)) {
  for (const auto& t : tables_) {
    byName_[t.name] = &t;
    auto& columns = fields_[t.name];
    for (const auto& f : t.fields) columns[f.name] = &f;
    QuotedTable& q = quoted_.emplace_back();
    q.name = quoteIdentifier(t.name);
    for (const auto& f : t.fields) {
      const std::string column = quoteIdentifier(f.name);
      if (!q.columns.empty()) {
        q.columns.append(", ");
        q.columnsT0.append(", ");
        q.columnsT1.append(", ");
      }
      q.columns.append(column);
      q.columnsT0.append("t0.").append(column);
      q.columnsT1.append("t1.").append(column);
    }
    q.byName.resize(t.fields.size());
    for (size_t i = 0; i < q.byName.size(); ++i) q.byName[i] = i;
    std::sort(q.byName.begin(), q.byName.end(),
              [&t](size_t a, size_t b) { return t.fields[a].name < t.fields[b].name; });
  }
}

const TableDecl& Catalog::table(const std::string& name) const {
  auto it = byName_.find(name);
  if (it == byName_.end()) throw DatabaseError(DatabaseError::Kind::Other, "unknown table \"" + name + "\"");
  return *it->second;
}

const FieldDecl& Catalog::field(const TableDecl& table, const std::string& name) const {
  const auto& columns = fields_.at(table.name);
  auto it = columns.find(name);
  if (it == columns.end())
    throw DatabaseError(DatabaseError::Kind::Other,
                        "unknown column \"" + name + "\" in table \"" + table.name + "\"");
  return *it->second;
}

std::string quoteIdentifier(const std::string& name) {
  std::string out;
  out.reserve(name.size() + 2);
  out += '"';
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

}  // namespace crow::sql
