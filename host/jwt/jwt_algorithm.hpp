// jwt/jwt_algorithm.hpp - the JWS algorithms crow-auth signs with, and which key fits which.
#pragma once

#include <openssl/evp.h>

#include <optional>
#include <string_view>

namespace crow::host {

/// The asymmetric JWS algorithms supported for the jwt plugin's keys (Better Auth's
/// `jwks.keyPairConfig.alg`). EdDSA (Ed25519) is Better Auth's default. PS256 and ES512,
/// which Better Auth also allows, are not supported yet.
enum class JwtAlgorithm { EdDSA, ES256, RS256 };

/// "EdDSA", "ES256", "RS256": the JOSE `alg` value and the jwks.alg column.
std::string_view algorithmName(JwtAlgorithm alg);

/// The inverse of algorithmName (case-sensitive, as JOSE is); nullopt for anything else,
/// including "none" and the HS* family.
std::optional<JwtAlgorithm> parseAlgorithm(std::string_view name);

/// The jwks.crv column: "Ed25519" for EdDSA, "P-256" for ES256, nullopt for RS256.
std::optional<std::string_view> curveName(JwtAlgorithm alg);

/// The algorithm a key can be used with: Ed25519 -> EdDSA, EC on P-256 -> ES256, RSA of at
/// least 2048 bits -> RS256; nullopt for any other key (X25519, P-384, short RSA, ...).
std::optional<JwtAlgorithm> algorithmForKey(const EVP_PKEY* key);

}  // namespace crow::host
