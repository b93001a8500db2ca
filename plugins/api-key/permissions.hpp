// permissions.hpp - a key's permission statements ({"files":["read","write"]}) and the check
// verify makes: every requested resource must be on the key with every requested action.
#pragma once

#include <crow/store.hpp>

#include <Poco/Dynamic/Var.h>

#include <string>
#include <utility>
#include <vector>

namespace apikey {

using Permissions = std::vector<std::pair<std::string, std::vector<std::string>>>;

/// A client's `permissions` (an object of arrays of strings); 400 VALIDATION_ERROR otherwise.
Permissions parsePermissions(const Poco::Dynamic::Var& value, const std::string& field);

/// Whether the key's stored permissions (JSON text or NULL) grant all of `requested`. A key with
/// none grants nothing.
bool grants(const crow::Value& stored, const Permissions& requested);

}  // namespace apikey
