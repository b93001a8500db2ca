#include "services/inbound_keys.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <stdexcept>

namespace crow::host {

namespace {

using Digest = std::array<unsigned char, 32>;

Digest sha256(std::string_view text) {
  Digest out{};
  unsigned int length = 0;
  if (EVP_Digest(text.data(), text.size(), out.data(), &length, EVP_sha256(), nullptr) != 1 || length != out.size())
    throw std::runtime_error("SHA-256 failed");
  return out;
}

}  // namespace

bool constantTimeEqual(std::string_view a, std::string_view b) {
  const Digest left = sha256(a);
  const Digest right = sha256(b);
  return CRYPTO_memcmp(left.data(), right.data(), left.size()) == 0;
}

InboundKeys::InboundKeys(const std::vector<InboundKey>& keys) {
  entries_.reserve(keys.size());
  for (const InboundKey& key : keys)
    if (!key.key.empty()) entries_.push_back({key.caller, sha256(key.key)});
}

std::optional<std::string> InboundKeys::callerFor(std::string_view presented) const {
  // An empty value is refused before hashing: no configured key is empty, and "" must never match.
  if (presented.empty()) return std::nullopt;
  const Digest candidate = sha256(presented);
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
