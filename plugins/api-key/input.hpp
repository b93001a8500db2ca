// input.hpp - reading what clients send. Wrong types are 400s in Better Auth's zod shape:
// {"code":"VALIDATION_ERROR","message":"[body.<field>] Invalid input: expected string, received number"}.
#pragma once

#include <Poco/JSON/Object.h>

#include <optional>
#include <string>

namespace apikey::input {

[[noreturn]] void invalid(const std::string& field, const std::string& why);

/// True when the key is present (even as null).
bool present(const Poco::JSON::Object& object, const std::string& key);
/// A string: nullopt when absent; 400 when present with another type (null included unless
/// `nullable`, then nullopt).
std::optional<std::string> string(const Poco::JSON::Object& object, const std::string& key,
                                  const std::string& where = "body", bool nullable = false);
/// A required string.
std::string requiredString(const Poco::JSON::Object& object, const std::string& key, const std::string& where = "body");
/// A number: nullopt when absent (or null when `nullable`); 400 for another type.
std::optional<double> number(const Poco::JSON::Object& object, const std::string& key, bool nullable);
/// A boolean: nullopt when absent; 400 for another type.
std::optional<bool> boolean(const Poco::JSON::Object& object, const std::string& key);

/// The name of a JSON value's type as zod reports it ("number", "object", ...).
std::string typeName(const Poco::Dynamic::Var& value);

}  // namespace apikey::input
