// roles.hpp - Better Auth's default roles and their permission statements (access/statement.ts).
#pragma once

#include <Poco/Dynamic/Var.h>

#include <string>
#include <string_view>
#include <vector>

namespace organization {

/// One role: its name and, per resource, the actions it may take.
struct RoleDef {
  std::string_view name;
  std::vector<std::pair<std::string_view, std::vector<std::string_view>>> statements;
};

/// owner, admin or member; nullptr for any other name (including "__proto__" and "").
const RoleDef* findRole(std::string_view name) noexcept;
/// True when the resource is one of Better Auth's statements (organization, member, ...).
bool isKnownResource(std::string_view resource) noexcept;

/// A stored role column ("member,admin") split on commas, pieces trimmed.
std::vector<std::string> splitRoles(std::string_view stored);
bool hasRole(std::string_view stored, std::string_view role);
/// Whether any of the stored roles allows `action` on `resource`.
bool allows(std::string_view stored, std::string_view resource, std::string_view action);

/// A client's role input (a string, possibly comma-separated, or an array of strings) checked
/// and joined the way Better Auth stores it. Throws ApiError 400: `{"message":"ROLE_NOT_FOUND: x"}`
/// (no code, as Better Auth) for an unknown role, VALIDATION_ERROR for a missing, empty,
/// repeated or non-string role.
std::string parseRoleInput(const Poco::Dynamic::Var& input);

}  // namespace organization
