#include "common/values.hpp"

#include "crow/error.hpp"

namespace crow::sql {

namespace {

[[noreturn]] void badValue(const FieldDecl& field, const char* expected) {
  throw DatabaseError(DatabaseError::Kind::Other,
                      "invalid value for column \"" + field.name + "\": expected " + expected);
}

}  // namespace

Value toLogical(const FieldDecl& field, const Value& value) {
  if (isNull(value)) return value;
  switch (field.type) {
    case FieldType::Timestamp:
      if (auto t = asTimestamp(value)) return *t;
      badValue(field, "a timestamp");
    case FieldType::Boolean:
      if (auto b = asBool(value)) return *b;
      badValue(field, "a boolean");
    case FieldType::Integer:
    case FieldType::BigInt:
      if (auto i = asInt(value)) return *i;
      badValue(field, "an integer");
    case FieldType::Id:
    case FieldType::String:
    case FieldType::Json:
      if (std::holds_alternative<std::string>(value)) return value;
      if (auto s = asString(value)) return *s;
      badValue(field, "text");
  }
  return value;
}

Value fromDatabase(const FieldDecl& field, Value raw) {
  if (isNull(raw)) return raw;
  switch (field.type) {
    case FieldType::Timestamp:
      if (auto t = asTimestamp(raw)) return *t;
      return raw;
    case FieldType::Boolean:
      if (auto b = asBool(raw)) return *b;
      return raw;
    case FieldType::Integer:
    case FieldType::BigInt:
      if (auto i = asInt(raw)) return *i;
      return raw;
    case FieldType::Id:
    case FieldType::String:
    case FieldType::Json:
      if (std::holds_alternative<std::string>(raw)) return raw;
      if (auto s = asString(raw)) return *s;
      return raw;
  }
  return raw;
}

std::string escapeLike(const std::string& text) {
  std::string out;
  out.reserve(text.size() + 4);
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

}  // namespace crow::sql
