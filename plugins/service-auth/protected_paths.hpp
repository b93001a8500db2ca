// protected_paths.hpp - which requests the guard checks.
//
// The host's router matches paths exactly (no decoding, case-sensitive, no `//`, `.` or trailing
// slash folding), so only the exact spelling reaches a route today. The guard does not rely on
// that: it matches a normalised form of the raw path (percent-decoded, lower-case, `\` read as
// `/`, empty and `.` segments dropped, `..` applied), which every spelling of a protected path
// shares. It may check a few spellings the router would answer 404 anyway; it never misses one
// the router would route.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace service_auth {

/// "/API-Key//./verify/" -> "/api-key/verify"; "" and "/" -> "/".
std::string normalisePath(std::string_view path);

class ProtectedPaths {
 public:
  /// `prefixes` are below `basePath` ("/api-key/verify" under "/api/v1/auth").
  ProtectedPaths(const std::vector<std::string>& prefixes, std::string_view basePath);

  /// True when `rawPath` (as sent, without the query) is a protected prefix or below one, on
  /// whole segments: under the base path, or at the server root (where routes mounted outside
  /// the base path live, and where the host's own prefix hooks look too).
  bool covers(std::string_view rawPath) const;

 private:
  bool coversRelative(std::string_view normalised) const;
  std::vector<std::string> prefixes_;  // normalised
  std::string basePath_;               // normalised; "" when the base path is "/"
};

}  // namespace service_auth
