// crypto/symmetric.hpp - Better Auth's symmetricEncrypt / symmetricDecrypt.
//
//   key        = SHA-256(UTF-8 secret)                       (no KDF beyond that)
//   ciphertext = lowercase hex( nonce[24] ‖ XChaCha20-Poly1305(key, nonce, plaintext) ‖ tag[16] ), no AAD
//
// With secret rotation (`secrets` / BETTER_AUTH_SECRETS) the hex is wrapped in an envelope
// "$ba$<version>$<hex>" naming the secret that encrypted it. Used for the jwks.privateKey
// column (inside a JSON string literal, see jwt/key_store_format.hpp) and, when configured,
// OAuth tokens in the account table.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace crow::host {

/// Encrypts UTF-8 `plaintext` under `secret` with a fresh random nonce; returns lowercase hex.
std::string symmetricEncrypt(std::string_view secret, std::string_view plaintext);

/// Inverse of symmetricEncrypt: nullopt on any failure (not hex, shorter than nonce + tag,
/// wrong secret, tampered data). Accepts upper- or lowercase hex. Returns the plaintext bytes
/// as stored (Better Auth would decode them as UTF-8; what we store is always UTF-8 JSON).
std::optional<std::string> symmetricDecrypt(std::string_view secret, std::string_view hexCiphertext);

/// The secrets Better Auth's SecretConfig holds when rotation is configured.
struct SecretKeyring {
  /// version -> secret. The first entry of `secrets` is the current one.
  std::map<unsigned, std::string> secrets;
  /// The version new ciphertexts are written with; must be present in `secrets`.
  unsigned currentVersion = 0;
  /// The plain `secret` (BETTER_AUTH_SECRET), used for ciphertexts without an envelope
  /// (written before rotation was turned on). Empty optional: such ciphertexts fail.
  std::optional<std::string> legacySecret;
};

/// A parsed "$ba$<version>$<hex>" envelope.
struct CiphertextEnvelope {
  unsigned version = 0;
  std::string_view hexCiphertext;  // points into the parsed text
};

/// Parses an envelope as Better Auth's parseEnvelope does: nullopt when `data` does not start
/// with "$ba$" or has no second '$'. Like JavaScript's parseInt, the version is the leading
/// decimal digits of the field (at least one; trailing characters are ignored).
std::optional<CiphertextEnvelope> parseCiphertextEnvelope(std::string_view data);

/// "$ba$<version>$<hex>".
std::string formatCiphertextEnvelope(unsigned version, std::string_view hexCiphertext);

/// Encrypts under the keyring's current secret and wraps the result in an envelope.
/// Throws CryptoError if currentVersion has no secret.
std::string symmetricEncrypt(const SecretKeyring& keyring, std::string_view plaintext);

/// Decrypts an envelope with the secret of its version, or bare hex with the legacy secret.
/// nullopt on any failure, including an unknown version (a retired secret).
std::optional<std::string> symmetricDecrypt(const SecretKeyring& keyring, std::string_view data);

}  // namespace crow::host
