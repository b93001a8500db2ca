// auth/validation.hpp - request body checks with Better Auth's (zod's) error messages.
//
// Better Auth validates bodies with zod and reports every failing field, in schema order, as one
// 400 VALIDATION_ERROR: "[body.name] Invalid input: expected string, received undefined;
// [body.email] Invalid email address". BodyValidator reproduces those messages.
#pragma once

#include <Poco/JSON/Object.h>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crow::host {

/// The longest address we accept (RFC 5321's path limit less the angle brackets).
inline constexpr std::size_t kMaxEmailLength = 254;

/// zod 4's z.email(): ASCII dot-atoms of [A-Za-z0-9_'+-] (not ending in '\'') '@' labels of
/// [A-Za-z0-9-] (not starting with '-') ending in a TLD of at least two letters; plus our
/// length bound. Non-ASCII (homoglyphs, full-width '@'), CR, LF and NUL never match.
bool isValidEmail(std::string_view email);

/// ASCII lower-casing (emails are compared and stored lower-case).
std::string lowerAscii(std::string_view text);

/// The length JavaScript reports for a UTF-8 string (UTF-16 code units), which is what Better
/// Auth's minPasswordLength/maxPasswordLength compare. Counts invalid bytes as one unit each.
std::size_t utf16Length(std::string_view utf8);

/// zod's name for a JSON value's type: string, number, boolean, object, array, null.
std::string jsonTypeName(const Poco::Dynamic::Var& value);

class BodyValidator {
 public:
  /// `scope` is "body" or "query" (the prefix of each message).
  explicit BodyValidator(Poco::JSON::Object::Ptr body, std::string scope = "body");

  /// z.string() (with nonEmpty: .min(1)).
  std::optional<std::string> requiredString(const std::string& key, bool nonEmpty = false);
  /// z.email(): a string that isValidEmail accepts.
  std::optional<std::string> requiredEmail(const std::string& key);
  /// z.string().optional(): absent is fine; null or another type is an issue.
  std::optional<std::string> optionalString(const std::string& key);
  /// z.boolean().optional().
  std::optional<bool> optionalBoolean(const std::string& key);

  bool ok() const noexcept { return issues_.empty(); }
  /// Throws 400 VALIDATION_ERROR with every issue, joined by "; ".
  void throwIfInvalid() const;

 private:
  void issue(const std::string& key, const std::string& message);
  /// The value, or nullopt when the key is absent (undefined).
  std::optional<Poco::Dynamic::Var> value(const std::string& key) const;

  Poco::JSON::Object::Ptr body_;
  std::string scope_;
  std::vector<std::string> issues_;
};

/// JavaScript truthiness of a JSON value: absent, null, "", false and 0 are false (Better Auth
/// skips checks on such values).
bool isJsTruthy(const Poco::Dynamic::Var& value);

}  // namespace crow::host
