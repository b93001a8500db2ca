#include "auth/row_json.hpp"

#include "util/json_text.hpp"

#include <Poco/JSON/Parser.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace crow::host {

namespace {

bool emitted(const crow::FieldDecl& f) { return f.returned; }

// Id last, as Better Auth's adapter output puts it.
template <typename Fn>
void forEachReturnedField(const crow::TableDecl& table, Fn&& fn) {
  const crow::FieldDecl* id = nullptr;
  for (const auto& f : table.fields) {
    if (!emitted(f)) continue;
    if (f.name == "id") {
      id = &f;
      continue;
    }
    fn(f);
  }
  if (id) fn(*id);
}

void appendNumber(std::string& out, double d) {
  if (!std::isfinite(d)) {
    out += "null";
    return;
  }
  // The shortest text that reads back as the same double, as JavaScript prints numbers.
  char buf[32];
  int n = 0;
  for (int precision = 15; precision <= 17; ++precision) {
    n = std::snprintf(buf, sizeof buf, "%.*g", precision, d);
    if (std::strtod(buf, nullptr) == d) break;
  }
  out.append(buf, static_cast<size_t>(n));
}

void appendValue(std::string& out, const crow::FieldDecl& field, const crow::Value& v) {
  if (crow::isNull(v)) {
    out += "null";
    return;
  }
  switch (field.type) {
    case crow::FieldType::Boolean: {
      auto b = crow::asBool(v);
      out += !b ? "null" : (*b ? "true" : "false");
      return;
    }
    case crow::FieldType::Timestamp: {
      auto t = crow::asTimestamp(v);
      if (!t) break;
      out += '"';
      out += crow::toIsoString(*t);
      out += '"';
      return;
    }
    case crow::FieldType::Integer:
    case crow::FieldType::BigInt: {
      if (auto d = std::get_if<double>(&v)) return appendNumber(out, *d);
      auto i = crow::asInt(v);
      if (!i) break;
      out += std::to_string(*i);
      return;
    }
    default: break;
  }
  if (auto s = crow::asString(v)) {
    appendJsonString(out, *s);
  } else if (auto b = std::get_if<bool>(&v)) {
    out += *b ? "true" : "false";
  } else if (auto i = std::get_if<int64_t>(&v)) {
    out += std::to_string(*i);
  } else if (auto d = std::get_if<double>(&v)) {
    appendNumber(out, *d);
  } else if (auto t = std::get_if<crow::Timestamp>(&v)) {
    appendJsonString(out, crow::toIsoString(*t));
  } else {
    out += "null";
  }
}

Poco::Dynamic::Var toVar(const crow::FieldDecl& field, const crow::Value& v) {
  if (crow::isNull(v)) return Poco::Dynamic::Var();
  switch (field.type) {
    case crow::FieldType::Boolean:
      if (auto b = crow::asBool(v)) return *b;
      return Poco::Dynamic::Var();
    case crow::FieldType::Timestamp:
      if (auto t = crow::asTimestamp(v)) return crow::toIsoString(*t);
      break;
    case crow::FieldType::Integer:
    case crow::FieldType::BigInt:
      if (auto d = std::get_if<double>(&v)) return *d;
      if (auto i = crow::asInt(v)) return static_cast<Poco::Int64>(*i);
      break;
    default: break;
  }
  if (auto s = std::get_if<std::string>(&v)) return *s;
  if (auto b = std::get_if<bool>(&v)) return *b;
  if (auto i = std::get_if<int64_t>(&v)) return static_cast<Poco::Int64>(*i);
  if (auto d = std::get_if<double>(&v)) return *d;
  if (auto t = std::get_if<crow::Timestamp>(&v)) return crow::toIsoString(*t);
  return Poco::Dynamic::Var();
}

}  // namespace

SchemaCatalog::SchemaCatalog(std::vector<crow::TableDecl> tables) : tables_(std::move(tables)) {}

const crow::TableDecl* SchemaCatalog::find(const std::string& table) const noexcept {
  for (const auto& t : tables_)
    if (t.name == table) return &t;
  return nullptr;
}

Poco::JSON::Object::Ptr rowToJson(const crow::TableDecl& table, const crow::Row& row) {
  Poco::JSON::Object::Ptr out = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  forEachReturnedField(table, [&](const crow::FieldDecl& f) { out->set(f.name, toVar(f, crow::field(row, f.name))); });
  return out;
}

void appendRowJson(std::string& out, const crow::TableDecl& table, const crow::Row& row) {
  out += '{';
  bool first = true;
  forEachReturnedField(table, [&](const crow::FieldDecl& f) {
    if (!first) out += ',';
    first = false;
    appendJsonString(out, f.name);
    out += ':';
    appendValue(out, f, crow::field(row, f.name));
  });
  out += '}';
}

}  // namespace crow::host
