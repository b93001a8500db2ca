#include "jwt/jwt_signer.hpp"

#include "crypto/crypto_error.hpp"
#include "crypto/encoding.hpp"
#include "crypto/openssl_handles.hpp"

#include <Poco/JSON/Parser.h>
#include <openssl/err.h>

#include <sstream>

namespace crow::host {

namespace {

constexpr std::size_t kEs256CoordinateBytes = 32;

// The digest EVP_DigestSign/Verify takes for `alg`: none for Ed25519 (it hashes internally).
const EVP_MD* digestFor(JwtAlgorithm alg) { return alg == JwtAlgorithm::EdDSA ? nullptr : EVP_sha256(); }

std::string stringify(const Poco::JSON::Object& object) {
  std::ostringstream out;
  object.stringify(out);
  return out.str();
}

std::optional<Poco::JSON::Object::Ptr> parseObject(std::string_view json) {
  try {
    Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(true));
    const Poco::Dynamic::Var parsed = parser.parse(std::string(json));
    if (parsed.type() != typeid(Poco::JSON::Object::Ptr)) return std::nullopt;
    return parsed.extract<Poco::JSON::Object::Ptr>();
  } catch (const Poco::Exception&) {
    return std::nullopt;
  }
}

// DER ECDSA-Sig-Value -> JOSE r‖s, each left-padded to 32 bytes.
std::string derToJose(const std::string& der) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  EcdsaSigPtr sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size())));
  if (!sig) throwOpenSslError("cannot decode ECDSA signature");
  const BIGNUM* r = nullptr;
  const BIGNUM* s = nullptr;
  ECDSA_SIG_get0(sig.get(), &r, &s);
  std::string raw(2 * kEs256CoordinateBytes, '\0');
  auto* out = reinterpret_cast<unsigned char*>(raw.data());
  if (BN_bn2binpad(r, out, kEs256CoordinateBytes) < 0 ||
      BN_bn2binpad(s, out + kEs256CoordinateBytes, kEs256CoordinateBytes) < 0)
    throw CryptoError("ECDSA signature component too large");
  return raw;
}

// JOSE r‖s -> DER, or nullopt when it is not exactly 64 bytes.
std::optional<std::string> joseToDer(std::string_view raw) {
  if (raw.size() != 2 * kEs256CoordinateBytes) return std::nullopt;
  const auto* in = reinterpret_cast<const unsigned char*>(raw.data());
  BignumPtr r(BN_bin2bn(in, kEs256CoordinateBytes, nullptr));
  BignumPtr s(BN_bin2bn(in + kEs256CoordinateBytes, kEs256CoordinateBytes, nullptr));
  EcdsaSigPtr sig(ECDSA_SIG_new());
  if (!r || !s || !sig || ECDSA_SIG_set0(sig.get(), r.get(), s.get()) != 1) return std::nullopt;
  r.release();  // owned by sig now
  s.release();
  unsigned char* der = nullptr;
  const int length = i2d_ECDSA_SIG(sig.get(), &der);
  if (length <= 0) return std::nullopt;
  std::string out(reinterpret_cast<const char*>(der), static_cast<std::size_t>(length));
  OPENSSL_free(der);
  return out;
}

std::string sign(JwtAlgorithm alg, EVP_PKEY* key, std::string_view signingInput) {
  EvpMdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, digestFor(alg), nullptr, key) != 1)
    throwOpenSslError("cannot start JWT signature");
  const auto* data = reinterpret_cast<const unsigned char*>(signingInput.data());
  std::size_t length = 0;
  if (EVP_DigestSign(ctx.get(), nullptr, &length, data, signingInput.size()) != 1)
    throwOpenSslError("cannot size JWT signature");
  std::string signature(length, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &length, data,
                     signingInput.size()) != 1)
    throwOpenSslError("JWT signature failed");
  signature.resize(length);
  return alg == JwtAlgorithm::ES256 ? derToJose(signature) : signature;
}

