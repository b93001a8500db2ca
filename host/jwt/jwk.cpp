#include "jwt/jwk.hpp"

#include "crypto/crypto_error.hpp"
#include "crypto/encoding.hpp"

#include <Poco/JSON/Parser.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>

#include <array>
#include <sstream>
#include <utility>
#include <vector>

namespace crow::host {

namespace {

constexpr std::size_t kEd25519KeyBytes = 32;
constexpr std::size_t kP256CoordinateBytes = 32;
constexpr std::array<std::string_view, 8> kPrivateMembers = {"d", "p", "q", "dp", "dq", "qi", "oth", "k"};

// Member names and values here are fixed words or base64url, which need no JSON escaping.
using OrderedMembers = std::vector<std::pair<std::string_view, std::string>>;

std::string writeJson(const OrderedMembers& members) {
  std::string out = "{";
  for (const auto& [name, value] : members) {
    if (out.size() > 1) out.push_back(',');
    out += '"';
    out += name;
    out += "\":\"";
    out += value;
    out += '"';
  }
  out.push_back('}');
  return out;
}

std::string bignumParam(const EVP_PKEY* key, const char* name, std::size_t padTo, bool secret) {
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(key, name, &raw) != 1 || raw == nullptr)
    throwOpenSslError(std::string("cannot read key component ") + name);
  BignumSecurePtr bn(raw);
  const std::size_t size = padTo != 0 ? padTo : static_cast<std::size_t>(BN_num_bytes(bn.get()));
  std::string bytes(size, '\0');
  if (BN_bn2binpad(bn.get(), reinterpret_cast<unsigned char*>(bytes.data()), static_cast<int>(size)) < 0)
    throw CryptoError(std::string("key component too large: ") + name);
  std::string encoded = base64UrlEncode(bytes);
  if (secret) OPENSSL_cleanse(bytes.data(), bytes.size());
  return encoded;
}

bool hasBignumParam(const EVP_PKEY* key, const char* name) {
  BIGNUM* raw = nullptr;
  const bool present = EVP_PKEY_get_bn_param(key, name, &raw) == 1 && raw != nullptr;
  BN_clear_free(raw);
  return present;
}

std::string rawEd25519(const EVP_PKEY* key, bool privatePart) {
  std::string bytes(kEd25519KeyBytes, '\0');
  std::size_t length = bytes.size();
  auto* out = reinterpret_cast<unsigned char*>(bytes.data());
  const int ok = privatePart ? EVP_PKEY_get_raw_private_key(key, out, &length)
                             : EVP_PKEY_get_raw_public_key(key, out, &length);
  if (ok != 1 || length != kEd25519KeyBytes) throwOpenSslError("cannot read Ed25519 key");
  std::string encoded = base64UrlEncode(bytes);
  OPENSSL_cleanse(bytes.data(), bytes.size());
  return encoded;
}

JwtAlgorithm requireAlgorithm(const EVP_PKEY* key) {
  const auto alg = algorithmForKey(key);
  if (!alg) throw CryptoError("unsupported key type for a JWK (expected Ed25519, P-256 or RSA >= 2048 bits)");
  return *alg;
}

// ---- import helpers ----

std::string requiredString(const Poco::JSON::Object& jwk, const std::string& name) {
  if (!jwk.has(name)) throw CryptoError("JWK is missing \"" + name + "\"");
  const Poco::Dynamic::Var value = jwk.get(name);
  if (!value.isString()) throw CryptoError("JWK member \"" + name + "\" is not a string");
  return value.extract<std::string>();
}

std::string requiredBase64Url(const Poco::JSON::Object& jwk, const std::string& name, std::size_t exactLength = 0) {
  auto decoded = base64UrlDecode(requiredString(jwk, name));
  if (!decoded || decoded->empty()) throw CryptoError("JWK member \"" + name + "\" is not base64url");
  if (exactLength != 0 && decoded->size() != exactLength)
    throw CryptoError("JWK member \"" + name + "\" has the wrong length");
  return std::move(*decoded);
}

// Bytes wiped when they go out of scope (decoded private components).
struct SecretBytes {
  std::string value;
  ~SecretBytes() { OPENSSL_cleanse(value.data(), value.size()); }
};

EvpPkeyPtr fromData(const char* keyType, OSSL_PARAM_BLD* builder, int selection) {
  OsslParamPtr params(OSSL_PARAM_BLD_to_param(builder));
  if (!params) throwOpenSslError("cannot build key parameters");
  EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, keyType, nullptr));
  EVP_PKEY* raw = nullptr;
  if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &raw, selection, params.get()) != 1)
    throwOpenSslError(std::string("cannot build ") + keyType + " key from JWK");
  return EvpPkeyPtr(raw);
}

