#include "crypto/symmetric.hpp"

#include "crypto/crypto_error.hpp"
#include "crypto/encoding.hpp"
#include "crypto/hmac.hpp"
#include "crypto/random.hpp"
#include "crypto/sodium_runtime.hpp"

#include <sodium.h>

#include <limits>

namespace crow::host {

namespace {

constexpr std::string_view kEnvelopePrefix = "$ba$";
constexpr std::size_t kNonceBytes = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;  // 24
constexpr std::size_t kTagBytes = crypto_aead_xchacha20poly1305_ietf_ABYTES;       // 16
static_assert(kNonceBytes == 24 && kTagBytes == 16);
static_assert(crypto_aead_xchacha20poly1305_ietf_KEYBYTES == 32);

const unsigned char* bytes(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

// SHA-256 of the secret, wiped when it goes out of scope.
struct DerivedKey {
  std::string value;
  explicit DerivedKey(std::string_view secret) : value(sha256(secret)) {}
  ~DerivedKey() { sodium_memzero(value.data(), value.size()); }
};

}  // namespace

std::string symmetricEncrypt(std::string_view secret, std::string_view plaintext) {
  ensureSodiumInitialized();
  const DerivedKey key(secret);
  std::string out(kNonceBytes + plaintext.size() + kTagBytes, '\0');
  auto* nonce = reinterpret_cast<unsigned char*>(out.data());
  randombytes_buf(nonce, kNonceBytes);
  unsigned long long written = 0;
  if (crypto_aead_xchacha20poly1305_ietf_encrypt(nonce + kNonceBytes, &written, bytes(plaintext), plaintext.size(),
                                                 nullptr, 0, nullptr, nonce, bytes(key.value)) != 0 ||
      written != plaintext.size() + kTagBytes)
    throw CryptoError("XChaCha20-Poly1305 encryption failed");
  return hexEncode(out);
}

std::optional<std::string> symmetricDecrypt(std::string_view secret, std::string_view hexCiphertext) {
  ensureSodiumInitialized();
  const auto raw = hexDecode(hexCiphertext);
  if (!raw || raw->size() < kNonceBytes + kTagBytes) return std::nullopt;
  const DerivedKey key(secret);
  const std::string_view sealed = std::string_view(*raw).substr(kNonceBytes);
  std::string plaintext(sealed.size() - kTagBytes, '\0');
  unsigned long long written = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(reinterpret_cast<unsigned char*>(plaintext.data()), &written,
                                                 nullptr, bytes(sealed), sealed.size(), nullptr, 0,
                                                 bytes(*raw), bytes(key.value)) != 0)
    return std::nullopt;
  plaintext.resize(static_cast<std::size_t>(written));
  return plaintext;
}

std::optional<CiphertextEnvelope> parseCiphertextEnvelope(std::string_view data) {
  if (data.substr(0, kEnvelopePrefix.size()) != kEnvelopePrefix) return std::nullopt;
  const auto secondSep = data.find('$', kEnvelopePrefix.size());
  if (secondSep == std::string_view::npos) return std::nullopt;
  const std::string_view field = data.substr(kEnvelopePrefix.size(), secondSep - kEnvelopePrefix.size());
  unsigned long long version = 0;
  std::size_t digits = 0;
  while (digits < field.size() && field[digits] >= '0' && field[digits] <= '9') {
    version = version * 10 + static_cast<unsigned>(field[digits] - '0');
    if (version > std::numeric_limits<unsigned>::max()) return std::nullopt;
    ++digits;
  }
  if (digits == 0) return std::nullopt;
  return CiphertextEnvelope{static_cast<unsigned>(version), data.substr(secondSep + 1)};
}

std::string formatCiphertextEnvelope(unsigned version, std::string_view hexCiphertext) {
  std::string out(kEnvelopePrefix);
  out += std::to_string(version);
  out.push_back('$');
  out += hexCiphertext;
  return out;
}

std::string symmetricEncrypt(const SecretKeyring& keyring, std::string_view plaintext) {
  const auto current = keyring.secrets.find(keyring.currentVersion);
  if (current == keyring.secrets.end())
    throw CryptoError("secret version " + std::to_string(keyring.currentVersion) + " is not in the keyring");
  return formatCiphertextEnvelope(keyring.currentVersion, symmetricEncrypt(current->second, plaintext));
}

std::optional<std::string> symmetricDecrypt(const SecretKeyring& keyring, std::string_view data) {
  if (const auto envelope = parseCiphertextEnvelope(data)) {
    const auto secret = keyring.secrets.find(envelope->version);
    if (secret == keyring.secrets.end()) return std::nullopt;
    return symmetricDecrypt(secret->second, envelope->hexCiphertext);
  }
  if (!keyring.legacySecret) return std::nullopt;
  return symmetricDecrypt(*keyring.legacySecret, data);
}

}  // namespace crow::host
