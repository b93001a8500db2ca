// jwt/jwk.hpp - key pairs for the jwt plugin and their JSON Web Key (RFC 7517/7518/8037) form.
//
// Exported JWKs have the exact member order Better Auth stores (jose's exportJWK over Node's
// WebCrypto, observed on Node 20), so rows we write look like rows Better Auth writes:
//   EdDSA public  {"crv":"Ed25519","x":…,"kty":"OKP"}       private {"crv":"Ed25519","d":…,"x":…,"kty":"OKP"}
//   ES256 public  {"kty":"EC","x":…,"y":…,"crv":"P-256"}   private {"kty":"EC","x":…,"y":…,"crv":"P-256","d":…}
//   RS256 public  {"kty":"RSA","n":…,"e":…}                private {"kty":"RSA","n":…,"e":…,"d":…,"p":…,"q":…,"dp":…,"dq":…,"qi":…}
// Importing accepts any member order.
#pragma once

#include "crypto/openssl_handles.hpp"
#include "jwt/jwt_algorithm.hpp"

#include <Poco/JSON/Object.h>

#include <string>
#include <string_view>

namespace crow::host {

/// A fresh key pair for `alg`: Ed25519, P-256, or RSA-2048 with e = 65537 (jose's defaults).
/// Throws CryptoError if OpenSSL fails.
EvpPkeyPtr generateKeyPair(JwtAlgorithm alg);

/// True when `key` holds a private part (it can sign).
bool hasPrivateKey(const EVP_PKEY* key);

/// The public JWK as JSON text, in Better Auth's member order (see above). Never contains a
/// private member, whatever `key` holds. Throws CryptoError for an unsupported key type.
std::string exportPublicJwk(const EVP_PKEY* key);

/// The private JWK as JSON text, in Better Auth's member order. Throws CryptoError when `key`
/// has no private part or is of an unsupported type. The result is key material: never log it.
std::string exportPrivateJwk(const EVP_PKEY* key);

/// Builds a key from a JWK (OKP/Ed25519, EC/P-256 or RSA). With the private members (`d`, and
/// for RSA also p q dp dq qi) it is a private key, checked against its public members; without
/// them a public key (an EC point is checked to be on the curve). Throws CryptoError for
/// malformed JSON, a missing or non-base64url member, a wrong length, an unsupported kty/crv,
/// an RSA modulus under 2048 bits, or public and private members that do not belong together.
EvpPkeyPtr importJwk(std::string_view jwkJson);
EvpPkeyPtr importJwk(const Poco::JSON::Object& jwk);

/// True for the JWK members that are private key material: d, p, q, dp, dq, qi, oth, k.
bool isPrivateJwkMember(std::string_view name);

/// A copy of `jwk` (member order kept) without any private member. Use it on every JWK that is
/// about to be published, even one read from the publicKey column: defence in depth against a
/// row that was written wrongly.
Poco::JSON::Object::Ptr withoutPrivateMembers(const Poco::JSON::Object& jwk);
/// The same over JSON text; throws CryptoError if `jwkJson` is not a JSON object.
std::string withoutPrivateMembers(std::string_view jwkJson);

/// One entry of the JWKS document as Better Auth serves it: `alg` first, then the stored public
/// JWK's members (private members removed), then `kid`, e.g.
/// {"alg":"EdDSA","crv":"Ed25519","x":"…","kty":"OKP","kid":"<row id>"}.
/// Throws CryptoError if `publicKeyColumn` is not a JSON object.
Poco::JSON::Object::Ptr jwksEntry(std::string_view publicKeyColumn, std::string_view alg, std::string_view kid);

}  // namespace crow::host
