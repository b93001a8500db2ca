// config/scalar_types.hpp - reading typed values out of YAML scalar text.
//
// YAML's own typing is not used: a value that came from an environment variable is always text,
// so every setting is read from its text, and quoted numbers ("8787") are numbers too.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crow::host {

/// A decimal integer with an optional sign ("8787", "-1", "+3"); nullopt on anything else or overflow.
std::optional<int64_t> parseInteger(std::string_view text);

/// A finite decimal number ("0.5", "1e3", "7").
std::optional<double> parseNumber(std::string_view text);

/// true/false, yes/no, on/off, 1/0 in any case.
std::optional<bool> parseBoolean(std::string_view text);

/// A byte count: a plain integer, or one with a binary unit: "512k", "512KiB", "1m", "1MiB",
/// "1MB" (units are powers of 1024), "2g"/"2GiB".
std::optional<int64_t> parseByteSize(std::string_view text);

/// Splits "a, b,,c" into {"a","b","c"}: items trimmed, empty items dropped.
std::vector<std::string> splitCommaList(std::string_view text);

/// Removes leading and trailing spaces and tabs.
std::string_view trim(std::string_view text);

}  // namespace crow::host