void checkKey(EVP_PKEY* key, bool privatePart, const char* what) {
  EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, key, nullptr));
  const int ok = !ctx ? 0 : privatePart ? EVP_PKEY_pairwise_check(ctx.get()) : EVP_PKEY_public_check(ctx.get());
  if (ok != 1) throwOpenSslError(std::string("invalid ") + what + " JWK");
}

void pushBignum(OSSL_PARAM_BLD* builder, const char* name, std::string_view bytes,
                std::vector<BignumSecurePtr>& keepAlive) {
  BignumSecurePtr bn(BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()),
                               nullptr));
  if (!bn || OSSL_PARAM_BLD_push_BN(builder, name, bn.get()) != 1) throwOpenSslError("cannot build key parameters");
  keepAlive.push_back(std::move(bn));  // the builder refers to it until OSSL_PARAM_BLD_to_param
}

EvpPkeyPtr importEd25519(const Poco::JSON::Object& jwk) {
  const std::string x = requiredBase64Url(jwk, "x", kEd25519KeyBytes);
  if (!jwk.has("d")) {
    EvpPkeyPtr key(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr,
                                               reinterpret_cast<const unsigned char*>(x.data()), x.size()));
    if (!key) throwOpenSslError("invalid Ed25519 public JWK");
    return key;
  }
  const SecretBytes d{requiredBase64Url(jwk, "d", kEd25519KeyBytes)};
  EvpPkeyPtr key(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr,
                                              reinterpret_cast<const unsigned char*>(d.value.data()), d.value.size()));
  if (!key) throwOpenSslError("invalid Ed25519 private JWK");
  // The public key is derived from d; "x" must agree or the JWK is corrupt.
  if (rawEd25519(key.get(), false) != base64UrlEncode(x))
    throw CryptoError("Ed25519 JWK: \"x\" does not match \"d\"");
  return key;
}

EvpPkeyPtr importP256(const Poco::JSON::Object& jwk) {
  const std::string x = requiredBase64Url(jwk, "x", kP256CoordinateBytes);
  const std::string y = requiredBase64Url(jwk, "y", kP256CoordinateBytes);
  const std::string point = std::string(1, '\x04') + x + y;  // SEC1 uncompressed point
  OsslParamBldPtr builder(OSSL_PARAM_BLD_new());
  std::vector<BignumSecurePtr> keepAlive;
  if (!builder ||
      OSSL_PARAM_BLD_push_utf8_string(builder.get(), OSSL_PKEY_PARAM_GROUP_NAME, "P-256", 0) != 1 ||
      OSSL_PARAM_BLD_push_octet_string(builder.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()) != 1)
    throwOpenSslError("cannot build key parameters");
  const bool privatePart = jwk.has("d");
  if (privatePart) {
    const SecretBytes d{requiredBase64Url(jwk, "d", kP256CoordinateBytes)};
    pushBignum(builder.get(), OSSL_PKEY_PARAM_PRIV_KEY, d.value, keepAlive);
  }
  EvpPkeyPtr key = fromData("EC", builder.get(), privatePart ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY);
  checkKey(key.get(), privatePart, "P-256");
  return key;
}

