#include "auth/auth_options.hpp"

#include <string_view>

namespace crow::host {

namespace {

// Better Auth refuses cookies living longer than 400 days (the browser cap, RFC 6265bis).
constexpr int64_t kMaxCookieAgeS = 400LL * 24 * 3600;

int64_t readRange(const crow::ConfigNode& node, std::string_view key, int64_t fallback, int64_t min, int64_t max) {
  const std::optional<int64_t> value = node.getInt(key);
  if (!value) return fallback;
  if (*value < min || *value > max)
    node.fail(key, "must be between " + std::to_string(min) + " and " + std::to_string(max));
  return *value;
}

void readSession(const crow::ConfigNode& node, const std::string& baseURL, SessionOptions& out) {
  node.allowOnly({"expiresIn", "updateAge", "freshAge", "disableRefresh", "cookiePrefix", "bearer", "secureCookies"});
  out.expiresInS = readRange(node, "expiresIn", out.expiresInS, 1, kMaxCookieAgeS);
  out.updateAgeS = readRange(node, "updateAge", out.updateAgeS, 0, kMaxCookieAgeS);
  out.freshAgeS = readRange(node, "freshAge", out.freshAgeS, 0, kMaxCookieAgeS);
  out.disableRefresh = node.getBool("disableRefresh", out.disableRefresh);
  out.cookiePrefix = node.getString("cookiePrefix", out.cookiePrefix);
  if (out.cookiePrefix.empty()) node.fail("cookiePrefix", "must not be empty");
  for (char c : out.cookiePrefix) {
    // A cookie name is an RFC 6265 token: no separators, spaces or controls.
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                    c == '_' || c == '.';
    if (!ok) node.fail("cookiePrefix", "may hold only letters, digits, '-', '_' and '.'");
  }
  out.bearer = node.getBool("bearer", out.bearer);
  out.secureCookies = node.getBool("secureCookies", baseURL.rfind("https://", 0) == 0);
}

void readEmailAndPassword(const crow::ConfigNode& node, EmailPasswordOptions& out) {
  node.allowOnly({"enabled", "disableSignUp", "minPasswordLength", "maxPasswordLength", "autoSignIn",
                  "requireEmailVerification", "resetPasswordTokenExpiresIn", "revokeSessionsOnPasswordReset",
                  "hashConcurrency"});
  out.enabled = node.getBool("enabled", out.enabled);
  out.disableSignUp = node.getBool("disableSignUp", out.disableSignUp);
  out.minPasswordLength = readRange(node, "minPasswordLength", out.minPasswordLength, 1, 4096);
  out.maxPasswordLength = readRange(node, "maxPasswordLength", out.maxPasswordLength, 1, 4096);
  if (out.maxPasswordLength < out.minPasswordLength)
    node.fail("maxPasswordLength", "must not be smaller than minPasswordLength");
  out.autoSignIn = node.getBool("autoSignIn", out.autoSignIn);
  out.requireEmailVerification = node.getBool("requireEmailVerification", out.requireEmailVerification);
  out.resetPasswordTokenExpiresInS =
      readRange(node, "resetPasswordTokenExpiresIn", out.resetPasswordTokenExpiresInS, 1, kMaxCookieAgeS);
  out.revokeSessionsOnPasswordReset = node.getBool("revokeSessionsOnPasswordReset", out.revokeSessionsOnPasswordReset);
  out.hashConcurrency = static_cast<std::size_t>(readRange(node, "hashConcurrency", 0, 0, 1024));
}

void readEmailVerification(const crow::ConfigNode& node, bool requireEmailVerification, EmailVerificationOptions& out) {
  node.allowOnly({"sendOnSignUp", "sendOnSignIn", "expiresIn", "autoSignInAfterVerification"});
  out.sendOnSignUp = node.getBool("sendOnSignUp", requireEmailVerification);
  out.sendOnSignIn = node.getBool("sendOnSignIn", out.sendOnSignIn);
  out.expiresInS = readRange(node, "expiresIn", out.expiresInS, 1, kMaxCookieAgeS);
  out.autoSignInAfterVerification = node.getBool("autoSignInAfterVerification", out.autoSignInAfterVerification);
}

}  // namespace

AuthOptions readAuthOptions(const crow::ConfigNode& auth, const std::string& baseURL) {
  auth.allowOnly({"session", "emailAndPassword", "emailVerification", "jwt"});
  AuthOptions options;
  options.session.secureCookies = baseURL.rfind("https://", 0) == 0;
  if (auto node = auth.child("session")) readSession(*node, baseURL, options.session);
  if (auto node = auth.child("emailAndPassword")) readEmailAndPassword(*node, options.emailAndPassword);
  if (auto node = auth.child("emailVerification"))
    readEmailVerification(*node, options.emailAndPassword.requireEmailVerification, options.emailVerification);
  else
    options.emailVerification.sendOnSignUp = options.emailAndPassword.requireEmailVerification;
  return options;
}

}  // namespace crow::host
