// jwt/session_body.hpp - the token payload straight from get-session's JSON text.
//
// get-session already serialised the user the way Better Auth does; the set-auth-jwt header
// needs that same object inside its claims. Splicing the text avoids parsing and re-printing
// JSON on the gateway's hottest path (it was about a third of get-session's cost).
#pragma once

#include "jwt/token_payload.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace crow::host {

/// The text of a top-level member's value in a JSON object (`{"a":{...},"user":{...}}`), found
/// by a scan that respects strings and nesting; nullopt when absent or the text is not an object.
std::optional<std::string_view> topLevelMember(std::string_view objectJson, std::string_view key);

/// {"iat", ...user members, "sub", "exp", "iss", "aud"} built from the "user" member of a
/// get-session body, byte for byte what tokenPayloadJson gives for the parsed user; nullopt when
/// the body has no user object with a plain string id (the caller then takes the slow path).
std::optional<std::string> tokenPayloadFromSessionBody(std::string_view body, const TokenClaims& claims);

}  // namespace crow::host
