#include "crypto/password_hasher.hpp"

#include "crypto/crypto_error.hpp"
#include "crypto/encoding.hpp"
#include "crypto/hmac.hpp"
#include "crypto/random.hpp"
#include "crypto/unicode_normalize.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <thread>

namespace crow::host {

namespace {

constexpr std::size_t kSaltBytes = 16;
constexpr std::size_t kKeyHexLength = PasswordHasher::kKeyLength * 2;
// Any fixed 32-character salt: the cost of scrypt does not depend on its value.
constexpr std::string_view kDummySalt = "00000000000000000000000000000000";

std::string scrypt(std::string_view password, std::string_view salt) {
  std::string key(PasswordHasher::kKeyLength, '\0');
  // OpenSSL rejects a null pointer even with length 0, so empty inputs point at a dummy byte.
  static const char kEmpty = 0;
  const char* passwordData = password.empty() ? &kEmpty : password.data();
  const char* saltData = salt.empty() ? &kEmpty : salt.data();
  if (EVP_PBE_scrypt(passwordData, password.size(), reinterpret_cast<const unsigned char*>(saltData),
                     salt.size(), PasswordHasher::kCostN, PasswordHasher::kBlockSizeR,
                     PasswordHasher::kParallelismP, PasswordHasher::kMaxMemory,
                     reinterpret_cast<unsigned char*>(key.data()), key.size()) != 1)
    throwOpenSslError("scrypt failed");
  return key;
}

std::string normalizeOrThrow(std::string_view password) {
  auto normalized = normalizeNfkc(password);
  if (!normalized) throw CryptoError("password is not valid UTF-8");
  return std::move(*normalized);
}

// Erases a copy of the password (or a derived key) before its memory is reused.
void wipe(std::string& s) {
  if (!s.empty()) OPENSSL_cleanse(s.data(), s.size());
}

}  // namespace

std::size_t PasswordHasher::defaultConcurrency() {
  const unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : n;
}

PasswordHasher::PasswordHasher(std::size_t maxConcurrent) : permits_(maxConcurrent) {}

std::string PasswordHasher::deriveKeyHex(std::string_view password, std::string_view salt) {
  std::string normalized = normalizeOrThrow(password);
  std::string key = scrypt(normalized, salt);
  wipe(normalized);
  std::string hex = hexEncode(key);
  wipe(key);
  return hex;
}

std::string PasswordHasher::boundedDerive(std::string_view normalizedPassword, std::string_view salt) {
  FifoSemaphore::Permit permit(permits_);
  ++derivations_;
  const std::size_t running = ++inFlight_;
  std::size_t peak = peakInFlight_.load();
  while (running > peak && !peakInFlight_.compare_exchange_weak(peak, running)) {
  }
  struct LeaveOnExit {
    std::atomic<std::size_t>& counter;
    ~LeaveOnExit() { --counter; }
  } leave{inFlight_};
  return scrypt(normalizedPassword, salt);
}

std::string PasswordHasher::hash(std::string_view password) {
  std::string normalized = normalizeOrThrow(password);
  const std::string salt = randomHex(kSaltBytes);
  std::string key = boundedDerive(normalized, salt);
  wipe(normalized);
  std::string stored = salt + ":" + hexEncode(key);
  wipe(key);
  return stored;
}

bool PasswordHasher::verify(std::string_view stored, std::string_view password) {
  // JavaScript's `stored.split(":")` then `[salt, key]`: fields after a second ':' are ignored.
  const auto colon = stored.find(':');
  if (colon == std::string_view::npos) return false;
  const std::string_view salt = stored.substr(0, colon);
  std::string_view key = stored.substr(colon + 1);
  if (const auto next = key.find(':'); next != std::string_view::npos) key = key.substr(0, next);
  // A key of any other length can never equal a 128-character derived key.
  if (salt.empty() || key.size() != kKeyHexLength) return false;

  auto normalized = normalizeNfkc(password);
  if (!normalized) return false;
  std::string derived = boundedDerive(*normalized, salt);
  wipe(*normalized);
  std::string derivedHex = hexEncode(derived);
  wipe(derived);
  const bool match = constantTimeEquals(derivedHex, key);
  wipe(derivedHex);
  return match;
}

void PasswordHasher::burnEquivalentWork(std::string_view password) {
  // Same steps as verify: normalise (raw bytes if that fails), derive, compare, discard.
  auto normalized = normalizeNfkc(password);
  std::string input = normalized ? std::move(*normalized) : std::string(password);
  std::string derived = boundedDerive(input, kDummySalt);
  wipe(input);
  std::string derivedHex = hexEncode(derived);
  (void)constantTimeEquals(derivedHex, derivedHex);
  wipe(derived);
  wipe(derivedHex);
}

}  // namespace crow::host
