#include "input.hpp"

#include <crow/error.hpp>

#include <Poco/JSON/Array.h>

namespace apikey::input {

void invalid(const std::string& field, const std::string& why) {
  throw crow::ApiError(400, "VALIDATION_ERROR", "[" + field + "] " + why);
}

std::string typeName(const Poco::Dynamic::Var& v) {
  if (v.isEmpty()) return "null";
  if (v.type() == typeid(Poco::JSON::Object::Ptr)) return "object";
  if (v.type() == typeid(Poco::JSON::Array::Ptr)) return "array";
  if (v.isString()) return "string";
  if (v.type() == typeid(bool)) return "boolean";
  if (v.isNumeric()) return "number";
  return "unknown";
}

bool present(const Poco::JSON::Object& object, const std::string& key) { return object.has(key); }

std::optional<std::string> string(const Poco::JSON::Object& object, const std::string& key, const std::string& where,
                                  bool nullable) {
  if (!object.has(key)) return std::nullopt;
  const Poco::Dynamic::Var v = object.get(key);
  if (v.isEmpty() && nullable) return std::nullopt;
  if (!v.isString()) invalid(where + "." + key, "Invalid input: expected string, received " + typeName(v));
  return v.extract<std::string>();
}

std::string requiredString(const Poco::JSON::Object& object, const std::string& key, const std::string& where) {
  auto v = string(object, key, where);
  if (!v) invalid(where + "." + key, "Invalid input: expected string, received undefined");
  return *v;
}

std::optional<double> number(const Poco::JSON::Object& object, const std::string& key, bool nullable) {
  if (!object.has(key)) return std::nullopt;
  const Poco::Dynamic::Var v = object.get(key);
  if (v.isEmpty() && nullable) return std::nullopt;
  if (v.isEmpty() || v.isString() || v.type() == typeid(bool) || !v.isNumeric())
    invalid("body." + key, "Invalid input: expected number, received " + typeName(v));
  return v.convert<double>();
}

std::optional<bool> boolean(const Poco::JSON::Object& object, const std::string& key) {
  if (!object.has(key)) return std::nullopt;
  const Poco::Dynamic::Var v = object.get(key);
  if (v.type() != typeid(bool)) invalid("body." + key, "Invalid input: expected boolean, received " + typeName(v));
  return v.extract<bool>();
}

}  // namespace apikey::input
