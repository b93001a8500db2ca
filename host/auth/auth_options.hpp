// auth/auth_options.hpp - the `auth:` YAML block as the authentication core reads it (Better Auth's
// option names and defaults). `auth.jwt` belongs to JwtCore and is only let through here.
#pragma once

#include "auth/session_service.hpp"

#include "crow/config.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

namespace crow::host {

/// `auth.emailAndPassword`.
struct EmailPasswordOptions {
  bool enabled = true;
  bool disableSignUp = false;
  int64_t minPasswordLength = 8;
  int64_t maxPasswordLength = 128;
  bool autoSignIn = true;
  bool requireEmailVerification = false;
  int64_t resetPasswordTokenExpiresInS = 3600;
  bool revokeSessionsOnPasswordReset = false;
  /// Concurrent scrypt derivations; 0 = the number of cores.
  std::size_t hashConcurrency = 0;
};

/// `auth.emailVerification`.
struct EmailVerificationOptions {
  /// Unset in YAML: follows emailAndPassword.requireEmailVerification (Better Auth's `??`).
  bool sendOnSignUp = false;
  bool sendOnSignIn = false;
  int64_t expiresInS = 3600;
  bool autoSignInAfterVerification = false;
};

struct AuthOptions {
  SessionOptions session;
  EmailPasswordOptions emailAndPassword;
  EmailVerificationOptions emailVerification;
};

/// Reads and validates the block (unknown keys, types and ranges fail with the file and line).
/// `baseURL` decides the secure-cookie default (https).
AuthOptions readAuthOptions(const crow::ConfigNode& auth, const std::string& baseURL);

}  // namespace crow::host
