#include "permissions.hpp"

#include <crow/error.hpp>

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>

namespace apikey {

namespace {

[[noreturn]] void invalid(const std::string& field, const std::string& why) {
  throw crow::ApiError(400, "VALIDATION_ERROR", "[" + field + "] " + why);
}

// Bounds keep a hostile request from making verify do unbounded work.
constexpr size_t kMaxResources = 64;
constexpr size_t kMaxActions = 64;
constexpr size_t kMaxNameBytes = 128;

}  // namespace

Permissions parsePermissions(const Poco::Dynamic::Var& value, const std::string& field) {
  if (value.type() != typeid(Poco::JSON::Object::Ptr)) invalid(field, "Invalid input: expected record");
  auto object = value.extract<Poco::JSON::Object::Ptr>();
  if (object->size() > kMaxResources) invalid(field, "Too many resources");
  Permissions out;
  for (const auto& [resource, actions] : *object) {
    if (resource.size() > kMaxNameBytes) invalid(field, "Resource name too long");
    if (actions.type() != typeid(Poco::JSON::Array::Ptr))
      invalid(field + "." + resource, "Invalid input: expected array");
    auto array = actions.extract<Poco::JSON::Array::Ptr>();
    if (array->size() > kMaxActions) invalid(field + "." + resource, "Too many actions");
    std::vector<std::string> list;
    for (const auto& action : *array) {
      if (!action.isString()) invalid(field + "." + resource, "Invalid input: expected string");
      std::string name = action.extract<std::string>();
      if (name.size() > kMaxNameBytes) invalid(field + "." + resource, "Action name too long");
      list.push_back(std::move(name));
    }
    out.emplace_back(resource, std::move(list));
  }
  return out;
}

bool grants(const crow::Value& stored, const Permissions& requested) {
  auto text = crow::asString(stored);
  if (!text || text->empty() || *text == "null") return false;
  Poco::JSON::Object::Ptr granted;
  try {
    Poco::Dynamic::Var parsed = Poco::JSON::Parser().parse(*text);
    if (parsed.type() != typeid(Poco::JSON::Object::Ptr)) return false;
    granted = parsed.extract<Poco::JSON::Object::Ptr>();
  } catch (const Poco::Exception&) {
    return false;
  }
  for (const auto& [resource, actions] : requested) {
    if (!granted->has(resource)) return false;
    Poco::JSON::Array::Ptr allowed = granted->getArray(resource);
    if (!allowed) return false;
    for (const std::string& action : actions) {
      bool found = false;
      for (const auto& entry : *allowed)
        if (entry.isString() && entry.extract<std::string>() == action) {
          found = true;
          break;
        }
      if (!found) return false;
    }
  }
  return true;
}

}  // namespace apikey
