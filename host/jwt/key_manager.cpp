#include "jwt/key_manager.hpp"

#include "crypto/crypto_error.hpp"
#include "crypto/random.hpp"
#include "jwt/jwk.hpp"
#include "jwt/lock_table.hpp"

#include <algorithm>

namespace crow::host {

namespace {

constexpr const char* kJwksTable = "jwks";

std::string lockName(JwtAlgorithm alg) { return "jwks-key:" + std::string(algorithmName(alg)); }

// The algorithm of a row without an `alg` column, from its public key.
std::string inferAlgorithm(const std::string& publicKeyColumn) {
  try {
    EvpPkeyPtr key = decodePublicKeyColumn(publicKeyColumn);
    if (auto alg = algorithmForKey(key.get())) return std::string(algorithmName(*alg));
  } catch (const CryptoError&) {
    // an unreadable row is still listed; it just never signs
  }
  return {};
}

StoredKey fromRow(const crow::Row& row) {
  StoredKey key;
  key.id = asString(field(row, "id")).value_or("");
  key.publicKey = asString(field(row, "publicKey")).value_or("");
  key.privateKey = asString(field(row, "privateKey")).value_or("");
  key.createdAt = asTimestamp(field(row, "createdAt")).value_or(crow::Timestamp{});
  key.expiresAt = asTimestamp(field(row, "expiresAt"));
  auto alg = asString(field(row, "alg"));
  key.alg = alg && !alg->empty() ? *alg : inferAlgorithm(key.publicKey);
  return key;
}

}  // namespace

std::vector<StoredKey> readStoredKeys(crow::Store& store) {
  std::vector<StoredKey> keys;
  for (const crow::Row& row : store.findMany(kJwksTable, {})) keys.push_back(fromRow(row));
  std::sort(keys.begin(), keys.end(), [](const StoredKey& a, const StoredKey& b) {
    return a.createdAt != b.createdAt ? a.createdAt < b.createdAt : a.id < b.id;
  });
  return keys;
}

const StoredKey* newestLiveKey(const std::vector<StoredKey>& keys, JwtAlgorithm alg, crow::Timestamp now) {
  const StoredKey* newest = nullptr;
  for (const StoredKey& key : keys) {
    if (key.alg != algorithmName(alg)) continue;
    if (key.expiresAt && *key.expiresAt <= now) continue;
    if (!newest || !(key.createdAt < newest->createdAt)) newest = &key;  // keys are sorted: last wins ties
  }
  return newest;
}

StoredKey insertNewKey(crow::Store& store, const KeyPolicy& policy, crow::Timestamp now) {
  EvpPkeyPtr pair = generateKeyPair(policy.algorithm);
  StoredJwkColumns columns = encodeJwkColumns(pair.get(), std::string_view(policy.secret), policy.encryption);
  StoredKey key;
  key.id = randomId(32);
  key.alg = std::string(algorithmName(policy.algorithm));
  key.publicKey = std::move(columns.publicKey);
  key.privateKey = std::move(columns.privateKey);
  key.createdAt = now;
  if (policy.rotationIntervalS > 0) key.expiresAt = crow::Timestamp{now.epochMs + policy.rotationIntervalS * 1000};

  crow::Row row{{"id", key.id},
                {"publicKey", key.publicKey},
                {"privateKey", key.privateKey},
                {"createdAt", key.createdAt},
                {"alg", key.alg}};
  row["expiresAt"] = key.expiresAt ? crow::Value(*key.expiresAt) : crow::Value();
  auto crv = curveName(policy.algorithm);
  row["crv"] = crv ? crow::Value(std::string(*crv)) : crow::Value();
  store.create(kJwksTable, row);
  return key;
}

std::vector<StoredKey> ensureLiveKey(crow::Store& store, const KeyPolicy& policy, crow::Timestamp now) {
  std::vector<StoredKey> keys = readStoredKeys(store);
  if (newestLiveKey(keys, policy.algorithm, now)) return keys;
  runUnderLock(store, lockName(policy.algorithm), now, [&](crow::Store& tx) {
    // Another instance may have made the key while we waited for the lock.
    keys = readStoredKeys(tx);
    if (newestLiveKey(keys, policy.algorithm, now)) return;
    insertNewKey(tx, policy, now);
  });
  return readStoredKeys(store);
}

StoredKey addKeyNow(crow::Store& store, const KeyPolicy& policy, crow::Timestamp now) {
  StoredKey created;
  runUnderLock(store, lockName(policy.algorithm), now, [&](crow::Store& tx) {
    const std::vector<StoredKey> before = readStoredKeys(tx);
    // The new key must be the newest even if the previous one was made in this same millisecond.
    crow::Timestamp createdAt = now;
    for (const StoredKey& key : before)
      if (!(key.createdAt < createdAt)) createdAt = crow::Timestamp{key.createdAt.epochMs + 1};
    created = insertNewKey(tx, policy, createdAt);
    // Retire the keys in use: they stop signing now and leave /jwks after the grace period.
    for (const StoredKey& key : before)
      if (!key.expiresAt || now < *key.expiresAt)
        tx.update(kJwksTable, {crow::eq("id", key.id)}, {{"expiresAt", now}});
  });
  return created;
}

EvpPkeyPtr loadPrivateKey(const StoredKey& key, const KeyPolicy& policy) {
  try {
    return decodePrivateKeyColumn(key.privateKey, std::string_view(policy.secret), policy.encryption);
  } catch (const CryptoError& e) {
    throw CryptoError("jwks key " + key.id + ": " + e.what());
  }
}

}  // namespace crow::host
