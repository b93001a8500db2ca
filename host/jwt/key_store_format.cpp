#include "jwt/key_store_format.hpp"

#include "crypto/crypto_error.hpp"
#include "jwt/jwk.hpp"

#include <openssl/crypto.h>

namespace crow::host {

namespace {

std::string encrypt(KeyEncryptionSecret secret, std::string_view plaintext) {
  if (const auto* single = std::get_if<std::string_view>(&secret)) return symmetricEncrypt(*single, plaintext);
  return symmetricEncrypt(*std::get<const SecretKeyring*>(secret), plaintext);
}

std::optional<std::string> decrypt(KeyEncryptionSecret secret, std::string_view ciphertext) {
  if (const auto* single = std::get_if<std::string_view>(&secret)) return symmetricDecrypt(*single, ciphertext);
  return symmetricDecrypt(*std::get<const SecretKeyring*>(secret), ciphertext);
}

// JSON.stringify of a string that needs no escaping (hex, or "$ba$<digits>$<hex>").
std::string quoteJsonString(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  out.push_back('"');
  out += text;
  out.push_back('"');
  return out;
}

// JSON.parse of the privateKey column, for the only strings it can hold: ciphertexts, whose
// characters never need escaping. Anything else (escapes, control characters) is rejected.
std::string unquoteJsonString(std::string_view column) {
  if (column.size() < 2 || column.front() != '"' || column.back() != '"')
    throw CryptoError("jwks.privateKey is not a JSON string (is private key encryption disabled for this row?)");
  const std::string_view inner = column.substr(1, column.size() - 2);
  for (char c : inner) {
    if (c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20)
      throw CryptoError("jwks.privateKey holds an unexpected JSON string");
  }
  return std::string(inner);
}

}  // namespace

StoredJwkColumns encodeJwkColumns(const EVP_PKEY* key, KeyEncryptionSecret secret, PrivateKeyEncryption mode) {
  StoredJwkColumns columns;
  columns.publicKey = exportPublicJwk(key);
  std::string privateJwk = exportPrivateJwk(key);
  if (mode == PrivateKeyEncryption::Plain) {
    columns.privateKey = std::move(privateJwk);
    return columns;
  }
  columns.privateKey = quoteJsonString(encrypt(secret, privateJwk));
  OPENSSL_cleanse(privateJwk.data(), privateJwk.size());
  return columns;
}

EvpPkeyPtr decodePrivateKeyColumn(std::string_view privateKeyColumn, KeyEncryptionSecret secret,
                                  PrivateKeyEncryption mode) {
  if (mode == PrivateKeyEncryption::Plain) {
    EvpPkeyPtr key = importJwk(privateKeyColumn);
    if (!hasPrivateKey(key.get())) throw CryptoError("jwks.privateKey holds no private key");
    return key;
  }
  auto privateJwk = decrypt(secret, unquoteJsonString(privateKeyColumn));
  if (!privateJwk)
    throw CryptoError(
        "cannot decrypt jwks.privateKey: the secret in use is not the one that encrypted it (or the row is "
        "damaged); restore that secret, or remove the jwks rows so new keys are generated");
  struct Wipe {
    std::string& s;
    ~Wipe() { OPENSSL_cleanse(s.data(), s.size()); }
  } wipe{*privateJwk};
  EvpPkeyPtr key = importJwk(*privateJwk);
  if (!hasPrivateKey(key.get())) throw CryptoError("jwks.privateKey holds no private key");
  return key;
}

EvpPkeyPtr decodePublicKeyColumn(std::string_view publicKeyColumn) {
  return importJwk(withoutPrivateMembers(publicKeyColumn));
}

}  // namespace crow::host
