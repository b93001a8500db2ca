// jwt/jwks_document.hpp - the body of GET /jwks, built once per key change and then served as
// bytes.
#pragma once

#include "jwt/key_manager.hpp"

#include <optional>
#include <string>
#include <vector>

namespace crow::host {

struct JwksDocument {
  /// {"keys":[{"alg","crv","x","kty","kid"}, ...]}: public members only, oldest key first.
  std::string json;
  /// The first moment a listed key leaves the document (its expiresAt + grace period): the
  /// document must be rebuilt then. nullopt when no listed key ever leaves.
  std::optional<crow::Timestamp> changesAt;
};

/// The published keys at `now`: every key except those with expiresAt + gracePeriod <= now
/// (Better Auth's rule). A row whose public key is not a JSON object is left out.
JwksDocument buildJwksDocument(const std::vector<StoredKey>& keys, crow::Timestamp now, int64_t gracePeriodS);

}  // namespace crow::host
