#include "pg_url.hpp"

#include "crow/error.hpp"

#include <cctype>

namespace crow::postgresql {

namespace {

[[noreturn]] void bad(const std::string& why) {
  throw DatabaseError(DatabaseError::Kind::Other, "invalid PostgreSQL URL: " + why);
}

std::string percentDecode(const std::string& in) {
  std::string out;
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '%' && i + 2 < in.size() && std::isxdigit(static_cast<unsigned char>(in[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(in[i + 2]))) {
      out += static_cast<char>(std::stoi(in.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += in[i];
    }
  }
  return out;
}

// libpq's conninfo quoting: single quotes, with \ and ' escaped by a backslash.
std::string quoted(const std::string& value) {
  std::string out = "'";
  for (char c : value) {
    if (c == '\\' || c == '\'') out += '\\';
    out += c;
  }
  return out + "'";
}

}  // namespace

PgTarget parseUrl(const std::string& url) {
  std::string rest;
  if (url.rfind("postgresql://", 0) == 0) rest = url.substr(13);
  else if (url.rfind("postgres://", 0) == 0) rest = url.substr(11);
  else bad("expected postgresql://user:password@host:port/database");

  PgTarget t;
  std::string query;
  if (auto q = rest.find('?'); q != std::string::npos) {
    query = rest.substr(q + 1);
    rest.erase(q);
  }
  std::string authority = rest, path;
  if (auto slash = rest.find('/'); slash != std::string::npos) {
    authority = rest.substr(0, slash);
    path = rest.substr(slash + 1);
  }
  if (auto at = authority.rfind('@'); at != std::string::npos) {
    std::string credentials = authority.substr(0, at);
    authority.erase(0, at + 1);
    if (auto colon = credentials.find(':'); colon != std::string::npos) {
      t.user = percentDecode(credentials.substr(0, colon));
      t.password = percentDecode(credentials.substr(colon + 1));
    } else {
      t.user = percentDecode(credentials);
    }
  }
  if (!authority.empty() && authority.front() == '[') {  // [::1]:5432
    auto close = authority.find(']');
    if (close == std::string::npos) bad("unclosed '[' in the host");
    t.host = authority.substr(1, close - 1);
    if (close + 1 < authority.size() && authority[close + 1] == ':') t.port = authority.substr(close + 2);
  } else if (auto colon = authority.rfind(':'); colon != std::string::npos) {
    t.host = authority.substr(0, colon);
    t.port = authority.substr(colon + 1);
  } else {
    t.host = authority;
  }
  t.database = percentDecode(path);
  for (char c : t.port)
    if (!std::isdigit(static_cast<unsigned char>(c))) bad("the port must be a number");

  size_t start = 0;
  while (start < query.size()) {
    size_t end = query.find('&', start);
    if (end == std::string::npos) end = query.size();
    std::string pair = query.substr(start, end - start);
    start = end + 1;
    if (pair.empty()) continue;
    auto eq = pair.find('=');
    if (eq == std::string::npos) bad("query parameter without '=': " + pair);
    std::string key = percentDecode(pair.substr(0, eq)), value = percentDecode(pair.substr(eq + 1));
    if (key == "password" || key == "user" || key == "host" || key == "port" || key == "dbname")
      bad("set " + key + " in the URL itself, not as a query parameter");
    for (char c : key)
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') bad("query parameter name " + key);
    t.options.emplace_back(key, value);
  }
  return t;
}

std::string PgTarget::connectionString(int connectTimeoutSeconds) const {
  std::string out = "application_name='crow-auth'";
  if (!host.empty()) out += " host=" + quoted(host);
  if (!port.empty()) out += " port=" + quoted(port);
  if (!database.empty()) out += " dbname=" + quoted(database);
  if (!user.empty()) out += " user=" + quoted(user);
  if (!password.empty()) out += " password=" + quoted(password);
  bool timeoutGiven = false;
  for (const auto& [key, value] : options) {
    out += " " + key + "=" + quoted(value);
    timeoutGiven = timeoutGiven || key == "connect_timeout";
  }
  if (!timeoutGiven) out += " connect_timeout='" + std::to_string(connectTimeoutSeconds) + "'";
  return out;
}

std::string PgTarget::describe() const {
  return (host.empty() ? std::string("localhost") : host) + ":" + (port.empty() ? std::string("5432") : port) + "/" +
         database + (user.empty() ? std::string() : " as " + user);
}

}  // namespace crow::postgresql
