// jwt/jwt_claims.hpp - the registered-claim checks jose's jwtVerify makes after the signature.
#pragma once

#include <Poco/JSON/Object.h>

#include <cstdint>
#include <optional>
#include <string>

namespace crow::host {

/// What a verified payload must satisfy. Better Auth's verifyJWT passes issuer and audience
/// (both default to the baseURL origin) and jose always checks the time claims.
struct JwtClaimRules {
  /// Seconds since the epoch (from the injected clock, so tests can pin it).
  std::int64_t nowSeconds = 0;
  /// Tolerated clock difference, applied to exp and nbf (jose's clockTolerance; default 0).
  std::int64_t clockSkewSeconds = 0;
  /// When set, "iss" must equal it.
  std::optional<std::string> issuer;
  /// When set, "aud" (a string, or an array of strings) must equal / contain it.
  std::optional<std::string> audience;
  /// Better Auth's verifyJWT also requires a non-empty "sub".
  bool requireSubject = false;
};

/// True when `payload` meets `rules`, as jose judges it: "exp", "nbf" and "iat", when present,
/// must be numbers; the token is rejected as expired when exp <= now - skew and as not yet
/// valid when nbf > now + skew; then issuer, audience and subject as configured.
bool claimsAcceptable(const Poco::JSON::Object& payload, const JwtClaimRules& rules);

}  // namespace crow::host
