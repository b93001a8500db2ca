#pragma once

#include <string>
#include <utility>
#include <vector>

namespace crow::postgresql {

/// A parsed `postgresql://user:pass@host:port/db?key=value` (also `postgres://`).
struct PgTarget {
  std::string user, password, host, port, database;
  /// Query parameters passed on to libpq (sslmode, connect_timeout, ...), in order.
  std::vector<std::pair<std::string, std::string>> options;

  /// libpq's `key='value' ...` form, with `connect_timeout` defaulting to `connectTimeoutSeconds`.
  std::string connectionString(int connectTimeoutSeconds) const;
  /// `host:port/db as user`, for messages: never the password.
  std::string describe() const;
};

/// Throws DatabaseError(Kind::Other) for a malformed URL; the message never holds the password.
PgTarget parseUrl(const std::string& url);

}  // namespace crow::postgresql
