#include "crypto/signed_cookie.hpp"

#include "crypto/encoding.hpp"
#include "crypto/hmac.hpp"

namespace crow::host {

namespace {
constexpr std::size_t kSignatureLength = 44;  // base64 of 32 bytes, one '=' of padding
}

std::string signCookieValue(std::string_view token, std::string_view secret) {
  std::string value(token);
  value.push_back('.');
  value += base64Encode(hmacSha256(secret, token));
  return value;
}

std::string encodeCookieValue(std::string_view signedValue) { return urlComponentEncode(signedValue); }

std::optional<std::string> verifySignedCookie(std::string_view valueAsReceived, std::string_view secret) {
  std::string value(valueAsReceived);
  if (value.find('%') != std::string::npos) {
    auto decoded = urlComponentDecode(value);
    if (!decoded) return std::nullopt;
    value = std::move(*decoded);
  }
  const auto dot = value.rfind('.');
  if (dot == std::string::npos || dot == 0) return std::nullopt;
  const std::string_view token = std::string_view(value).substr(0, dot);
  const std::string_view signature = std::string_view(value).substr(dot + 1);
  if (signature.size() != kSignatureLength || signature.back() != '=') return std::nullopt;
  const std::string expected = base64Encode(hmacSha256(secret, token));
  if (!constantTimeEquals(expected, signature)) return std::nullopt;
  return std::string(token);
}

}  // namespace crow::host
