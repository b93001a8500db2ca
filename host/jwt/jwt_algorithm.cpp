#include "jwt/jwt_algorithm.hpp"

#include <openssl/core_names.h>

#include <cstring>

namespace crow::host {

std::string_view algorithmName(JwtAlgorithm alg) {
  switch (alg) {
    case JwtAlgorithm::EdDSA: return "EdDSA";
    case JwtAlgorithm::ES256: return "ES256";
    case JwtAlgorithm::RS256: return "RS256";
  }
  return "";
}

std::optional<JwtAlgorithm> parseAlgorithm(std::string_view name) {
  if (name == "EdDSA") return JwtAlgorithm::EdDSA;
  if (name == "ES256") return JwtAlgorithm::ES256;
  if (name == "RS256") return JwtAlgorithm::RS256;
  return std::nullopt;
}

std::optional<std::string_view> curveName(JwtAlgorithm alg) {
  switch (alg) {
    case JwtAlgorithm::EdDSA: return "Ed25519";
    case JwtAlgorithm::ES256: return "P-256";
    case JwtAlgorithm::RS256: return std::nullopt;
  }
  return std::nullopt;
}

std::optional<JwtAlgorithm> algorithmForKey(const EVP_PKEY* key) {
  if (key == nullptr) return std::nullopt;
  if (EVP_PKEY_is_a(key, "ED25519")) return JwtAlgorithm::EdDSA;
  if (EVP_PKEY_is_a(key, "RSA")) {
    if (EVP_PKEY_get_bits(key) < 2048) return std::nullopt;
    return JwtAlgorithm::RS256;
  }
  if (EVP_PKEY_is_a(key, "EC")) {
    char group[64] = {};
    size_t length = 0;
    if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group, &length) != 1)
      return std::nullopt;
    if (std::strcmp(group, "prime256v1") == 0 || std::strcmp(group, "P-256") == 0) return JwtAlgorithm::ES256;
  }
  return std::nullopt;
}

}  // namespace crow::host
