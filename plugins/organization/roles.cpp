#include "roles.hpp"

#include <crow/error.hpp>

#include <Poco/JSON/Array.h>

#include <algorithm>

namespace organization {

namespace {

const std::vector<RoleDef>& roleTable() {
  static const std::vector<RoleDef> roles = {
      {"owner",
       {{"organization", {"update", "delete"}},
        {"member", {"create", "update", "delete"}},
        {"invitation", {"create", "cancel"}},
        {"team", {"create", "update", "delete"}},
        {"ac", {"create", "read", "update", "delete"}}}},
      {"admin",
       {{"organization", {"update"}},
        {"member", {"create", "update", "delete"}},
        {"invitation", {"create", "cancel"}},
        {"team", {"create", "update", "delete"}},
        {"ac", {"create", "read", "update", "delete"}}}},
      {"member", {{"ac", {"read"}}}},
  };
  return roles;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

[[noreturn]] void invalid(const std::string& why) {
  throw crow::ApiError(400, "VALIDATION_ERROR", "[body.role] " + why);
}

// Better Auth's message names the role as given; bound it so a 10 KB role is not echoed back.
[[noreturn]] void roleNotFound(std::string_view role) {
  std::string shown(role.substr(0, 64));
  for (char& c : shown)
    if (static_cast<unsigned char>(c) < 0x20) c = '?';
  throw crow::ApiError(400, "", "ROLE_NOT_FOUND: " + shown);
}

}  // namespace

const RoleDef* findRole(std::string_view name) noexcept {
  for (const auto& role : roleTable())
    if (role.name == name) return &role;
  return nullptr;
}

bool isKnownResource(std::string_view resource) noexcept {
  static constexpr std::string_view kResources[] = {"organization", "member", "invitation", "team", "ac"};
  return std::find(std::begin(kResources), std::end(kResources), resource) != std::end(kResources);
}

std::vector<std::string> splitRoles(std::string_view stored) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= stored.size()) {
    size_t comma = stored.find(',', start);
    if (comma == std::string_view::npos) comma = stored.size();
    std::string_view piece = trim(stored.substr(start, comma - start));
    if (!piece.empty()) out.emplace_back(piece);
    start = comma + 1;
  }
  return out;
}

bool hasRole(std::string_view stored, std::string_view role) {
  for (const auto& r : splitRoles(stored))
    if (r == role) return true;
  return false;
}

bool allows(std::string_view stored, std::string_view resource, std::string_view action) {
  for (const auto& name : splitRoles(stored)) {
    const RoleDef* role = findRole(name);
    if (!role) continue;
    for (const auto& [res, actions] : role->statements)
      if (res == resource && std::find(actions.begin(), actions.end(), action) != actions.end()) return true;
  }
  return false;
}

std::string parseRoleInput(const Poco::Dynamic::Var& input) {
  std::vector<std::string> pieces;
  auto addPieces = [&](const std::string& text) {
    if (text.size() > 256) invalid("Role is too long");
    size_t start = 0;
    while (true) {
      size_t comma = text.find(',', start);
      pieces.emplace_back(trim(std::string_view(text).substr(start, comma == std::string::npos ? std::string::npos
                                                                                               : comma - start)));
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  };
  if (input.isEmpty()) invalid("Role is required");
  if (input.isString()) {
    addPieces(input.extract<std::string>());
  } else if (input.type() == typeid(Poco::JSON::Array::Ptr)) {
    const auto array = input.extract<Poco::JSON::Array::Ptr>();
    if (!array || array->size() == 0 || array->size() > 8) invalid("Expected 1 to 8 roles");
    for (size_t i = 0; i < array->size(); ++i) {
      const Poco::Dynamic::Var item = array->get(static_cast<unsigned>(i));
      if (!item.isString()) invalid("Expected string");
      addPieces(item.extract<std::string>());
    }
  } else {
    invalid("Expected string or array of strings");
  }
  std::string joined;
  std::vector<std::string_view> seen;
  for (const auto& piece : pieces) {
    if (!findRole(piece)) roleNotFound(piece);
    if (std::find(seen.begin(), seen.end(), piece) != seen.end()) invalid("Role " + piece + " is given twice");
    seen.push_back(piece);
    if (!joined.empty()) joined += ',';
    joined += piece;
  }
  return joined;
}

}  // namespace organization
