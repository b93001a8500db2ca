#include "jwt/jwt_claims.hpp"

#include <Poco/JSON/Array.h>

#include <cmath>

namespace crow::host {

namespace {

// A JSON number as a double, nullopt when absent; `valid` is cleared when present but not a number.
std::optional<double> numericClaim(const Poco::JSON::Object& payload, const std::string& name, bool& valid) {
  if (!payload.has(name)) return std::nullopt;
  const Poco::Dynamic::Var value = payload.get(name);
  if (!value.isNumeric() || value.isBoolean()) {
    valid = false;
    return std::nullopt;
  }
  const double number = value.convert<double>();
  if (!std::isfinite(number)) valid = false;
  return number;
}

bool audienceMatches(const Poco::Dynamic::Var& aud, const std::string& expected) {
  if (aud.isString()) return aud.extract<std::string>() == expected;
  if (aud.type() == typeid(Poco::JSON::Array::Ptr)) {
    const auto array = aud.extract<Poco::JSON::Array::Ptr>();
    for (std::size_t i = 0; i < array->size(); ++i) {
      const Poco::Dynamic::Var entry = array->get(static_cast<unsigned>(i));
      if (entry.isString() && entry.extract<std::string>() == expected) return true;
    }
  }
  return false;
}

}  // namespace

bool claimsAcceptable(const Poco::JSON::Object& payload, const JwtClaimRules& rules) {
  bool valid = true;
  const auto exp = numericClaim(payload, "exp", valid);
  const auto nbf = numericClaim(payload, "nbf", valid);
  (void)numericClaim(payload, "iat", valid);
  if (!valid) return false;
  const double now = static_cast<double>(rules.nowSeconds);
  const double skew = static_cast<double>(rules.clockSkewSeconds);
  if (exp && *exp <= now - skew) return false;
  if (nbf && *nbf > now + skew) return false;
  if (rules.issuer) {
    const Poco::Dynamic::Var iss = payload.get("iss");
    if (!iss.isString() || iss.extract<std::string>() != *rules.issuer) return false;
  }
  if (rules.audience && !audienceMatches(payload.get("aud"), *rules.audience)) return false;
  if (rules.requireSubject) {
    const Poco::Dynamic::Var sub = payload.get("sub");
    if (!sub.isString() || sub.extract<std::string>().empty()) return false;
  }
  return true;
}

}  // namespace crow::host
