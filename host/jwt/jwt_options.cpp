#include "jwt/jwt_options.hpp"

#include <cctype>
#include <charconv>
#include <limits>

namespace crow::host {

namespace {

std::string lowerCase(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// A non-negative whole number of seconds (0 allowed, unlike durations such as expirationTime).
int64_t readSeconds(const crow::ConfigNode& node, std::string_view key, int64_t fallback) {
  auto value = node.getInt(key);
  if (!value) return fallback;
  if (*value < 0) node.fail(key, "must be 0 or more seconds, got " + std::to_string(*value));
  return *value;
}

}  // namespace

std::string urlOrigin(std::string_view url) {
  const auto schemeEnd = url.find("://");
  if (schemeEnd == std::string_view::npos) return std::string(url);
  const std::string scheme = lowerCase(url.substr(0, schemeEnd));
  std::string_view rest = url.substr(schemeEnd + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  // userinfo is never part of an origin
  if (auto at = rest.rfind('@'); at != std::string_view::npos) rest = rest.substr(at + 1);
  std::string_view host = rest;
  std::string_view port;
  const auto bracket = rest.rfind(']');
  const auto colon = rest.rfind(':');
  if (colon != std::string_view::npos && (bracket == std::string_view::npos || colon > bracket)) {
    host = rest.substr(0, colon);
    port = rest.substr(colon + 1);
  }
  if ((scheme == "http" && port == "80") || (scheme == "https" && port == "443")) port = {};
  std::string origin = scheme + "://" + lowerCase(host);
  if (!port.empty()) origin += ":" + std::string(port);
  return origin;
}

std::optional<int64_t> parseDurationSeconds(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  if (text.empty()) return std::nullopt;
  int64_t unit = 1;
  switch (text.back()) {
    case 's': unit = 1; break;
    case 'm': unit = 60; break;
    case 'h': unit = 3600; break;
    case 'd': unit = 86400; break;
    case 'w': unit = 604800; break;
    default: unit = 0;
  }
  if (unit != 0) text.remove_suffix(1);
  else unit = 1;
  int64_t number = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (error != std::errc() || end != text.data() + text.size() || number <= 0) return std::nullopt;
  if (number > std::numeric_limits<int64_t>::max() / unit) return std::nullopt;
  return number * unit;
}

JwtOptions readJwtOptions(const crow::ConfigNode& authBlock, const std::string& baseURL) {
  JwtOptions options;
  options.issuer = urlOrigin(baseURL);
  options.audience = options.issuer;
  const auto node = authBlock.child("jwt");
  if (!node) return options;
  node->allowOnly({"enabled", "algorithm", "expirationTime", "issuer", "audience", "setJwtHeader", "gracePeriod",
                   "rotationInterval", "encryptPrivateKeys", "keyRefreshInterval"});

  options.enabled = node->getBool("enabled", options.enabled);
  if (auto name = node->getString("algorithm")) {
    auto alg = parseAlgorithm(*name);
    if (!alg) node->fail("algorithm", "expected EdDSA, ES256 or RS256, got \"" + *name + "\"");
    options.algorithm = *alg;
  }
  if (auto text = node->getString("expirationTime")) {
    auto seconds = parseDurationSeconds(*text);
    if (!seconds)
      node->fail("expirationTime", "expected a positive number of seconds or a duration such as 15m, 1h, 7d; got \"" +
                                       *text + "\"");
    options.expirationTimeS = *seconds;
  }
  if (auto issuer = node->getString("issuer")) {
    if (issuer->empty()) node->fail("issuer", "must not be empty (leave it out to use the baseURL origin)");
    options.issuer = *issuer;
  }
  if (auto audience = node->getString("audience")) {
    if (audience->empty()) node->fail("audience", "must not be empty (leave it out to use the baseURL origin)");
    options.audience = *audience;
  }
  options.setJwtHeader = node->getBool("setJwtHeader", options.setJwtHeader);
  options.gracePeriodS = readSeconds(*node, "gracePeriod", options.gracePeriodS);
  options.rotationIntervalS = readSeconds(*node, "rotationInterval", options.rotationIntervalS);
  options.keyRefreshIntervalS = readSeconds(*node, "keyRefreshInterval", options.keyRefreshIntervalS);
  if (!node->getBool("encryptPrivateKeys", true)) options.privateKeyEncryption = PrivateKeyEncryption::Plain;
  return options;
}

}  // namespace crow::host