EvpPkeyPtr importRsa(const Poco::JSON::Object& jwk) {
  const std::string n = requiredBase64Url(jwk, "n");
  const std::string e = requiredBase64Url(jwk, "e");
  OsslParamBldPtr builder(OSSL_PARAM_BLD_new());
  if (!builder) throwOpenSslError("cannot build key parameters");
  std::vector<BignumSecurePtr> keepAlive;
  pushBignum(builder.get(), OSSL_PKEY_PARAM_RSA_N, n, keepAlive);
  pushBignum(builder.get(), OSSL_PKEY_PARAM_RSA_E, e, keepAlive);
  const bool privatePart = jwk.has("d");
  if (privatePart) {
    // OpenSSL can sign with n, e, d alone, but Better Auth always writes the CRT members, and a
    // JWK missing them is more likely damaged than deliberate.
    const std::pair<const char*, const char*> members[] = {
        {"d", OSSL_PKEY_PARAM_RSA_D},           {"p", OSSL_PKEY_PARAM_RSA_FACTOR1},
        {"q", OSSL_PKEY_PARAM_RSA_FACTOR2},     {"dp", OSSL_PKEY_PARAM_RSA_EXPONENT1},
        {"dq", OSSL_PKEY_PARAM_RSA_EXPONENT2},  {"qi", OSSL_PKEY_PARAM_RSA_COEFFICIENT1}};
    for (const auto& [member, param] : members) {
      const SecretBytes value{requiredBase64Url(jwk, member)};
      pushBignum(builder.get(), param, value.value, keepAlive);
    }
  }
  EvpPkeyPtr key = fromData("RSA", builder.get(), privatePart ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY);
  if (EVP_PKEY_get_bits(key.get()) < 2048) throw CryptoError("RSA JWK: modulus shorter than 2048 bits");
  checkKey(key.get(), privatePart, "RSA");
  return key;
}

Poco::JSON::Object::Ptr parseObject(std::string_view json) {
  try {
    Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(true));  // keep member order
    const Poco::Dynamic::Var parsed = parser.parse(std::string(json));
    if (parsed.type() != typeid(Poco::JSON::Object::Ptr)) throw CryptoError("JWK is not a JSON object");
    return parsed.extract<Poco::JSON::Object::Ptr>();
  } catch (const Poco::Exception&) {
    throw CryptoError("JWK is not valid JSON");
  }
}

}  // namespace

EvpPkeyPtr generateKeyPair(JwtAlgorithm alg) {
  EVP_PKEY* key = nullptr;
  switch (alg) {
    case JwtAlgorithm::EdDSA: key = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"); break;
    case JwtAlgorithm::ES256: key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"); break;
    case JwtAlgorithm::RS256: key = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(2048)); break;
  }
  if (key == nullptr) throwOpenSslError(std::string("cannot generate ") + std::string(algorithmName(alg)) + " key");
  return EvpPkeyPtr(key);
}

bool hasPrivateKey(const EVP_PKEY* key) {
  const auto alg = algorithmForKey(key);
  if (!alg) return false;
  switch (*alg) {
    case JwtAlgorithm::EdDSA: {
      std::size_t length = 0;
      return EVP_PKEY_get_raw_private_key(key, nullptr, &length) == 1 && length == kEd25519KeyBytes;
    }
    case JwtAlgorithm::ES256: return hasBignumParam(key, OSSL_PKEY_PARAM_PRIV_KEY);
    case JwtAlgorithm::RS256: return hasBignumParam(key, OSSL_PKEY_PARAM_RSA_D);
  }
  return false;
}

std::string exportPublicJwk(const EVP_PKEY* key) {
  switch (requireAlgorithm(key)) {
    case JwtAlgorithm::EdDSA:
      return writeJson({{"crv", "Ed25519"}, {"x", rawEd25519(key, false)}, {"kty", "OKP"}});
    case JwtAlgorithm::ES256:
      return writeJson({{"kty", "EC"},
                        {"x", bignumParam(key, OSSL_PKEY_PARAM_EC_PUB_X, kP256CoordinateBytes, false)},
                        {"y", bignumParam(key, OSSL_PKEY_PARAM_EC_PUB_Y, kP256CoordinateBytes, false)},
                        {"crv", "P-256"}});
    case JwtAlgorithm::RS256:
      return writeJson({{"kty", "RSA"},
                        {"n", bignumParam(key, OSSL_PKEY_PARAM_RSA_N, 0, false)},
                        {"e", bignumParam(key, OSSL_PKEY_PARAM_RSA_E, 0, false)}});
  }
  throw CryptoError("unsupported key type for a JWK");
}

