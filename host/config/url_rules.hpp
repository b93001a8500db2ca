// config/url_rules.hpp - the shapes of URLs the configuration accepts.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace crow::host {

/// "http(s)://host[:port][/path]" with a host and nothing odd (spaces, query, fragment).
bool isAbsoluteHttpUrl(std::string_view url);

/// "https://app.example.com" for "https://app.example.com/x/y"; scheme and host lower-cased.
/// nullopt when the text has no "<scheme>://<host>".
std::optional<std::string> originOf(std::string_view url);

/// An entry of trustedOrigins: "<scheme>://<something>" (Better Auth also allows wildcards such as
/// "https://*.example.com" and app schemes such as "myapp://"), without spaces.
bool isOriginPattern(std::string_view origin);

/// The scheme before "://", lower-cased ("" when there is none).
std::string urlScheme(std::string_view url);

/// The backend for a database URL: sqlite, postgresql (postgresql:// or postgres://) or mysql;
/// nullopt for anything else.
std::optional<std::string> databaseBackendForUrl(std::string_view url);

/// The file of a sqlite URL: "sqlite:///var/lib/a.db" -> "/var/lib/a.db", "sqlite://var/a.db" ->
/// "var/a.db" (relative to the working directory), "sqlite://:memory:" -> ":memory:". A query
/// string ("?mode=ro") is dropped.
std::string sqliteFilePath(std::string_view url);

/// An IPv4/IPv6 address, optionally with a /prefix ("10.0.0.0/8", "::1").
bool isAddressOrCidr(std::string_view text);

}  // namespace crow::host
