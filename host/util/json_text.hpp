// Small JSON writers for the bodies the server builds itself (errors, /health, /ready): they are
// fixed shapes, so a Poco::JSON object per error would only cost allocations.
#pragma once

#include <string>
#include <string_view>

namespace crow::host {

/// Appends `value` as a JSON string literal, quotes included. Control characters are escaped;
/// other bytes pass through (callers hand in UTF-8).
void appendJsonString(std::string& out, std::string_view value);

/// `{"message":"<message>","code":"<code>"}` (Better Auth's key order), or `{"message":".."}`
/// when code is empty.
std::string jsonError(std::string_view code, std::string_view message);

}  // namespace crow::host
