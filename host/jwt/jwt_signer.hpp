// jwt/jwt_signer.hpp - compact JWS (RFC 7515) signing and verification of JWTs.
//
// A token is base64url(header) "." base64url(payload) "." base64url(signature), no padding.
// ES256 signatures are JOSE's raw r‖s (64 bytes), not DER. Signing takes one EVP_DigestSign on
// a fresh context per token; pass an EVP_PKEY built once and cached (parsing a JWK per call
// would cost more than the signature).
#pragma once

#include "jwt/jwt_algorithm.hpp"

#include <Poco/JSON/Object.h>
#include <openssl/evp.h>

#include <optional>
#include <string>
#include <string_view>

namespace crow::host {

/// Signs `payload` under `header` with `key`. The header's "alg" must name the algorithm of
/// `key` (EdDSA for Ed25519, ES256 for P-256, RS256 for RSA) and is otherwise written as given
/// (Better Auth sends {"alg":"EdDSA","kid":"<jwks row id>"}). Objects are serialised in their
/// own member order: build them with Poco::JSON_PRESERVE_KEY_ORDER to control it.
/// Throws CryptoError when `key` has no private part, the header's alg does not match the key,
/// or OpenSSL fails.
std::string signJwt(const Poco::JSON::Object& header, const Poco::JSON::Object& payload, EVP_PKEY* key);

/// The same over already-serialised JSON texts (used as-is, byte for byte).
std::string signJwt(std::string_view headerJson, std::string_view payloadJson, EVP_PKEY* key);

/// Verifies `token` against `key` and returns its payload, or nullopt. The algorithm is
/// `expected`, which must be the algorithm of OUR key; the token's header cannot choose it:
///  - nullopt if `key` does not fit `expected` (e.g. an RSA key with expected = EdDSA);
///  - nullopt unless the header is a JSON object whose "alg" is exactly algorithmName(expected)
///    (so "none", "HS256" and any other alg are refused), and which has no "crit" member (we
///    understand no extensions);
///  - nullopt unless there are exactly three base64url parts (strict, unpadded), the signature
///    verifies (ES256: exactly 64 raw bytes) and the payload is a JSON object.
/// Claims (exp, nbf, iss, aud) are not checked here: see jwt_claims.hpp.
std::optional<Poco::JSON::Object::Ptr> verifyJwt(std::string_view token, EVP_PKEY* key, JwtAlgorithm expected);

/// The header of `token` WITHOUT verifying anything: only for choosing the key (its "kid")
/// before calling verifyJwt. nullopt when the first part is not base64url of a JSON object.
std::optional<Poco::JSON::Object::Ptr> readJwtHeaderUnverified(std::string_view token);

}  // namespace crow::host
