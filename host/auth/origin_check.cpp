#include "auth/origin_check.hpp"

#include "auth/error_codes.hpp"
#include "auth/validation.hpp"
#include "crypto/encoding.hpp"

#include "crow/error.hpp"

#include <Poco/JSON/Object.h>

#include <algorithm>
#include <cctype>

namespace crow::host {

namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string lowerCopy(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = lower(c);
  return out;
}

// Bytes no URL we redirect to or compare may hold: C0 controls, space, DEL, and the UTF-8 form of
// the C1 controls (U+0080..U+009F), which Better Auth refuses too. Browsers strip tabs and
// newlines inside URLs, so "/\t/evil.com" would become "//evil.com".
bool hasControlOrSpace(std::string_view s) {
  for (size_t i = 0; i < s.size(); ++i) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (b <= 0x20 || b == 0x7f) return true;
    if (b == 0xc2 && i + 1 < s.size()) {
      const auto next = static_cast<unsigned char>(s[i + 1]);
      if (next >= 0x80 && next <= 0x9f) return true;
    }
  }
  return false;
}

bool isSchemeChar(char c, bool first) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
  return !first && ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.');
}

struct Authority {
  std::string host;  // lower-case; "[...]" for IPv6
  std::string port;  // digits without leading zeros, "" when absent
};

