// system_token_cache.hpp - the system token last signed for each key, reused within its second.
//
// A system token's claims depend only on the key (owner, organization, permissions, id) and the
// second it is issued in, so two requests for one key in the same second would get the same
// claims; with EdDSA (the default) even the same bytes. Signing is most of system-token's cost, so
// a service that asks for tokens in a loop is answered from here. Never serves a token for other
// claims: the entry must match them exactly.
#pragma once

#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace apikey {

class SystemTokenCache {
 public:
  explicit SystemTokenCache(std::size_t maxEntries = 4096) : maxEntries_(maxEntries) {}

  /// The token made for exactly these claims (`claimsKey`: everything that goes into them,
  /// including the issue second), if it is the key's latest.
  std::optional<std::string> find(const std::string& keyId, const std::string& claimsKey) const;
  void store(const std::string& keyId, std::string claimsKey, std::string token);

 private:
  struct Entry {
    std::string claimsKey;
    std::string token;
  };
  std::size_t maxEntries_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace apikey
