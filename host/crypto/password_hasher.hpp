// crypto/password_hasher.hpp - Better Auth's scrypt password hash, run under a concurrency bound.
//
// Format (CONTRACT §3), stored in account.password:
//   "<salt>:<key>"  salt = 32 lowercase hex chars (16 random bytes), used AS ASCII BYTES as the
//                   scrypt salt (not decoded); key = 128 lowercase hex chars
//   key = scrypt(NFKC(password) as UTF-8, salt, N=16384, r=16, p=1, dkLen=64)
//
// Why a bound: one derivation takes ~100 ms of CPU and 32 MiB of memory (128·N·r bytes). Without
// a limit a burst of sign-ins would allocate 32 MiB per request thread and starve the hot paths
// (get-session, jwks) of CPU. So at most maxConcurrent derivations run at once; the others wait
// in arrival order (FifoSemaphore). Peak scrypt memory is therefore maxConcurrent × 32 MiB.
#pragma once

#include "crypto/fifo_semaphore.hpp"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace crow::host {

class PasswordHasher {
 public:
  static constexpr std::uint64_t kCostN = 16384;
  static constexpr std::uint64_t kBlockSizeR = 16;
  static constexpr std::uint64_t kParallelismP = 1;
  static constexpr std::size_t kKeyLength = 64;
  /// Better Auth's maxmem (128·N·r·2 = 64 MiB); one derivation needs about half of it.
  static constexpr std::uint64_t kMaxMemory = 128 * kCostN * kBlockSizeR * 2;

  /// The number of hardware threads (at least 1).
  static std::size_t defaultConcurrency();

  /// `maxConcurrent` derivations may run at once (clamped to at least 1).
  explicit PasswordHasher(std::size_t maxConcurrent = defaultConcurrency());
  PasswordHasher(const PasswordHasher&) = delete;
  PasswordHasher& operator=(const PasswordHasher&) = delete;

  /// A new stored hash `"<salthex>:<keyhex>"` (161 chars) with a fresh random salt.
  /// Throws CryptoError if `password` is not valid UTF-8 (a client error: reject the request).
  std::string hash(std::string_view password);

  /// True iff `password` matches `stored`. Follows Better Auth: the stored string is split at
  /// ':' (the salt is whatever precedes the first ':', used as bytes; the key is the next
  /// field). The derived key's lowercase hex is compared with the stored key in constant time.
  /// Returns false, without throwing, for a malformed stored hash (empty, no ':', empty parts,
  /// a key that is not 128 characters) and for a password that is not valid UTF-8.
  bool verify(std::string_view stored, std::string_view password);

  /// Runs one full derivation with a fixed dummy salt and discards it, under the same bound.
  /// Call it when sign-in finds no such user (or no credential account), so that answer takes
  /// as long as a wrong password and does not reveal which emails are registered.
  void burnEquivalentWork(std::string_view password);

  /// The scrypt step alone: lowercase hex of the 64-byte key for NFKC(password) and `salt`
  /// (bytes as given). Exposed for test vectors. It does NOT take a permit: production code
  /// calls hash/verify. Throws CryptoError if `password` is not valid UTF-8.
  static std::string deriveKeyHex(std::string_view password, std::string_view salt);

  std::size_t maxConcurrent() const noexcept { return permits_.permits(); }
  /// Callers currently waiting for a permit (a snapshot, for metrics).
  std::size_t waitingCount() const { return permits_.waiting(); }
  /// The largest number of derivations this hasher has had running at the same moment since
  /// it was built. Never exceeds maxConcurrent(); tests and metrics read it.
  std::size_t peakConcurrentDerivations() const noexcept { return peakInFlight_.load(); }
  /// Derivations completed or started through this hasher (hash, verify, burnEquivalentWork).
  std::size_t derivationCount() const noexcept { return derivations_.load(); }

 private:
  // Runs scrypt over already-normalised bytes under the bound; returns the raw key.
  std::string boundedDerive(std::string_view normalizedPassword, std::string_view salt);

  FifoSemaphore permits_;
  std::atomic<std::size_t> inFlight_{0};
  std::atomic<std::size_t> peakInFlight_{0};
  std::atomic<std::size_t> derivations_{0};
};

}  // namespace crow::host
