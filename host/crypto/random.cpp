#include "crypto/random.hpp"

#include "crypto/crypto_error.hpp"
#include "crypto/encoding.hpp"

#include <openssl/rand.h>

#include <array>
#include <climits>
#include <string_view>

namespace crow::host {

namespace {
constexpr std::string_view kIdAlphabet =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
// The largest multiple of 62 that fits in a byte: bytes at or above it are rejected so every
// character is equally likely.
constexpr unsigned kAcceptBelow = 256 - (256 % kIdAlphabet.size());
}  // namespace

void fillRandom(void* out, std::size_t n) {
  auto* bytes = static_cast<unsigned char*>(out);
  while (n > 0) {
    // RAND_bytes takes an int; chunk so huge requests cannot overflow it.
    const int chunk = n > static_cast<std::size_t>(INT_MAX) ? INT_MAX : static_cast<int>(n);
    if (RAND_bytes(bytes, chunk) != 1) throwOpenSslError("RAND_bytes failed");
    bytes += chunk;
    n -= static_cast<std::size_t>(chunk);
  }
}

std::string randomBytes(std::size_t n) {
  std::string out(n, '\0');
  if (n > 0) fillRandom(out.data(), n);
  return out;
}

std::string randomHex(std::size_t bytes) { return hexEncode(randomBytes(bytes)); }

std::string randomId(std::size_t length) {
  std::string id;
  id.reserve(length);
  std::array<unsigned char, 64> pool{};
  while (id.size() < length) {
    fillRandom(pool.data(), pool.size());
    for (unsigned char b : pool) {
      if (b >= kAcceptBelow) continue;
      id.push_back(kIdAlphabet[b % kIdAlphabet.size()]);
      if (id.size() == length) break;
    }
  }
  return id;
}

}  // namespace crow::host
