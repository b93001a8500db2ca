// services/inbound_keys.hpp - the keys other services present to us (top-level `inboundKeys:`),
// and the one comparison a presented X-Service-API-Key goes through.
//
// Keys are kept as SHA-256 digests, computed once; a presented key is hashed and compared with
// CRYPTO_memcmp against every configured digest, with no early exit. The time taken depends
// neither on where a guess first differs nor on its length, nor on which caller (if any) it hit.
#pragma once

#include "config/app_config.hpp"

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crow::host {

class InboundKeys {
 public:
  /// Empty keys are dropped: they can never be presented.
  explicit InboundKeys(const std::vector<InboundKey>& keys);

  /// The caller whose key `presented` is; nullopt for an empty or unknown key. Several keys of one
  /// caller (a rotation) all name it.
  std::optional<std::string> callerFor(std::string_view presented) const;
  bool empty() const noexcept { return entries_.empty(); }

 private:
  struct Entry {
    std::string caller;
    std::array<unsigned char, 32> digest;  ///< SHA-256 of the key; the key itself is not kept
  };
  std::vector<Entry> entries_;
};

/// True when a == b, in time independent of the contents and lengths of both.
bool constantTimeEqual(std::string_view a, std::string_view b);

}  // namespace crow::host
