// crow/tokens.hpp - JWTs signed with the service's own keys.
//
// The keys are the ones GET /jwks publishes (the core's jwt block: EdDSA by default), so any
// service that already verifies /token verifies a plugin's tokens the same way. Plugins never see
// a private key; they hand over claims and get a compact JWT back.
#pragma once

#include <Poco/JSON/Object.h>

#include <string>

namespace crow {

class TokenSigner {
 public:
  virtual ~TokenSigner();
  /// A compact JWT (`header.payload.signature`) over `claims`, signed with the current key (its
  /// `kid` and `alg` in the header). `iss` and `aud` are added with the service's configured
  /// issuer and audience unless `claims` has them; `iat` and `exp` are the caller's to set (in
  /// seconds). Throws std::runtime_error when no signing key is available (database down on a
  /// fresh start, say).
  virtual std::string sign(const Poco::JSON::Object& claims) = 0;
};

}  // namespace crow
