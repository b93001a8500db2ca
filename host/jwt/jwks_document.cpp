#include "jwt/jwks_document.hpp"

#include "crypto/crypto_error.hpp"
#include "jwt/jwk.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <sstream>

namespace crow::host {

JwksDocument buildJwksDocument(const std::vector<StoredKey>& keys, crow::Timestamp now, int64_t gracePeriodS) {
  JwksDocument document;
  Poco::JSON::Array::Ptr entries = new Poco::JSON::Array;
  for (const StoredKey& key : keys) {
    if (key.expiresAt) {
      const crow::Timestamp hiddenAt{key.expiresAt->epochMs + gracePeriodS * 1000};
      if (hiddenAt <= now) continue;
      if (!document.changesAt || hiddenAt < *document.changesAt) document.changesAt = hiddenAt;
    }
    if (key.alg.empty()) continue;  // a key type we cannot name is of no use to a verifier
    try {
      // jwksEntry drops private members even if the publicKey column wrongly holds some.
      entries->add(jwksEntry(key.publicKey, key.alg, key.id));
    } catch (const CryptoError&) {
      // a damaged row must not take the whole document down
    }
  }
  Poco::JSON::Object root(Poco::JSON_PRESERVE_KEY_ORDER);
  root.set("keys", entries);
  std::ostringstream out;
  root.stringify(out);
  document.json = out.str();
  return document;
}

}  // namespace crow::host