std::string exportPrivateJwk(const EVP_PKEY* key) {
  const JwtAlgorithm alg = requireAlgorithm(key);
  if (!hasPrivateKey(key)) throw CryptoError("key has no private part to export");
  OrderedMembers members;
  switch (alg) {
    case JwtAlgorithm::EdDSA:
      members = {{"crv", "Ed25519"}, {"d", rawEd25519(key, true)}, {"x", rawEd25519(key, false)}, {"kty", "OKP"}};
      break;
    case JwtAlgorithm::ES256:
      members = {{"kty", "EC"},
                 {"x", bignumParam(key, OSSL_PKEY_PARAM_EC_PUB_X, kP256CoordinateBytes, false)},
                 {"y", bignumParam(key, OSSL_PKEY_PARAM_EC_PUB_Y, kP256CoordinateBytes, false)},
                 {"crv", "P-256"},
                 {"d", bignumParam(key, OSSL_PKEY_PARAM_PRIV_KEY, kP256CoordinateBytes, true)}};
      break;
    case JwtAlgorithm::RS256:
      members = {{"kty", "RSA"},
                 {"n", bignumParam(key, OSSL_PKEY_PARAM_RSA_N, 0, false)},
                 {"e", bignumParam(key, OSSL_PKEY_PARAM_RSA_E, 0, false)},
                 {"d", bignumParam(key, OSSL_PKEY_PARAM_RSA_D, 0, true)},
                 {"p", bignumParam(key, OSSL_PKEY_PARAM_RSA_FACTOR1, 0, true)},
                 {"q", bignumParam(key, OSSL_PKEY_PARAM_RSA_FACTOR2, 0, true)},
                 {"dp", bignumParam(key, OSSL_PKEY_PARAM_RSA_EXPONENT1, 0, true)},
                 {"dq", bignumParam(key, OSSL_PKEY_PARAM_RSA_EXPONENT2, 0, true)},
                 {"qi", bignumParam(key, OSSL_PKEY_PARAM_RSA_COEFFICIENT1, 0, true)}};
      break;
  }
  std::string json = writeJson(members);
  for (auto& member : members) OPENSSL_cleanse(member.second.data(), member.second.size());
  return json;
}

EvpPkeyPtr importJwk(std::string_view jwkJson) { return importJwk(*parseObject(jwkJson)); }

EvpPkeyPtr importJwk(const Poco::JSON::Object& jwk) {
  const std::string kty = requiredString(jwk, "kty");
  if (kty == "OKP") {
    if (requiredString(jwk, "crv") != "Ed25519") throw CryptoError("unsupported OKP curve (only Ed25519)");
    return importEd25519(jwk);
  }
  if (kty == "EC") {
    if (requiredString(jwk, "crv") != "P-256") throw CryptoError("unsupported EC curve (only P-256)");
    return importP256(jwk);
  }
  if (kty == "RSA") return importRsa(jwk);
  throw CryptoError("unsupported JWK kty \"" + kty + "\"");
}

bool isPrivateJwkMember(std::string_view name) {
  for (std::string_view member : kPrivateMembers)
    if (name == member) return true;
  return false;
}

Poco::JSON::Object::Ptr withoutPrivateMembers(const Poco::JSON::Object& jwk) {
  Poco::JSON::Object::Ptr copy = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  for (const std::string& name : jwk.getNames()) {
    if (!isPrivateJwkMember(name)) copy->set(name, jwk.get(name));
  }
  return copy;
}

std::string withoutPrivateMembers(std::string_view jwkJson) {
  std::ostringstream out;
  withoutPrivateMembers(*parseObject(jwkJson))->stringify(out);
  return out.str();
}

Poco::JSON::Object::Ptr jwksEntry(std::string_view publicKeyColumn, std::string_view alg, std::string_view kid) {
  const Poco::JSON::Object::Ptr stored = parseObject(publicKeyColumn);
  Poco::JSON::Object::Ptr entry = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  entry->set("alg", std::string(alg));
  for (const std::string& name : stored->getNames()) {
    if (name == "alg" || name == "kid" || isPrivateJwkMember(name)) continue;
    entry->set(name, stored->get(name));
  }
  entry->set("kid", std::string(kid));
  return entry;
}

}  // namespace crow::host
