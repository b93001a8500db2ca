// jwt/jwt_options.hpp - the `auth.jwt` block: Better Auth's jwt plugin options, flattened.
#pragma once

#include "jwt/jwt_algorithm.hpp"
#include "jwt/key_store_format.hpp"

#include "crow/config.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace crow::host {

struct JwtOptions {
  /// false: no /token, no /jwks, no set-auth-jwt header, no key created.
  bool enabled = true;
  /// The algorithm new keys are made for and tokens are signed with (`jwks.keyPairConfig.alg`).
  JwtAlgorithm algorithm = JwtAlgorithm::EdDSA;
  /// exp - iat, in seconds (`jwt.expirationTime`, "15m").
  int64_t expirationTimeS = 900;
  /// `iss` and `aud`; both default to the origin of baseURL (no path), as in Better Auth.
  std::string issuer;
  std::string audience;
  /// The set-auth-jwt header on get-session (`disableSettingJwtHeader` inverted).
  bool setJwtHeader = true;
  /// How long a retired key stays in /jwks after its expiresAt (`jwks.gracePeriod`, 30 days).
  int64_t gracePeriodS = 2592000;
  /// Lifetime of a new key; 0 keeps keys forever (`jwks.rotationInterval`).
  int64_t rotationIntervalS = 0;
  /// Private keys encrypted with the secret at rest (`jwks.disablePrivateKeyEncryption` inverted).
  PrivateKeyEncryption privateKeyEncryption = PrivateKeyEncryption::Encrypted;
  /// How often an instance re-reads the jwks table, so a key added by another instance or by
  /// `crow-auth jwks rotate` is published (and used) without a restart. 0: only at start-up
  /// and when this instance itself changes the keys.
  int64_t keyRefreshIntervalS = 10;
};

/// The origin of an absolute http(s) URL, as WHATWG `new URL(u).origin` gives it: lower-case
/// scheme and host, the port only when it is not the scheme's default, no path.
std::string urlOrigin(std::string_view url);

/// Reads `jwt` from the `auth:` block (absent: all defaults). Unknown keys and bad values fail
/// with ConfigError at their line. `baseURL` gives the default issuer and audience.
JwtOptions readJwtOptions(const crow::ConfigNode& authBlock, const std::string& baseURL);

/// "900", "900s", "15m", "1h", "7d", "1w" -> seconds; nullopt for anything else or a value <= 0.
std::optional<int64_t> parseDurationSeconds(std::string_view text);

}  // namespace crow::host
