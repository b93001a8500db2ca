// account_email.cpp - see account_email.hpp.
#include "account_email.hpp"

#include <crow/error.hpp>

#include <openssl/evp.h>

#include <stdexcept>

namespace crow::rate_limit {

namespace {

std::string lowerAscii(std::string text) {
  for (char& c : text)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return text;
}

}  // namespace

std::optional<std::string> signInEmail(const crow::Request& request) {
  const Poco::JSON::Object::Ptr body = request.peekBody();
  if (!body) return std::nullopt;
  const Poco::Dynamic::Var email = body->get("email");
  if (email.isEmpty() || !email.isString()) return std::nullopt;
  std::string text = email.extract<std::string>();
  if (text.empty()) return std::nullopt;
  return lowerAscii(std::move(text));
}

std::string accountHash(std::string_view identifier) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(identifier.data(), identifier.size(), digest, &length, EVP_sha256(), nullptr) != 1)
    throw std::runtime_error("SHA-256 failed");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    hex.push_back(kHex[digest[i] >> 4]);
    hex.push_back(kHex[digest[i] & 0x0f]);
  }
  return hex;
}

}  // namespace crow::rate_limit
