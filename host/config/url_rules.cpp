#include "config/url_rules.hpp"

#include "config/scalar_types.hpp"

#include <arpa/inet.h>

#include <cctype>

namespace crow::host {

namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool hasSpace(std::string_view text) {
  for (char c : text)
    if (std::isspace(static_cast<unsigned char>(c))) return true;
  return false;
}

}  // namespace

std::string urlScheme(std::string_view url) {
  size_t sep = url.find("://");
  if (sep == std::string_view::npos || sep == 0) return {};
  std::string_view scheme = url.substr(0, sep);
  if (!std::isalpha(static_cast<unsigned char>(scheme[0]))) return {};
  for (char c : scheme)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') return {};
  return lower(scheme);
}

bool isAbsoluteHttpUrl(std::string_view url) {
  std::string scheme = urlScheme(url);
  if (scheme != "http" && scheme != "https") return false;
  if (hasSpace(url) || url.find_first_of("?#") != std::string_view::npos) return false;
  std::string_view rest = url.substr(scheme.size() + 3);
  std::string_view authority = rest.substr(0, rest.find('/'));
  size_t at = authority.rfind('@');
  if (at != std::string_view::npos) authority.remove_prefix(at + 1);
  std::string_view host = authority;
  if (!host.empty() && host[0] == '[') {
    size_t close = host.find(']');
    if (close == std::string_view::npos) return false;
    std::string_view after = host.substr(close + 1);
    if (!after.empty() && (after[0] != ':' || !parseInteger(after.substr(1)))) return false;
    return close > 1;
  }
  size_t colon = host.find(':');
  if (colon != std::string_view::npos) {
    auto port = parseInteger(host.substr(colon + 1));
    if (!port || *port < 1 || *port > 65535) return false;
    host = host.substr(0, colon);
  }
  return !host.empty();
}

std::optional<std::string> originOf(std::string_view url) {
  std::string scheme = urlScheme(url);
  if (scheme.empty()) return std::nullopt;
  std::string_view rest = url.substr(scheme.size() + 3);
  std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  if (authority.empty()) return std::nullopt;
  return scheme + "://" + lower(authority);
}

bool isOriginPattern(std::string_view origin) { return !urlScheme(origin).empty() && !hasSpace(origin); }

std::optional<std::string> databaseBackendForUrl(std::string_view url) {
  std::string scheme = urlScheme(url);
  if (scheme == "sqlite") return "sqlite";
  if (scheme == "postgresql" || scheme == "postgres") return "postgresql";
  if (scheme == "mysql") return "mysql";
  return std::nullopt;
}

std::string sqliteFilePath(std::string_view url) {
  size_t sep = url.find("://");
  std::string_view path = sep == std::string_view::npos ? url : url.substr(sep + 3);
  path = path.substr(0, path.find('?'));
  return std::string(path);
}

bool isAddressOrCidr(std::string_view text) {
  std::string address(text);
  std::optional<int64_t> prefix;
  size_t slash = address.find('/');
  if (slash != std::string::npos) {
    prefix = parseInteger(address.substr(slash + 1));
    if (!prefix) return false;
    address.resize(slash);
  }
  unsigned char buffer[16];
  if (inet_pton(AF_INET, address.c_str(), buffer) == 1) return !prefix || (*prefix >= 0 && *prefix <= 32);
  if (inet_pton(AF_INET6, address.c_str(), buffer) == 1) return !prefix || (*prefix >= 0 && *prefix <= 128);
  return false;
}

}  // namespace crow::host
