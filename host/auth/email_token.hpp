// auth/email_token.hpp - Better Auth's email-verification token: an HS256 JWT signed with the raw
// secret, header {"alg":"HS256"}, payload {"email","userId","iat","exp"} (CONTRACT.md §1.8).
// host/jwt signs asymmetric algorithms only; this is the one symmetric token, small enough to
// build from HMAC-SHA256 and base64url directly.
#pragma once

#include "crow/store.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace crow::host {

/// A token for `email` (lower-cased by the caller) valid `expiresInS` seconds from `now`.
std::string signEmailVerificationToken(std::string_view secret, const std::string& email, const std::string& userId,
                                       crow::Timestamp now, int64_t expiresInS);

struct EmailTokenCheck {
  enum class Status { Valid, Invalid, Expired } status = Status::Invalid;
  std::string email;
  std::string userId;      ///< "" when the token has none (Better Auth 1.7.5 tokens)
  bool hasUpdateTo = false;  ///< a change-email token (not served by the core)
};

/// Verifies like jose's jwtVerify(token, secret, {algorithms:["HS256"]}): three base64url parts,
/// a JSON header with alg HS256, the signature (constant-time), a JSON object payload whose
/// `exp` (when present) is after `now`, and an `email` claim that is a valid address.
EmailTokenCheck verifyEmailVerificationToken(std::string_view secret, std::string_view token, crow::Timestamp now);

}  // namespace crow::host
