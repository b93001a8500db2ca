#include "crypto/hmac.hpp"

#include "crypto/crypto_error.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/core_names.h>
#include <openssl/params.h>

namespace crow::host {

namespace {

// OpenSSL 3's one-shot calls (EVP_Digest with EVP_sha256(), HMAC()) look the algorithm up in the
// provider store on every call, under a lock shared by all threads: that costs several times the
// hash of a session token and serialises the server's workers. The algorithms are fetched once and
// each thread keeps its own context.
EVP_MD* sha256Algorithm() {
  static EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return md;
}

EVP_MAC* hmacAlgorithm() {
  static EVP_MAC* const mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  return mac;
}

struct DigestContext {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  ~DigestContext() { EVP_MD_CTX_free(ctx); }
};

// A thread's HMAC context keeps the key it was last initialised with; the host signs with one
// secret, so re-keying (which hashes the key) happens about once per thread.
struct MacContext {
  EVP_MAC_CTX* ctx = nullptr;
  std::string key;
  bool keyed = false;
  ~MacContext() {
    EVP_MAC_CTX_free(ctx);
    OPENSSL_cleanse(key.data(), key.size());
  }
};

}  // namespace

std::string sha256(std::string_view data) {
  thread_local DigestContext context;
  std::string digest(32, '\0');
  unsigned int length = 0;
  EVP_MD* md = sha256Algorithm();
  if (md == nullptr || context.ctx == nullptr || EVP_DigestInit_ex2(context.ctx, md, nullptr) != 1 ||
      EVP_DigestUpdate(context.ctx, data.data(), data.size()) != 1 ||
      EVP_DigestFinal_ex(context.ctx, reinterpret_cast<unsigned char*>(digest.data()), &length) != 1 || length != 32)
    throwOpenSslError("SHA-256 failed");
  return digest;
}

std::string hmacSha256(std::string_view key, std::string_view message) {
  thread_local MacContext context;
  if (context.ctx == nullptr) {
    EVP_MAC* mac = hmacAlgorithm();
    if (mac == nullptr || (context.ctx = EVP_MAC_CTX_new(mac)) == nullptr) throwOpenSslError("HMAC-SHA256 failed");
  }
  int initialised = 0;
  if (context.keyed && context.key.size() == key.size() &&
      CRYPTO_memcmp(context.key.data(), key.data(), key.size()) == 0) {
    initialised = EVP_MAC_init(context.ctx, nullptr, 0, nullptr);  // same key: reset only
  } else {
    char digestName[] = "SHA256";
    const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digestName, 0),
                                 OSSL_PARAM_construct_end()};
    // A null key pointer means "keep the old key" to EVP_MAC_init, so an empty key points at a
    // dummy byte with length 0.
    static const unsigned char kEmpty = 0;
    const unsigned char* keyData = key.empty() ? &kEmpty : reinterpret_cast<const unsigned char*>(key.data());
    context.keyed = false;
    OPENSSL_cleanse(context.key.data(), context.key.size());
    initialised = EVP_MAC_init(context.ctx, keyData, key.size(), params);
    if (initialised == 1) {
      context.key.assign(key);
      context.keyed = true;
    }
  }
  std::string mac(32, '\0');
  size_t length = 0;
  if (initialised != 1 ||
      EVP_MAC_update(context.ctx, reinterpret_cast<const unsigned char*>(message.data()), message.size()) != 1 ||
      EVP_MAC_final(context.ctx, reinterpret_cast<unsigned char*>(mac.data()), &length, mac.size()) != 1 ||
      length != 32)
    throwOpenSslError("HMAC-SHA256 failed");
  return mac;
}

bool constantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

bool digestEquals(std::string_view a, std::string_view b) {
  const std::string da = sha256(a);
  const std::string db = sha256(b);
  return CRYPTO_memcmp(da.data(), db.data(), da.size()) == 0;
}

}  // namespace crow::host
