#include "crypto/scrypt_buffers.hpp"

#include <openssl/crypto.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>

namespace crow::host {

namespace {

constexpr std::size_t kLargeBytes = 16u << 20;  // scrypt(N=16384, r=16) asks for 32 MiB
constexpr std::size_t kMaxBuffers = 16;

struct Slot {
  std::atomic<void*> block{nullptr};  // set once, never freed
  std::atomic<std::size_t> capacity{0};
  std::atomic<bool> taken{false};
};

Slot slots[kMaxBuffers];
std::size_t slotCount = 0;  // written once, before OpenSSL can call us

void* takeLarge(std::size_t size) {
  for (std::size_t i = 0; i < slotCount; ++i) {
    Slot& slot = slots[i];
    bool expected = false;
    if (!slot.taken.compare_exchange_strong(expected, true, std::memory_order_acquire)) continue;
    void* block = slot.block.load(std::memory_order_relaxed);
    if (block && slot.capacity.load(std::memory_order_relaxed) >= size) return block;
    if (!block) {
      block = std::malloc(size);
      if (block) {
        slot.capacity.store(size, std::memory_order_relaxed);
        slot.block.store(block, std::memory_order_release);
        return block;
      }
    }
    slot.taken.store(false, std::memory_order_release);  // too small, or out of memory: not this one
  }
  return std::malloc(size);
}

Slot* slotOf(const void* block) {
  if (!block) return nullptr;
  for (std::size_t i = 0; i < slotCount; ++i)
    if (slots[i].block.load(std::memory_order_acquire) == block) return &slots[i];
  return nullptr;
}

void* poolMalloc(std::size_t size, const char*, int) {
  return size >= kLargeBytes ? takeLarge(size) : std::malloc(size);
}

void* poolRealloc(void* block, std::size_t size, const char*, int) {
  Slot* slot = slotOf(block);
  if (!slot) return std::realloc(block, size);
  if (size <= slot->capacity.load(std::memory_order_relaxed)) return block;
  void* moved = std::malloc(size);
  if (!moved) return nullptr;
  std::memcpy(moved, block, slot->capacity.load(std::memory_order_relaxed));
  slot->taken.store(false, std::memory_order_release);
  return moved;
}

void poolFree(void* block, const char*, int) {
  if (Slot* slot = slotOf(block)) {
    slot->taken.store(false, std::memory_order_release);
    return;
  }
  std::free(block);
}

}  // namespace

bool installScryptBufferPool(std::size_t buffers) {
  // Once only: OpenSSL would accept a second call (its check stops working once custom functions
  // are in), and shrinking the pool then would hand pool blocks to free().
  static std::atomic<bool> installed{false};
  if (installed.exchange(true)) return false;
  slotCount = std::min(buffers, kMaxBuffers);
  if (CRYPTO_set_mem_functions(poolMalloc, poolRealloc, poolFree) == 1) return true;
  slotCount = 0;
  return false;
}

}  // namespace crow::host
