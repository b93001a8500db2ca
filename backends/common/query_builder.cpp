#include "common/query_builder.hpp"

#include "common/values.hpp"
#include "crow/error.hpp"

namespace crow::sql {

std::string QueryBuilder::bind(SqlStatement& st, Value value) const {
  st.params.push_back(std::move(value));
  return dialect_.placeholder(st.params.size());
}

void QueryBuilder::returnAll(SqlStatement& st, const TableDecl& table) const {
  if (st.columns.empty()) st.columnsByName = &catalog_.quoted(table).byName;
  st.sql += " RETURNING ";
  for (size_t i = 0; i < table.fields.size(); ++i) {
    if (i) st.sql += ", ";
    st.sql += quoteIdentifier(table.fields[i].name);
    st.columns.push_back(&table.fields[i]);
  }
}

void QueryBuilder::appendWhere(SqlStatement& st, const TableDecl& table, const std::vector<Where>& where,
                               const std::string& qualifier) const {
  if (where.empty()) return;
  st.sql += " WHERE ";
  // Clauses fold left to right, each joining everything before it, as the SDK documents:
  // `a AND b OR c` is `(a AND b) OR c`. Explicit parentheses keep SQL's own precedence out of it.
  for (size_t i = 1; i < where.size(); ++i) st.sql += '(';
  for (size_t i = 0; i < where.size(); ++i) {
    const Where& w = where[i];
    if (i) st.sql += w.connector == Connector::Or ? " OR " : " AND ";
    const FieldDecl& field = catalog_.field(table, w.field);
    const std::string column = qualifier + quoteIdentifier(field.name);
    auto bound = [&](const Value& v) { return bind(st, dialect_.bindValue(field.type, toLogical(field, v))); };
    switch (w.op) {
      case Op::Eq:
        st.sql += isNull(w.value) ? column + " IS NULL" : column + " = " + bound(w.value);
        break;
      case Op::Ne:
        st.sql += isNull(w.value) ? column + " IS NOT NULL" : column + " <> " + bound(w.value);
        break;
      case Op::Lt: st.sql += column + " < " + bound(w.value); break;
      case Op::Lte: st.sql += column + " <= " + bound(w.value); break;
      case Op::Gt: st.sql += column + " > " + bound(w.value); break;
      case Op::Gte: st.sql += column + " >= " + bound(w.value); break;
      case Op::In:
      case Op::NotIn: {
        if (w.values.empty()) {
          // Nothing is in an empty list; everything is outside it.
          st.sql += w.op == Op::In ? "1 = 0" : "1 = 1";
          break;
        }
        st.sql += column + (w.op == Op::In ? " IN (" : " NOT IN (");
        for (size_t k = 0; k < w.values.size(); ++k) {
          if (k) st.sql += ", ";
          st.sql += bound(w.values[k]);
        }
        st.sql += ')';
        break;
      }
      case Op::Contains:
      case Op::StartsWith:
      case Op::EndsWith: {
        auto text = asString(w.value);
        if (!text)
          throw DatabaseError(DatabaseError::Kind::Other, "a text value is needed to match column \"" + field.name + "\"");
        std::string pattern = escapeLike(*text);
        if (w.op != Op::StartsWith) pattern.insert(0, "%");
        if (w.op != Op::EndsWith) pattern += '%';
        st.sql += dialect_.likeOperand(field.type, column) + " LIKE " + bind(st, std::move(pattern)) + " ESCAPE '\\'";
        break;
      }
    }
    if (i) st.sql += ')';
  }
}

SqlStatement QueryBuilder::insert(const std::string& tableName, const Row& data) const {
  const TableDecl& table = catalog_.table(tableName);
  for (const auto& [name, value] : data) catalog_.field(table, name);  // refuse unknown columns up front
  SqlStatement st;
  st.sql = "INSERT INTO " + quoteIdentifier(table.name) + " (";
  std::string values;
  bool first = true;
  for (const auto& field : table.fields) {
    auto it = data.find(field.name);
    const Value* value = nullptr;
    if (it != data.end()) value = &it->second;
    else if (field.defaultValue) value = &*field.defaultValue;
    else continue;
    if (!first) {
      st.sql += ", ";
      values += ", ";
    }
    first = false;
    st.sql += quoteIdentifier(field.name);
    values += bind(st, dialect_.bindValue(field.type, toLogical(field, *value)));
  }
  if (first) throw DatabaseError(DatabaseError::Kind::Other, "create on \"" + table.name + "\" without any column");
  st.sql += ") VALUES (" + values + ")";
  returnAll(st, table);
  return st;
}

SqlStatement QueryBuilder::select(const std::string& tableName, const FindOptions& options) const {
  const TableDecl& table = catalog_.table(tableName);
  const Catalog::QuotedTable& quoted = catalog_.quoted(table);
  SqlStatement st;
  st.sql.reserve(quoted.columns.size() + 128);
  st.sql = "SELECT ";
  if (options.select.empty()) {
    st.columns.reserve(table.fields.size());
    for (const auto& f : table.fields) st.columns.push_back(&f);
    st.columnsByName = &quoted.byName;
    st.sql += quoted.columns;
  } else {
    for (const auto& name : options.select) st.columns.push_back(&catalog_.field(table, name));
    for (size_t i = 0; i < st.columns.size(); ++i) {
      if (i) st.sql += ", ";
      st.sql += quoteIdentifier(st.columns[i]->name);
    }
  }
  st.sql += " FROM ";
  st.sql += quoted.name;
  appendWhere(st, table, options.where);
  if (options.sortBy) {
    st.sql += " ORDER BY " + quoteIdentifier(catalog_.field(table, options.sortBy->field).name) +
              (options.sortBy->descending ? " DESC" : " ASC");
  }
  if (options.limit || options.offset > 0) {
    st.sql += " LIMIT " + bind(st, options.limit ? Value(*options.limit) : dialect_.noLimit());
    if (options.offset > 0) st.sql += " OFFSET " + bind(st, Value(options.offset));
  }
  return st;
}

SqlStatement QueryBuilder::selectJoined(const std::string& tableName, const std::vector<Where>& where,
                                        const std::string& foreignKey, const std::string& joinTableName,
                                        const std::string& joinField, size_t& split) const {
  const TableDecl& table = catalog_.table(tableName);
  const TableDecl& joinTable = catalog_.table(joinTableName);
  const FieldDecl& key = catalog_.field(table, foreignKey);
  const FieldDecl& target = catalog_.field(joinTable, joinField);
  const Catalog::QuotedTable& first = catalog_.quoted(table);
  const Catalog::QuotedTable& second = catalog_.quoted(joinTable);
  SqlStatement st;
  st.sql.reserve(first.columnsT0.size() + second.columnsT1.size() + 160);
  st.columns.reserve(table.fields.size() + joinTable.fields.size());
  for (const auto& f : table.fields) st.columns.push_back(&f);
  split = st.columns.size();
  for (const auto& f : joinTable.fields) st.columns.push_back(&f);
  st.firstColumnsByName = &first.byName;
  st.secondColumnsByName = &second.byName;
  st.sql = "SELECT ";
  st.sql += first.columnsT0;
  st.sql += ", ";
  st.sql += second.columnsT1;
  st.sql += " FROM " + first.name + " AS t0 JOIN " + second.name + " AS t1 ON t1." + quoteIdentifier(target.name) +
            " = t0." + quoteIdentifier(key.name);
  appendWhere(st, table, where, "t0.");
  st.sql += " LIMIT 1";
  return st;
}

SqlStatement QueryBuilder::count(const std::string& tableName, const std::vector<Where>& where) const {
  const TableDecl& table = catalog_.table(tableName);
  SqlStatement st;
  st.sql = "SELECT COUNT(*) FROM " + quoteIdentifier(table.name);
  st.columns.push_back(&countColumn());
  appendWhere(st, table, where);
  return st;
}

SqlStatement QueryBuilder::update(const std::string& tableName, const std::vector<Where>& where, const Row& patch,
                                  bool returning) const {
  const TableDecl& table = catalog_.table(tableName);
  SqlStatement st;
  st.sql = "UPDATE " + quoteIdentifier(table.name) + " SET ";
  bool first = true;
  for (const auto& [name, value] : patch) {
    const FieldDecl& field = catalog_.field(table, name);
    if (!first) st.sql += ", ";
    first = false;
    st.sql += quoteIdentifier(field.name) + " = " + bind(st, dialect_.bindValue(field.type, toLogical(field, value)));
  }
  if (first) throw DatabaseError(DatabaseError::Kind::Other, "update on \"" + table.name + "\" without any column");
  appendWhere(st, table, where);
  if (returning) returnAll(st, table);
  return st;
}

SqlStatement QueryBuilder::remove(const std::string& tableName, const std::vector<Where>& where) const {
  const TableDecl& table = catalog_.table(tableName);
  SqlStatement st;
  st.sql = "DELETE FROM " + quoteIdentifier(table.name);
  appendWhere(st, table, where);
  return st;
}

SqlStatement QueryBuilder::increment(const std::string& tableName, const std::vector<Where>& where,
                                     const std::map<std::string, int64_t>& deltas) const {
  const TableDecl& table = catalog_.table(tableName);
  if (deltas.empty()) throw DatabaseError(DatabaseError::Kind::Other, "increment on \"" + table.name + "\" without any column");
  SqlStatement st;
  st.sql = "UPDATE " + quoteIdentifier(table.name) + " SET ";
  bool first = true;
  for (const auto& [name, delta] : deltas) {
    const FieldDecl& field = catalog_.field(table, name);
    if (field.type != FieldType::Integer && field.type != FieldType::BigInt)
      throw DatabaseError(DatabaseError::Kind::Other, "increment needs an integer column, \"" + field.name + "\" is not");
    if (!first) st.sql += ", ";
    first = false;
    const std::string column = quoteIdentifier(field.name);
    st.sql += column + " = COALESCE(" + column + ", 0) + " + bind(st, Value(delta));
  }
  appendWhere(st, table, where);
  returnAll(st, table);
  return st;
}

const FieldDecl& countColumn() {
  static const FieldDecl column = [] {
    FieldDecl f;
    f.name = "count";
    f.type = FieldType::BigInt;
    return f;
  }();
  return column;
}

const FieldDecl& textColumn(const std::string& name) {
  // Introspection queries name a handful of columns; keep one declaration per name.
  static thread_local std::map<std::string, FieldDecl> columns;
  auto [it, inserted] = columns.try_emplace(name);
  if (inserted) {
    it->second.name = name;
    it->second.type = FieldType::String;
  }
  return it->second;
}

Row QueryBuilder::decodeRow(const std::vector<const FieldDecl*>& columns, std::vector<Value>&& raw,
                           const std::vector<size_t>* byName) {
  Row row;
  if (byName && byName->size() == columns.size() && raw.size() == columns.size()) {
    for (const size_t i : *byName) row.emplace_hint(row.end(), columns[i]->name, fromDatabase(*columns[i], std::move(raw[i])));
    return row;
  }
  for (size_t i = 0; i < columns.size() && i < raw.size(); ++i)
    row.emplace(columns[i]->name, fromDatabase(*columns[i], std::move(raw[i])));
  return row;
}

}  // namespace crow::sql
