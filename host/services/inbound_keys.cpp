#include "services/inbound_keys.hpp"

#include "crypto/hmac.hpp"

#include <openssl/crypto.h>

#include <algorithm>

namespace crow::host {

namespace {

using Digest = std::array<unsigned char, 32>;

// The host's SHA-256 keeps its algorithm and context per thread (crypto/hmac.cpp): this runs on
// every request a platform service makes.
Digest digestOf(std::string_view text) {
  const std::string digest = crow::host::sha256(text);
  Digest out{};
  std::copy_n(digest.begin(), out.size(), out.begin());
  return out;
}

}  // namespace

bool constantTimeEqual(std::string_view a, std::string_view b) { return digestEquals(a, b); }

InboundKeys::InboundKeys(const std::vector<InboundKey>& keys) {
  entries_.reserve(keys.size());
  for (const InboundKey& key : keys)
    if (!key.key.empty()) entries_.push_back({key.caller, digestOf(key.key)});
}

std::optional<std::string> InboundKeys::callerFor(std::string_view presented) const {
  // An empty value is refused before hashing: no configured key is empty, and "" must never match.
  if (presented.empty()) return std::nullopt;
  const Digest candidate = digestOf(presented);
  const Entry* found = nullptr;
  // No early exit: every key costs the same comparison, whether an earlier one matched or not.
  for (const Entry& entry : entries_) {
    const bool match = CRYPTO_memcmp(entry.digest.data(), candidate.data(), candidate.size()) == 0;
    if (match && found == nullptr) found = &entry;
  }
  if (found == nullptr) return std::nullopt;
  return found->caller;
}

}  // namespace crow::host
