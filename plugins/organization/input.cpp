#include "input.hpp"

#include <crow/error.hpp>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Stringifier.h>
#include <Poco/UTF8String.h>
#include <Poco/Unicode.h>
#include <Poco/TextIterator.h>
#include <Poco/UTF8Encoding.h>

#include <sstream>

namespace organization::input {

namespace {

[[noreturn]] void invalid(const std::string& field, const std::string& why) {
  throw crow::ApiError(400, "VALIDATION_ERROR", "[" + field + "] " + why);
}

bool hasControl(const std::string& s) {
  for (unsigned char c : s)
    if (c < 0x20 || c == 0x7f) return true;
  return false;
}

bool validUtf8(const std::string& s) {
  Poco::UTF8Encoding utf8;
  Poco::TextIterator it(s, utf8), end(s);
  for (; it != end; ++it)
    if (*it < 0) return false;
  return true;
}

// Depth counted in containers; the host's JSON parser already caps nesting, this keeps stored
// metadata shallow enough for every consumer.
int depthOf(const Poco::Dynamic::Var& v, int limit) {
  if (limit < 0) return 1 << 20;
  if (v.type() == typeid(Poco::JSON::Object::Ptr)) {
    auto o = v.extract<Poco::JSON::Object::Ptr>();
    int deepest = 0;
    for (const auto& [k, child] : *o) deepest = std::max(deepest, depthOf(child, limit - 1));
    return deepest + 1;
  }
  if (v.type() == typeid(Poco::JSON::Array::Ptr)) {
    auto a = v.extract<Poco::JSON::Array::Ptr>();
    int deepest = 0;
    for (const auto& child : *a) deepest = std::max(deepest, depthOf(child, limit - 1));
    return deepest + 1;
  }
  return 0;
}

}  // namespace

Poco::JSON::Object::Ptr body(const crow::Request& request) { return request.json(); }

std::optional<std::string> optionalString(const Poco::JSON::Object& object, const std::string& key,
                                          const std::string& where) {
  if (!object.has(key)) return std::nullopt;
  const Poco::Dynamic::Var v = object.get(key);
  if (v.isEmpty()) return std::nullopt;
  if (!v.isString()) invalid(where + "." + key, "Expected string");
  return v.extract<std::string>();
}

std::string requiredString(const Poco::JSON::Object& object, const std::string& key, const std::string& where) {
  auto v = optionalString(object, key, where);
  if (!v) invalid(where + "." + key, "Expected string, received undefined");
  if (v->empty()) invalid(where + "." + key, "Too small: expected string to have >=1 characters");
  return *v;
}

bool optionalBool(const Poco::JSON::Object& object, const std::string& key, bool fallback) {
  if (!object.has(key)) return fallback;
  const Poco::Dynamic::Var v = object.get(key);
  if (v.isEmpty()) return fallback;
  if (v.type() != typeid(bool)) invalid("body." + key, "Expected boolean");
  return v.extract<bool>();
}

bool isExplicitNull(const Poco::JSON::Object& object, const std::string& key) {
  return object.has(key) && object.get(key).isEmpty();
}

void checkSlug(const std::string& slug, const std::string& field) {
  if (slug.empty() || slug.size() > 64)
    invalid(field, "Slug must be 1 to 64 characters");
  for (char c : slug)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
      invalid(field, "Slug may hold only lower-case letters a-z, digits and hyphens");
  if (slug.front() == '-' || slug.back() == '-') invalid(field, "Slug must not start or end with a hyphen");
}

void checkName(const std::string& name, const std::string& field) {
  if (name.empty()) invalid(field, "Too small: expected string to have >=1 characters");
  if (name.size() > 256) invalid(field, "Name must be at most 256 bytes");
  if (hasControl(name) || !validUtf8(name)) invalid(field, "Name must be UTF-8 text without control characters");
}

void checkLogo(const std::string& logo, const std::string& field) {
  if (logo.size() > 2048) invalid(field, "Logo must be at most 2048 bytes");
  if (hasControl(logo) || !validUtf8(logo)) invalid(field, "Logo must be UTF-8 text without control characters");
}

std::string metadataText(const Poco::Dynamic::Var& value, const std::string& field) {
  if (value.type() != typeid(Poco::JSON::Object::Ptr)) invalid(field, "Expected object");
  if (depthOf(value, 8) > 8) invalid(field, "Metadata must be at most 8 levels deep");
  std::ostringstream out;
  Poco::JSON::Stringifier::condense(value, out);
  std::string text = out.str();
  if (text.size() > 16 * 1024) invalid(field, "Metadata must be at most 16384 bytes as JSON");
  return text;
}

std::string email(const std::string& value, const std::string& field) {
  const auto at = value.find('@');
  if (value.size() > 254 || at == std::string::npos || at == 0 || at + 1 >= value.size() ||
      value.find('@', at + 1) != std::string::npos || value.find('.', at) == std::string::npos ||
      value.back() == '.')
    invalid(field, "Invalid email address");
  for (unsigned char c : value)
    if (c <= 0x20 || c == 0x7f) invalid(field, "Invalid email address");
  std::string lower = value;
  for (char& c : lower)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return lower;
}

void checkLookup(const std::string& value, const std::string& field) {
  if (value.size() > 256 || hasControl(value)) invalid(field, "Invalid value");
}

}  // namespace organization::input
