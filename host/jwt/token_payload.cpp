#include "jwt/token_payload.hpp"

#include <sstream>
#include <stdexcept>

namespace crow::host {

std::string tokenPayloadJson(const Poco::JSON::Object& user, const TokenClaims& claims) {
  if (!user.has("id") || !user.get("id").isString()) throw std::invalid_argument("the user object has no string id");
  Poco::JSON::Object payload(Poco::JSON_PRESERVE_KEY_ORDER);
  payload.set("iat", Poco::Int64(claims.issuedAtS));
  for (const std::string& name : user.getNames()) payload.set(name, user.get(name));
  payload.set("sub", user.get("id").extract<std::string>());
  payload.set("exp", Poco::Int64(claims.issuedAtS + claims.lifetimeS));
  payload.set("iss", claims.issuer);
  payload.set("aud", claims.audience);
  std::ostringstream out;
  payload.stringify(out);
  return out.str();
}

}  // namespace crow::host