bool verifySignature(JwtAlgorithm alg, EVP_PKEY* key, std::string_view signingInput, std::string_view signature) {
  std::string der;
  if (alg == JwtAlgorithm::ES256) {
    auto converted = joseToDer(signature);
    if (!converted) return false;
    der = std::move(*converted);
    signature = der;
  }
  EvpMdCtxPtr ctx(EVP_MD_CTX_new());
  const bool ok = ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, digestFor(alg), nullptr, key) == 1 &&
                  EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                                   signature.size(), reinterpret_cast<const unsigned char*>(signingInput.data()),
                                   signingInput.size()) == 1;
  // A failed verification leaves an entry on OpenSSL's thread-local error queue; drop it so it
  // is not reported later as the cause of an unrelated failure.
  ERR_clear_error();
  return ok;
}

struct CompactParts {
  std::string_view header, payload, signature, signingInput;
};

std::optional<CompactParts> splitCompact(std::string_view token) {
  const auto first = token.find('.');
  if (first == std::string_view::npos) return std::nullopt;
  const auto second = token.find('.', first + 1);
  if (second == std::string_view::npos || token.find('.', second + 1) != std::string_view::npos) return std::nullopt;
  return CompactParts{token.substr(0, first), token.substr(first + 1, second - first - 1), token.substr(second + 1),
                      token.substr(0, second)};
}

// The header's alg must name the key's algorithm; checked on the parsed header by the callers.
std::string signCompact(std::string_view headerJson, std::string_view payloadJson, EVP_PKEY* key, JwtAlgorithm alg) {
  std::string token = base64UrlEncode(headerJson);
  token.push_back('.');
  token += base64UrlEncode(payloadJson);
  const std::string signature = sign(alg, key, token);
  token.push_back('.');
  token += base64UrlEncode(signature);
  return token;
}

JwtAlgorithm requireHeaderMatchesKey(const Poco::JSON::Object& header, EVP_PKEY* key) {
  const auto alg = algorithmForKey(key);
  if (!alg) throw CryptoError("unsupported key type for JWT signing");
  const Poco::Dynamic::Var named = header.get("alg");
  if (!named.isString() || named.extract<std::string>() != algorithmName(*alg))
    throw CryptoError("JWT header alg does not match the signing key (" + std::string(algorithmName(*alg)) + ")");
  return *alg;
}

}  // namespace

std::string signJwt(std::string_view headerJson, std::string_view payloadJson, EVP_PKEY* key) {
  const auto header = parseObject(headerJson);
  if (!header) throw CryptoError("JWT header is not a JSON object");
  return signCompact(headerJson, payloadJson, key, requireHeaderMatchesKey(**header, key));
}

std::string signJwt(const Poco::JSON::Object& header, const Poco::JSON::Object& payload, EVP_PKEY* key) {
  const JwtAlgorithm alg = requireHeaderMatchesKey(header, key);
  return signCompact(stringify(header), stringify(payload), key, alg);
}

std::optional<Poco::JSON::Object::Ptr> verifyJwt(std::string_view token, EVP_PKEY* key, JwtAlgorithm expected) {
  if (algorithmForKey(key) != expected) return std::nullopt;
  const auto parts = splitCompact(token);
  if (!parts) return std::nullopt;
  const auto headerJson = base64UrlDecode(parts->header);
  if (!headerJson) return std::nullopt;
  const auto header = parseObject(*headerJson);
  if (!header) return std::nullopt;
  const Poco::Dynamic::Var alg = (*header)->get("alg");
  if (!alg.isString() || alg.extract<std::string>() != algorithmName(expected)) return std::nullopt;
  if ((*header)->has("crit")) return std::nullopt;
  const auto signature = base64UrlDecode(parts->signature);
  if (!signature || !verifySignature(expected, key, parts->signingInput, *signature)) return std::nullopt;
  const auto payloadJson = base64UrlDecode(parts->payload);
  if (!payloadJson) return std::nullopt;
  return parseObject(*payloadJson);
}

std::optional<Poco::JSON::Object::Ptr> readJwtHeaderUnverified(std::string_view token) {
  const auto parts = splitCompact(token);
  if (!parts) return std::nullopt;
  const auto headerJson = base64UrlDecode(parts->header);
  if (!headerJson) return std::nullopt;
  return parseObject(*headerJson);
}

}  // namespace crow::host
