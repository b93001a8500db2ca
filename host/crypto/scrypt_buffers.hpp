// crypto/scrypt_buffers.hpp - keeps scrypt's scratch buffers mapped between derivations.
//
// OpenSSL allocates 32 MiB (128·N·r) for every scrypt and frees it afterwards. The allocator hands
// a block that size straight back to the kernel (jemalloc's oversize arena, glibc's mmap
// threshold), so each password hash paid for about 8,200 fresh page faults, a fifth of its time,
// and sign-in throughput fell short of the machine's scrypt limit. The pool below serves
// OpenSSL's allocations of at least 16 MiB from a few buffers that, once touched, stay mapped;
// everything smaller goes to malloc as before. Only scrypt asks OpenSSL for that much, and
// derivations are bounded by the PasswordHasher's permits, so at most that many buffers exist:
// resident memory after the first sign-ins is that many × 32 MiB, never more.
//
// OpenSSL clears scrypt's buffer (OPENSSL_clear_free) before it comes back to the pool.
#pragma once

#include <cstddef>

namespace crow::host {

/// Installs the pool as OpenSSL's memory functions, with room for `buffers` large blocks (filled
/// on first use; further large requests go to malloc). Must run before OpenSSL allocates
/// anything, so first thing in main(). Returns false, changing nothing, when it is too late or
/// the pool is already installed.
bool installScryptBufferPool(std::size_t buffers);

}  // namespace crow::host
