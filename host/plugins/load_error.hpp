// plugins/load_error.hpp - the one exception the loader throws.
#pragma once

#include <stdexcept>
#include <string>

namespace crow::host {

/// A library could not be loaded or accepted. The message is one line that names the file (and
/// the plugin id once it is known) and says what is wrong; the app prints it as it is.
class LoadError : public std::runtime_error {
 public:
  explicit LoadError(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace crow::host
