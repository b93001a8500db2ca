#include "auth/email_token.hpp"

#include "auth/validation.hpp"
#include "crypto/encoding.hpp"
#include "crypto/hmac.hpp"
#include "util/json_text.hpp"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

namespace crow::host {

namespace {

constexpr std::string_view kHeader = R"({"alg":"HS256"})";
constexpr size_t kMaxTokenLength = 4096;

Poco::JSON::Object::Ptr parseObject(const std::string& text) {
  try {
    Poco::JSON::Parser parser;
    parser.setDepth(8);
    Poco::Dynamic::Var v = parser.parse(text);
    if (v.type() == typeid(Poco::JSON::Object::Ptr)) return v.extract<Poco::JSON::Object::Ptr>();
  } catch (...) {
  }
  return nullptr;
}

std::optional<double> numberClaim(const Poco::JSON::Object::Ptr& payload, const std::string& name) {
  if (!payload->has(name)) return std::nullopt;
  Poco::Dynamic::Var v = payload->get(name);
  if (!v.isNumeric() || v.isBoolean()) return std::nullopt;
  return v.convert<double>();
}

}  // namespace

std::string signEmailVerificationToken(std::string_view secret, const std::string& email, const std::string& userId,
                                       crow::Timestamp now, int64_t expiresInS) {
  const int64_t iat = now.epochMs / 1000;
  std::string payload = "{\"email\":";
  appendJsonString(payload, email);
  payload += ",\"userId\":";
  appendJsonString(payload, userId);
  payload += ",\"iat\":" + std::to_string(iat) + ",\"exp\":" + std::to_string(iat + expiresInS) + "}";
  std::string signingInput = base64UrlEncode(kHeader) + "." + base64UrlEncode(payload);
  const std::string signature = hmacSha256(secret, signingInput);
  return signingInput + "." + base64UrlEncode(signature);
}

EmailTokenCheck verifyEmailVerificationToken(std::string_view secret, std::string_view token, crow::Timestamp now) {
  EmailTokenCheck out;
  if (token.empty() || token.size() > kMaxTokenLength) return out;
  const size_t first = token.find('.');
  const size_t second = first == std::string_view::npos ? first : token.find('.', first + 1);
  if (second == std::string_view::npos || token.find('.', second + 1) != std::string_view::npos) return out;
  const auto header = base64UrlDecode(token.substr(0, first));
  const auto payloadText = base64UrlDecode(token.substr(first + 1, second - first - 1));
  const auto signature = base64UrlDecode(token.substr(second + 1));
  if (!header || !payloadText || !signature) return out;
  const Poco::JSON::Object::Ptr headerObject = parseObject(*header);
  if (!headerObject || !headerObject->has("alg") || headerObject->get("alg").toString() != "HS256" ||
      !headerObject->get("alg").isString() || headerObject->has("crit"))
    return out;
  const std::string expected = hmacSha256(secret, token.substr(0, second));
  if (!constantTimeEquals(expected, *signature)) return out;
  const Poco::JSON::Object::Ptr payload = parseObject(*payloadText);
  if (!payload) return out;
  const double nowS = static_cast<double>(now.epochMs) / 1000.0;
  if (payload->has("exp")) {
    auto exp = numberClaim(payload, "exp");
    if (!exp) return out;
    if (*exp <= nowS) {
      out.status = EmailTokenCheck::Status::Expired;
      return out;
    }
  }
  if (payload->has("nbf")) {
    auto nbf = numberClaim(payload, "nbf");
    if (!nbf || *nbf > nowS) return out;
  }
  if (payload->has("iat") && !numberClaim(payload, "iat")) return out;
  if (!payload->has("email") || !payload->get("email").isString()) return out;
  out.email = payload->get("email").extract<std::string>();
  if (!isValidEmail(out.email)) return out;
  if (payload->has("userId") && payload->get("userId").isString()) out.userId = payload->get("userId").extract<std::string>();
  out.hasUpdateTo = payload->has("updateTo") && !payload->get("updateTo").isEmpty();
  out.status = EmailTokenCheck::Status::Valid;
  return out;
}

}  // namespace crow::host
