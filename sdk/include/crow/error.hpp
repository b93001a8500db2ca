// crow/error.hpp - the errors a plugin raises, rendered by the host in Better Auth's shape.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace crow {

namespace detail {
constexpr bool isUpperSnake(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return true;
}
}  // namespace detail

/// An entry of a plugin's error catalogue (`error_codes.hpp`): a stable UPPER_SNAKE code and the
/// human message Better Auth sends with it. Construct only in constant expressions so a bad code
/// fails the build rather than a request.
struct ErrorCode {
  std::string_view code;
  std::string_view message;
  consteval ErrorCode(std::string_view c, std::string_view m) : code(c), message(m) {
    if (!detail::isUpperSnake(c)) throw "error codes are UPPER_SNAKE_CASE";
  }
};

/// An error meant for the client. The host renders it as `{"code": ..., "message": ...}` with
/// `status`, plus any extra headers (for example `X-Retry-After`). An empty code renders as
/// `{"message": ...}` (Better Auth has a few of those), and `emptyBody` sends no body at all.
class ApiError : public std::runtime_error {
 public:
  ApiError(int status, const ErrorCode& code);
  ApiError(int status, std::string code, std::string message);
  ~ApiError() override;

  int status() const noexcept { return status_; }
  const std::string& code() const noexcept { return code_; }
  const std::string& message() const noexcept { return message_; }
  const std::vector<std::pair<std::string, std::string>>& headers() const noexcept { return headers_; }
  bool emptyBody() const noexcept { return emptyBody_; }

  /// Adds a response header sent with this error.
  ApiError& withHeader(std::string name, std::string value);
  /// Sends the status with no body (Better Auth does this for unknown routes).
  ApiError& withoutBody();

 private:
  int status_;
  std::string code_;
  std::string message_;
  std::vector<std::pair<std::string, std::string>> headers_;
  bool emptyBody_ = false;
};

/// A configuration problem found while a plugin reads its YAML block or starts. The host stops
/// start-up with one line: `<file>:<line>: plugin <id>: <message>`.
class ConfigError : public std::runtime_error {
 public:
  explicit ConfigError(const std::string& message);
  ~ConfigError() override;
};

/// A database failure (unreachable, constraint violated, ...). Request handlers may let it
/// propagate: the host answers 500 (or 503 on `/ready`) and logs it without leaking it.
class DatabaseError : public std::runtime_error {
 public:
  enum class Kind { Unavailable, Constraint, Other };
  DatabaseError(Kind kind, const std::string& message);
  ~DatabaseError() override;
  Kind kind() const noexcept { return kind_; }

 private:
  Kind kind_;
};

}  // namespace crow
