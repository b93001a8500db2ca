// Building blocks of a log line in logfmt (`key=value key="two words"`), shared by the logger and
// the access log so both quote the same way.
#pragma once

#include "crow/log.hpp"

#include <string>
#include <string_view>

namespace crow::host {

/// Appends `value`, quoted and escaped when it is empty or holds a space, `"`, `=`, `\` or any
/// control or non-ASCII byte. Escaping keeps one record on one line whatever a client sent.
void appendLogValue(std::string& out, std::string_view value);

/// Appends ` key=value`. Key bytes outside [A-Za-z0-9_.-] become `_` (keys come from code, but a
/// plugin could pass anything).
void appendLogField(std::string& out, std::string_view key, std::string_view value);
void appendLogField(std::string& out, std::string_view key, long long value);

/// Appends the current UTC time as `2024-05-01T12:00:00.123Z`. The date part is formatted once
/// per second per thread, so this is cheap enough for the access log.
void appendLogTimestamp(std::string& out);

/// "debug", "info", "warn", "error".
std::string_view logLevelName(LogLevel level) noexcept;

}  // namespace crow::host
