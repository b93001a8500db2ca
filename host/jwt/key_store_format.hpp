// jwt/key_store_format.hpp - how a key pair is written to and read from the `jwks` table.
//
//   publicKey  = JSON.stringify(publicJWK)                        e.g. {"crv":"Ed25519","x":"…","kty":"OKP"}
//   privateKey = JSON.stringify(symmetricEncrypt(secret, JSON.stringify(privateJWK)))
//                — a JSON string literal, quotes included: "\"0b1be3…\"" (or "\"$ba$2$…\"" with rotation)
//   privateKey = JSON.stringify(privateJWK)                       with disablePrivateKeyEncryption
//
// As in Better Auth, whether privateKey is encrypted is decided by configuration, not guessed
// from the column.
#pragma once

#include "crypto/openssl_handles.hpp"
#include "crypto/symmetric.hpp"

#include <string>
#include <string_view>
#include <variant>

namespace crow::host {

/// Better Auth's `jwks.disablePrivateKeyEncryption`, as a type.
enum class PrivateKeyEncryption { Encrypted, Plain };

/// The secret the private key is encrypted with: the single `secret` (bare hex ciphertext), or
/// the rotation keyring (an envelope "$ba$<version>$<hex>" when writing; an envelope or legacy
/// bare hex when reading).
using KeyEncryptionSecret = std::variant<std::string_view, const SecretKeyring*>;

/// The two text columns of a jwks row (the id, alg, crv and dates are the caller's).
struct StoredJwkColumns {
  std::string publicKey;
  std::string privateKey;
};

/// Encodes `key` (which must hold a private part) for a new jwks row. Throws CryptoError.
StoredJwkColumns encodeJwkColumns(const EVP_PKEY* key, KeyEncryptionSecret secret, PrivateKeyEncryption mode);

/// Reads the signing key back from a row's privateKey column. Throws CryptoError when the
/// column is malformed or does not decrypt (for example: the secret changed since the key was
/// written; the message says so, and never includes the column or the secret).
EvpPkeyPtr decodePrivateKeyColumn(std::string_view privateKeyColumn, KeyEncryptionSecret secret,
                                  PrivateKeyEncryption mode);

/// Reads the verification key from a row's publicKey column. Private members, should a badly
/// written row contain any, are ignored. Throws CryptoError when the column is malformed.
EvpPkeyPtr decodePublicKeyColumn(std::string_view publicKeyColumn);

}  // namespace crow::host
