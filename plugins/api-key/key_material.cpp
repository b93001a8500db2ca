#include "key_material.hpp"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <array>
#include <stdexcept>

namespace apikey {

namespace {

constexpr std::string_view kLetters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
// The largest multiple of 52 a byte can hold: bytes at or above it are thrown away, so the
// modulo below does not favour the first letters.
constexpr unsigned kAcceptBelow = 256 - (256 % kLetters.size());

constexpr char kBase64Url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string base64UrlNoPad(const unsigned char* data, size_t size) {
  std::string out;
  out.reserve((size * 4 + 2) / 3);
  size_t i = 0;
  for (; i + 3 <= size; i += 3) {
    const unsigned v = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
    out += kBase64Url[(v >> 18) & 63];
    out += kBase64Url[(v >> 12) & 63];
    out += kBase64Url[(v >> 6) & 63];
    out += kBase64Url[v & 63];
  }
  if (size - i == 1) {
    const unsigned v = data[i] << 16;
    out += kBase64Url[(v >> 18) & 63];
    out += kBase64Url[(v >> 12) & 63];
  } else if (size - i == 2) {
    const unsigned v = (data[i] << 16) | (data[i + 1] << 8);
    out += kBase64Url[(v >> 18) & 63];
    out += kBase64Url[(v >> 12) & 63];
    out += kBase64Url[(v >> 6) & 63];
  }
  return out;
}

}  // namespace

std::string generateKey(std::string_view prefix, size_t length) {
  std::string key(prefix);
  key.reserve(prefix.size() + length);
  std::array<unsigned char, 128> pool{};
  size_t used = pool.size();
  while (key.size() < prefix.size() + length) {
    if (used == pool.size()) {
      if (RAND_bytes(pool.data(), static_cast<int>(pool.size())) != 1)
        throw std::runtime_error("the random generator failed");
      used = 0;
    }
    const unsigned byte = pool[used++];
    if (byte < kAcceptBelow) key += kLetters[byte % kLetters.size()];
  }
  return key;
}

std::string hashKey(std::string_view key) {
  // Every verify hashes a key. OpenSSL 3's one-shot EVP_Digest(EVP_sha256()) looks the algorithm up
  // under a process-wide lock each time; fetch it once and keep a context per thread instead.
  static EVP_MD* const sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  struct Context {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    ~Context() { EVP_MD_CTX_free(ctx); }
  };
  thread_local Context context;
  unsigned char digest[32];
  unsigned int size = 0;
  if (sha256 == nullptr || context.ctx == nullptr || EVP_DigestInit_ex2(context.ctx, sha256, nullptr) != 1 ||
      EVP_DigestUpdate(context.ctx, key.data(), key.size()) != 1 ||
      EVP_DigestFinal_ex(context.ctx, digest, &size) != 1 || size != sizeof digest)
    throw std::runtime_error("SHA-256 failed");
  return base64UrlNoPad(digest, sizeof digest);
}

std::string startOf(std::string_view key) { return std::string(key.substr(0, 6)); }

}  // namespace apikey
