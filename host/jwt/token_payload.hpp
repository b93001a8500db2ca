// jwt/token_payload.hpp - the claims of the tokens /token and the set-auth-jwt header carry.
#pragma once

#include <Poco/JSON/Object.h>

#include <cstdint>
#include <string>

namespace crow::host {

struct TokenClaims {
  int64_t issuedAtS = 0;
  int64_t lifetimeS = 900;
  std::string issuer;
  std::string audience;
};

/// Better Auth's payload, member for member and in its order:
///   {"iat", ...user (as get-session serialises it, `id` last), "sub": user.id, "exp", "iss", "aud"}
/// `user` must have a string "id". Throws std::invalid_argument when it has none.
std::string tokenPayloadJson(const Poco::JSON::Object& user, const TokenClaims& claims);

}  // namespace crow::host
