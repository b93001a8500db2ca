// config/env_substitution.hpp - `${VAR}` and `${VAR:-default}` in YAML scalar values.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace crow::host {

/// Looks up one environment variable; tests pass a map instead of the process environment.
using Getenv = std::function<std::optional<std::string>(const std::string&)>;

/// The process environment (std::getenv).
std::optional<std::string> processEnvironment(const std::string& name);

/// The outcome of expanding one scalar.
struct Substitution {
  std::string value;
  /// The text held at least one `${...}` (so error messages can say where a value came from).
  bool expanded = false;
  /// Empty on success; otherwise why the expansion failed, without a location, e.g.
  /// `environment variable PORT is not set (write ${PORT:-default} to give a default)`.
  std::string error;
};

/// Expands `${NAME}` (an unset variable is an error) and `${NAME:-default}` (the default is used
/// when the variable is unset or empty, as in the shell; it may itself hold `${...}`). `$${` is a
/// literal `${`; a `$` not followed by `{` is kept as it is. NAME is [A-Za-z_][A-Za-z0-9_]*.
Substitution substituteVariables(std::string_view text, const Getenv& getenv);

}  // namespace crow::host