// Parses "host[:port]" strictly: ASCII letters, digits, '-', '.', '_' in names, a bracketed IPv6
// literal, a decimal port up to 65535.
std::optional<Authority> parseAuthority(std::string_view text) {
  if (text.empty()) return std::nullopt;
  Authority out;
  std::string_view rest;
  if (text.front() == '[') {
    const size_t close = text.find(']');
    if (close == std::string_view::npos || close < 3) return std::nullopt;
    for (char c : text.substr(1, close - 1))
      if (!(std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.')) return std::nullopt;
    out.host = lowerCopy(text.substr(0, close + 1));
    rest = text.substr(close + 1);
  } else {
    const size_t colon = text.find(':');
    const std::string_view host = text.substr(0, colon);
    if (host.empty()) return std::nullopt;
    for (char c : host)
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_')) return std::nullopt;
    out.host = lowerCopy(host);
    rest = colon == std::string_view::npos ? std::string_view{} : text.substr(colon);
  }
  if (rest.empty()) return out;
  if (rest.front() != ':') return std::nullopt;
  rest.remove_prefix(1);
  if (rest.empty()) return out;  // "host:" means the default port, as in WHATWG URL
  if (rest.size() > 5) {
    // Leading zeros are allowed by WHATWG ("0080"); strip them before the length check.
    while (rest.size() > 1 && rest.front() == '0') rest.remove_prefix(1);
    if (rest.size() > 5) return std::nullopt;
  }
  unsigned long port = 0;
  for (char c : rest) {
    if (c < '0' || c > '9') return std::nullopt;
    port = port * 10 + static_cast<unsigned long>(c - '0');
  }
  if (port > 65535) return std::nullopt;
  out.port = std::to_string(port);
  return out;
}

struct SplitUrl {
  std::string scheme;        // lower-case, without ':'
  bool hasAuthority = false;  // "//" followed
  std::string_view authority;
  std::string_view rest;      // path, query and fragment
};

std::optional<SplitUrl> splitUrl(std::string_view url) {
  size_t i = 0;
  while (i < url.size() && isSchemeChar(url[i], i == 0)) ++i;
  if (i == 0 || i >= url.size() || url[i] != ':') return std::nullopt;
  SplitUrl out;
  out.scheme = lowerCopy(url.substr(0, i));
  std::string_view rest = url.substr(i + 1);
  if (rest.starts_with("//")) {
    rest.remove_prefix(2);
    const size_t end = rest.find_first_of("/?#");
    out.hasAuthority = true;
    out.authority = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end);
  }
  out.rest = rest;
  return out;
}

// Glob match where '*' and '?' never cross '/' or '\' (Better Auth's wildcard with separators).
bool globMatch(std::string_view pattern, std::string_view text) {
  size_t p = 0, t = 0, starP = std::string_view::npos, starT = 0;
  while (t < text.size()) {
    const bool separator = text[t] == '/' || text[t] == '\\';
    if (p < pattern.size() && pattern[p] == '*') {
      starP = p++;
      starT = t;
    } else if (p < pattern.size() && ((pattern[p] == '?' && !separator) || pattern[p] == text[t])) {
      ++p;
      ++t;
    } else if (starP != std::string_view::npos && !(text[starT] == '/' || text[starT] == '\\')) {
      p = starP + 1;
      t = ++starT;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

// Percent-decodes and resolves "." and ".." so "myapp://host/cb/../evil" cannot pass a pattern
// pinned to "/cb" (Better Auth's normalizePath).
std::string normalizeCustomPath(std::string_view path) {
  std::string decoded = urlComponentDecode(path).value_or(std::string(path));
  std::vector<std::string> segments;
  size_t start = 0;
  while (start <= decoded.size()) {
    size_t end = decoded.find('/', start);
    if (end == std::string::npos) end = decoded.size();
    std::string segment = decoded.substr(start, end - start);
    if (segment == "..") {
      if (!segments.empty()) segments.pop_back();
    } else if (!segment.empty() && segment != ".") {
      segments.push_back(segment);
    }
    start = end + 1;
  }
  std::string out;
  for (const auto& s : segments) out += "/" + s;
  return out;
}

struct CustomScheme {
  std::string scheme, authority, path;
};

std::optional<CustomScheme> parseCustomScheme(std::string_view value) {
  if (hasControlOrSpace(value) || value.find('\\') != std::string_view::npos) return std::nullopt;
  auto split = splitUrl(value);
  if (!split) return std::nullopt;
  std::string_view rest = split->rest;
  rest = rest.substr(0, rest.find_first_of("?#"));
  return CustomScheme{split->scheme, lowerCopy(split->authority), normalizeCustomPath(rest)};
}

bool matchesPattern(std::string_view url, const std::string& pattern) {
  if (pattern.find('*') != std::string::npos || pattern.find('?') != std::string::npos) {
    if (pattern.find("://") != std::string::npos) {
      auto origin = httpOriginOf(url);
      return origin && globMatch(pattern, *origin);
    }
    // A host pattern ("*.example.com") matches URL.host (host and port).
    auto origin = httpOriginOf(url);
    if (!origin) return false;
    return globMatch(pattern, std::string_view(*origin).substr(origin->find("://") + 3));
  }
  const std::string scheme = lowerCopy(std::string_view(url).substr(0, url.find(':')));
  if (url.find(':') == std::string_view::npos || scheme == "http" || scheme == "https") {
    auto origin = httpOriginOf(url);
    return origin && *origin == pattern;
  }
  // App schemes ("myapp://callback"): same scheme, same authority when the pattern has one, and
  // the path equal to or below the pattern's.
  auto parsed = parseCustomScheme(url);
  auto parsedPattern = parseCustomScheme(pattern);
  if (!parsed || !parsedPattern || parsed->scheme != parsedPattern->scheme) return false;
  // Schemes that run code are never a redirect target, whatever the configuration says.
  if (parsed->scheme == "javascript" || parsed->scheme == "data" || parsed->scheme == "vbscript" ||
      parsed->scheme == "file" || parsed->scheme == "blob")
    return false;
  if (!parsedPattern->authority.empty() && parsed->authority != parsedPattern->authority) return false;
  if (parsedPattern->path.empty()) return true;
  return parsed->path == parsedPattern->path || parsed->path.starts_with(parsedPattern->path + "/");
}

[[noreturn]] void rejectUrl(std::string_view label) {
  using namespace auth_errors;
  if (label == "callbackURL") throw crow::ApiError(403, kInvalidCallbackUrl);
  if (label == "redirectURL") throw crow::ApiError(403, kInvalidRedirectUrl);
  if (label == "errorCallbackURL") throw crow::ApiError(403, kInvalidErrorCallbackUrl);
  throw crow::ApiError(403, kInvalidNewUserCallbackUrl);
}

void checkUrlField(const Poco::Dynamic::Var& value, std::string_view label, const TrustedOrigins& origins) {
  if (!isJsTruthy(value)) return;
  if (!value.isString()) throw crow::ApiError(400, "", "Invalid " + std::string(label) + ": expected a string");
  if (!origins.isTrustedRedirect(value.extract<std::string>())) rejectUrl(label);
}

}  // namespace

std::optional<std::string> httpOriginOf(std::string_view url) {
  if (hasControlOrSpace(url) || url.find('\\') != std::string_view::npos) return std::nullopt;
  auto split = splitUrl(url);
  if (!split || !split->hasAuthority || (split->scheme != "http" && split->scheme != "https")) return std::nullopt;
  // Userinfo ("https://trusted.com@evil.tld") and encoded or non-ASCII hosts are refused, not decoded.
  for (char c : split->authority)
    if (c == '@' || c == '%' || static_cast<unsigned char>(c) >= 0x80) return std::nullopt;
  auto authority = parseAuthority(split->authority);
  if (!authority) return std::nullopt;
  const bool defaultPort = (split->scheme == "http" && authority->port == "80") ||
                           (split->scheme == "https" && authority->port == "443");
  std::string out = split->scheme + "://" + authority->host;
  if (!authority->port.empty() && !defaultPort) out += ":" + authority->port;
  return out;
}

bool isSafeRelativeUrl(std::string_view url) {
  if (!url.starts_with("/") || url.starts_with("//") || url.find('\\') != std::string_view::npos) return false;
  if (hasControlOrSpace(url)) return false;
  const std::string_view path = url.substr(0, url.find_first_of("?#"));
  for (size_t i = 0; i + 2 < path.size(); ++i) {
    if (path[i] != '%') continue;
    const char a = path[i + 1], b = lower(path[i + 2]);
    if ((a == '2' && b == 'f') || (a == '5' && b == 'c')) return false;
  }
  return true;
}

std::string appendQueryParam(std::string_view url, std::string_view name, std::string_view value) {
  const size_t hash = url.find('#');
  const std::string_view beforeFragment = url.substr(0, hash);
  const std::string_view fragment = hash == std::string_view::npos ? std::string_view{} : url.substr(hash);
  std::string out(beforeFragment);
  if (out.find('?') == std::string::npos)
    out += '?';
  else if (out.back() != '?' && out.back() != '&')
    out += '&';
  out.append(urlComponentEncode(name)).append("=").append(urlComponentEncode(value));
  out.append(fragment);
  return out;
}

TrustedOrigins::TrustedOrigins(const std::string& baseURL, const std::vector<std::string>& patterns) {
  auto add = [&](const std::string& pattern) {
    std::string normalized = pattern;
    while (!normalized.empty() && normalized.back() == '/') normalized.pop_back();
    if (normalized.find('*') == std::string::npos && normalized.find('?') == std::string::npos) {
      if (auto origin = httpOriginOf(normalized)) normalized = *origin;
    } else {
      normalized = lowerCopy(normalized);
    }
    if (!normalized.empty() && std::find(patterns_.begin(), patterns_.end(), normalized) == patterns_.end())
      patterns_.push_back(normalized);
  };
  if (auto origin = httpOriginOf(baseURL)) add(*origin);
  for (const auto& p : patterns) add(p);
}

bool TrustedOrigins::isTrusted(std::string_view url) const {
  if (url.empty() || url.starts_with("/")) return false;
  for (const auto& pattern : patterns_)
    if (matchesPattern(url, pattern)) return true;
  return false;
}

bool TrustedOrigins::isTrustedRedirect(std::string_view url) const {
  if (url.starts_with("/")) return isSafeRelativeUrl(url);
  return isTrusted(url);
}

void validateRequestOrigin(const crow::Request& request, const TrustedOrigins& origins, bool force) {
  if (!force && !request.header("cookie")) return;
  const std::string* origin = request.header("origin");
  const std::string* referer = request.header("referer");
  const std::string value = origin && !origin->empty() ? *origin : (referer ? *referer : std::string());
  if (value.empty() || value == "null") throw crow::ApiError(403, auth_errors::kMissingOrNullOrigin);
  if (!origins.isTrusted(value)) throw crow::ApiError(403, auth_errors::kInvalidOrigin);
}

void validateFormCsrf(const crow::Request& request, const TrustedOrigins& origins) {
  if (request.header("cookie")) return validateRequestOrigin(request, origins, false);
  auto present = [&](std::string_view name) {
    const std::string* v = request.header(name);
    return v && v->find_first_not_of(" \t") != std::string::npos;
  };
  if (present("sec-fetch-site") || present("sec-fetch-mode") || present("sec-fetch-dest")) {
    const std::string* site = request.header("sec-fetch-site");
    const std::string* mode = request.header("sec-fetch-mode");
    if (site && *site == "cross-site" && mode && *mode == "navigate")
      throw crow::ApiError(403, auth_errors::kCrossSiteNavigationLoginBlocked);
    return validateRequestOrigin(request, origins, true);
  }
  const std::string* origin = request.header("origin");
  const std::string* referer = request.header("referer");
  if ((origin && !origin->empty()) || (referer && !referer->empty())) validateRequestOrigin(request, origins, true);
}

namespace {

// True when a JSON body cannot hold any of the URL fields checked below: none of their names
// appears in its text, and it has no backslash (an escape could spell a name differently). Such a
// body need not be parsed here, which matters on routes that read it without a JSON tree (the
// gateway's api-key verify).
bool jsonBodyNamesNoUrlField(const crow::Request& request) {
  if (request.mediaType() != "application/json") return false;
  const std::string& text = request.body;
  if (text.find('\\') != std::string::npos) return false;
  for (const char* name : {"callbackURL", "redirectTo", "errorCallbackURL", "newUserCallbackURL"})
    if (text.find(name) != std::string::npos) return false;
  return true;
}

}  // namespace

void checkRequestOriginAndUrls(const crow::Request& request, const TrustedOrigins& origins) {
  if (request.method == crow::Method::Get) return;
  validateRequestOrigin(request, origins, false);
  Poco::JSON::Object::Ptr body = jsonBodyNamesNoUrlField(request) ? nullptr : request.peekBody();
  Poco::Dynamic::Var callbackURL;
  if (body && body->has("callbackURL")) callbackURL = body->get("callbackURL");
  if (!isJsTruthy(callbackURL)) {
    if (auto q = request.query("callbackURL")) callbackURL = *q;
  }
  checkUrlField(callbackURL, "callbackURL", origins);
  if (!body) return;
  if (body->has("redirectTo")) checkUrlField(body->get("redirectTo"), "redirectURL", origins);
  if (body->has("errorCallbackURL")) checkUrlField(body->get("errorCallbackURL"), "errorCallbackURL", origins);
  if (body->has("newUserCallbackURL")) checkUrlField(body->get("newUserCallbackURL"), "newUserCallbackURL", origins);
}

void requireTrustedCallback(const std::optional<std::string>& callbackURL, const TrustedOrigins& origins) {
  if (!callbackURL || callbackURL->empty()) return;
  if (!origins.isTrustedRedirect(*callbackURL)) throw crow::ApiError(403, auth_errors::kInvalidCallbackUrl);
}

}  // namespace crow::host
