// Out-of-line members of the SDK's exception types: their typeinfo and vtables live in
// libcrow-sdk, so a throw in a plugin is caught by type in the host.
#include "crow/error.hpp"

namespace crow {

ApiError::ApiError(int status, const ErrorCode& code)
    : ApiError(status, std::string(code.code), std::string(code.message)) {}

ApiError::ApiError(int status, std::string code, std::string message)
    : std::runtime_error(code.empty() ? message : code + ": " + message),
      status_(status),
      code_(std::move(code)),
      message_(std::move(message)) {}

ApiError::~ApiError() = default;

ApiError& ApiError::withHeader(std::string name, std::string value) {
  headers_.emplace_back(std::move(name), std::move(value));
  return *this;
}

ApiError& ApiError::withoutBody() {
  emptyBody_ = true;
  return *this;
}

ConfigError::ConfigError(const std::string& message) : std::runtime_error(message) {}
ConfigError::~ConfigError() = default;

DatabaseError::DatabaseError(Kind kind, const std::string& message)
    : std::runtime_error(message), kind_(kind) {}
DatabaseError::~DatabaseError() = default;

}  // namespace crow
