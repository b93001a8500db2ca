// crow/log.hpp - structured logging. Never pass secrets, tokens, passwords or keys as values.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace crow {

enum class LogLevel : uint8_t { Debug = 0, Info = 1, Warn = 2, Error = 3 };

/// Key/value pairs rendered after the message (`key=value`, values quoted when needed).
using LogFields = std::vector<std::pair<std::string, std::string>>;

/// One line per call, to stderr by default, prefixed with time, level and the source (the plugin
/// id for a plugin's logger).
class Logger {
 public:
  virtual ~Logger();
  virtual void log(LogLevel level, std::string_view message, const LogFields& fields = {}) = 0;
  virtual bool enabled(LogLevel level) const noexcept = 0;

  void debug(std::string_view m, const LogFields& f = {}) { log(LogLevel::Debug, m, f); }
  void info(std::string_view m, const LogFields& f = {}) { log(LogLevel::Info, m, f); }
  void warn(std::string_view m, const LogFields& f = {}) { log(LogLevel::Warn, m, f); }
  void error(std::string_view m, const LogFields& f = {}) { log(LogLevel::Error, m, f); }
};

}  // namespace crow
