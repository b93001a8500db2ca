// jwt/key_manager.hpp - the `jwks` table: reading keys, choosing the signing key, adding keys.
//
// Rows are in Better Auth's format (jwt/key_store_format.hpp), so keys Better Auth wrote are used
// as they are and keys we write work with Better Auth.
#pragma once

#include "crypto/openssl_handles.hpp"
#include "jwt/jwt_algorithm.hpp"
#include "jwt/key_store_format.hpp"

#include "crow/store.hpp"

#include <optional>
#include <string>
#include <vector>

namespace crow::host {

/// One jwks row.
struct StoredKey {
  std::string id;
  /// The `alg` column; when a row has none (older writers), the algorithm of its public key, or
  /// "" when that is not one we know.
  std::string alg;
  std::string publicKey;   ///< the column: public JWK JSON
  std::string privateKey;  ///< the column: encrypted (or plain) private JWK; never log it
  crow::Timestamp createdAt;
  std::optional<crow::Timestamp> expiresAt;
};

/// Where the keys live and how new ones are made.
struct KeyPolicy {
  JwtAlgorithm algorithm = JwtAlgorithm::EdDSA;
  /// expiresAt = createdAt + this for new keys; 0 = no expiry.
  int64_t rotationIntervalS = 0;
  PrivateKeyEncryption encryption = PrivateKeyEncryption::Encrypted;
  /// The secret private keys are encrypted with (AppConfig::secret).
  std::string secret;
};

/// Every jwks row, oldest first (createdAt, then id).
std::vector<StoredKey> readStoredKeys(crow::Store& store);

/// The newest key of `alg` that has not expired at `now` (expiresAt > now or none), or nullptr.
const StoredKey* newestLiveKey(const std::vector<StoredKey>& keys, JwtAlgorithm alg, crow::Timestamp now);

/// Generates a key pair and inserts its row (createdAt = now, expiresAt per the policy).
StoredKey insertNewKey(crow::Store& store, const KeyPolicy& policy, crow::Timestamp now);

/// Makes sure a live key of the policy's algorithm exists, creating exactly one if none does,
/// however many threads and instances call this at once (see lock_table.hpp). Returns the keys
/// as they are afterwards. The common case (a live key exists) is one query and no transaction.
std::vector<StoredKey> ensureLiveKey(crow::Store& store, const KeyPolicy& policy, crow::Timestamp now);

/// Rotation: adds a key (the newest from now on) and retires every key still live, of any
/// algorithm, by setting its expiresAt to `now`, so it stops signing and leaves /jwks after the
/// grace period. Runs under the same lock as ensureLiveKey. Returns the new key.
StoredKey addKeyNow(crow::Store& store, const KeyPolicy& policy, crow::Timestamp now);

/// The signing key of a row, decrypted. Throws CryptoError when it does not decrypt (the message
/// names the key id, and never the column or the secret).
EvpPkeyPtr loadPrivateKey(const StoredKey& key, const KeyPolicy& policy);

}  // namespace crow::host
