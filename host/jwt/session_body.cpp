#include "jwt/session_body.hpp"

#include "util/json_text.hpp"

namespace crow::host {

namespace {

// Index just past the JSON value starting at `i` (a string, object, array or scalar), or npos.
size_t skipValue(std::string_view s, size_t i) {
  if (i >= s.size()) return std::string_view::npos;
  if (s[i] == '"') {
    for (++i; i < s.size(); ++i) {
      if (s[i] == '\\') ++i;
      else if (s[i] == '"') return i + 1;
    }
    return std::string_view::npos;
  }
  if (s[i] == '{' || s[i] == '[') {
    int depth = 0;
    bool inString = false;
    for (; i < s.size(); ++i) {
      char c = s[i];
      if (inString) {
        if (c == '\\') ++i;
        else if (c == '"') inString = false;
      } else if (c == '"') {
        inString = true;
      } else if (c == '{' || c == '[') {
        ++depth;
      } else if (c == '}' || c == ']') {
        if (--depth == 0) return i + 1;
      }
    }
    return std::string_view::npos;
  }
  while (i < s.size() && s[i] != ',' && s[i] != '}' && s[i] != ']') ++i;
  return i;
}

}  // namespace

std::optional<std::string_view> topLevelMember(std::string_view s, std::string_view key) {
  if (s.empty() || s[0] != '{') return std::nullopt;
  size_t i = 1;
  while (i < s.size() && s[i] == '"') {
    size_t keyEnd = skipValue(s, i);
    if (keyEnd == std::string_view::npos || keyEnd >= s.size() || s[keyEnd] != ':') return std::nullopt;
    std::string_view name = s.substr(i + 1, keyEnd - i - 2);
    size_t valueEnd = skipValue(s, keyEnd + 1);
    if (valueEnd == std::string_view::npos) return std::nullopt;
    if (name == key) return s.substr(keyEnd + 1, valueEnd - keyEnd - 1);
    if (valueEnd >= s.size() || s[valueEnd] != ',') return std::nullopt;
    i = valueEnd + 1;
  }
  return std::nullopt;
}

std::optional<std::string> tokenPayloadFromSessionBody(std::string_view body, const TokenClaims& claims) {
  auto user = topLevelMember(body, "user");
  if (!user || user->size() < 2 || (*user)[0] != '{') return std::nullopt;
  auto id = topLevelMember(*user, "id");
  // A plain id only: anything escaped goes the slow way, which decodes it properly.
  if (!id || id->size() < 2 || (*id)[0] != '"' || id->find('\\') != std::string_view::npos) return std::nullopt;
  std::string out;
  out.reserve(user->size() + id->size() + claims.issuer.size() + claims.audience.size() + 96);
  out.append("{\"iat\":").append(std::to_string(claims.issuedAtS));
  if (user->size() > 2) out.append(",").append(user->substr(1, user->size() - 2));
  out.append(",\"sub\":").append(*id);
  out.append(",\"exp\":").append(std::to_string(claims.issuedAtS + claims.lifetimeS));
  out.append(",\"iss\":");
  appendJsonString(out, claims.issuer);
  out.append(",\"aud\":");
  appendJsonString(out, claims.audience);
  out.push_back('}');
  return out;
}

}  // namespace crow::host
