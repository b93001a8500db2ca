// path_normaliser.hpp - one spelling per path, so a rule cannot be dodged by writing its path
// differently.
//
// The host's router matches the raw request path exactly (a doubled slash, a trailing slash, a
// different case, a dot segment or a percent-escape all make it 404), so the only spelling it
// serves as sign-in is the canonical one. The limiter therefore may merge more spellings than
// the router does, never fewer: every spelling below lands on the same rule as the canonical
// path, and the canonical path is left unchanged.
#pragma once

#include <string>
#include <string_view>

namespace crow::rate_limit {

/// True when `path` is already in the form normalisePath produces (the common case, checked
/// without allocating): starts with '/', no upper-case letters, no '%', no empty, "." or ".."
/// segment, no trailing slash (except the root "/").
bool isNormalPath(std::string_view path) noexcept;

/// The canonical spelling of a request path (no query string):
///  - percent-escapes of unreserved characters (letters, digits, '-', '.', '_', '~') are decoded;
///    every other escape stays an escape (so "%2F" never becomes a separator) with lower-case hex;
///  - ASCII letters are lower-cased;
///  - empty segments ("//") and "." segments are dropped, ".." removes the segment before it
///    (never climbing above the root);
///  - no trailing slash; an empty result is "/".
/// A path not starting with '/' (an absolute-form target) is treated as if it did.
std::string normalisePath(std::string_view path);

/// The base path in the form stripBasePath takes: normalised, "" for the root.
std::string normaliseBasePath(std::string_view basePath);

/// `path` (normalised) relative to `basePath` (normalised, no trailing slash): "/sign-in/email"
/// for "/api/v1/auth/sign-in/email", "/" for the base path itself. A path outside the base path
/// is returned unchanged.
std::string_view stripBasePath(std::string_view path, std::string_view basePath) noexcept;

}  // namespace crow::rate_limit
