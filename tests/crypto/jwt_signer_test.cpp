// Compact JWS signing/verification: each algorithm, tokens from Node and from a live Better Auth
// server, tampering, and algorithm confusion.
#include "crypto/crypto_error.hpp"
#include "crypto/encoding.hpp"
#include "crypto/hmac.hpp"
#include "independent_vectors.hpp"
#include "jwt/jwk.hpp"
#include "jwt/jwt_signer.hpp"

#include <cppunit/extensions/HelperMacros.h>

#include <chrono>
#include <iostream>

using namespace crow::host;
namespace vectors = crow::test_vectors;

namespace {
const JwtAlgorithm kAll[] = {JwtAlgorithm::EdDSA, JwtAlgorithm::ES256, JwtAlgorithm::RS256};

Poco::JSON::Object header(JwtAlgorithm alg, const std::string& kid = "kid-1") {
  Poco::JSON::Object h(Poco::JSON_PRESERVE_KEY_ORDER);
  h.set("alg", std::string(algorithmName(alg)));
  h.set("kid", kid);
  return h;
}

Poco::JSON::Object payload() {
  Poco::JSON::Object p(Poco::JSON_PRESERVE_KEY_ORDER);
  p.set("iat", 1795887863);
  p.set("name", "Alice A");
  p.set("sub", "user-1");
  p.set("exp", 1795888763);
  return p;
}

struct Parts {
  std::string header, payload, signature;
};
Parts split(const std::string& token) {
  const auto a = token.find('.');
  const auto b = token.find('.', a + 1);
  return {token.substr(0, a), token.substr(a + 1, b - a - 1), token.substr(b + 1)};
}
std::string join(const Parts& p) { return p.header + "." + p.payload + "." + p.signature; }
}  // namespace

class JwtSignerTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(JwtSignerTest);
  CPPUNIT_TEST(signAndVerifyEachAlgorithm);
  CPPUNIT_TEST(tokenLayout);
  CPPUNIT_TEST(es256SignatureIsRaw64Bytes);
  CPPUNIT_TEST(reproducesBetterAuthTokenExactly);
  CPPUNIT_TEST(verifiesTokensMadeByNode);
  CPPUNIT_TEST(tamperedPayloadOrSignatureFails);
  CPPUNIT_TEST(wrongKeyFails);
  CPPUNIT_TEST(algorithmConfusionFails);
  CPPUNIT_TEST(malformedTokensFail);
  CPPUNIT_TEST(signingRefusesMismatchedHeaderOrPublicKey);
  CPPUNIT_TEST(readsHeaderForKeySelection);
  CPPUNIT_TEST(eddsaSigningIsFast);
  CPPUNIT_TEST_SUITE_END();

 public:
  void signAndVerifyEachAlgorithm() {
    for (JwtAlgorithm alg : kAll) {
      const auto key = generateKeyPair(alg);
      const std::string token = signJwt(header(alg), payload(), key.get());
      const auto verified = verifyJwt(token, key.get(), alg);
      CPPUNIT_ASSERT_MESSAGE(std::string(algorithmName(alg)), verified.has_value());
      CPPUNIT_ASSERT_EQUAL(std::string("Alice A"), (*verified)->getValue<std::string>("name"));
      CPPUNIT_ASSERT_EQUAL(1795888763, (*verified)->getValue<int>("exp"));
      // The public half alone verifies too.
      const auto publicKey = importJwk(exportPublicJwk(key.get()));
      CPPUNIT_ASSERT(verifyJwt(token, publicKey.get(), alg).has_value());
    }
  }

  void tokenLayout() {
    const auto key = generateKeyPair(JwtAlgorithm::EdDSA);
    const std::string token = signJwt(header(JwtAlgorithm::EdDSA, "abc"), payload(), key.get());
    const Parts parts = split(token);
    CPPUNIT_ASSERT_EQUAL(std::string(R"({"alg":"EdDSA","kid":"abc"})"), *base64UrlDecode(parts.header));
    CPPUNIT_ASSERT_EQUAL(std::string(R"({"iat":1795887863,"name":"Alice A","sub":"user-1","exp":1795888763})"),
                         *base64UrlDecode(parts.payload));
    CPPUNIT_ASSERT_EQUAL(std::size_t(64), base64UrlDecode(parts.signature)->size());
    CPPUNIT_ASSERT(token.find('=') == std::string::npos);
  }

  void es256SignatureIsRaw64Bytes() {
    const auto key = generateKeyPair(JwtAlgorithm::ES256);
    for (int i = 0; i < 20; ++i) {  // DER length varies with leading zeros; raw never does
      const Parts parts = split(signJwt(header(JwtAlgorithm::ES256), payload(), key.get()));
      CPPUNIT_ASSERT_EQUAL(std::size_t(64), base64UrlDecode(parts.signature)->size());
    }
    CPPUNIT_ASSERT_EQUAL(std::size_t(256),
                         base64UrlDecode(split(signJwt(header(JwtAlgorithm::RS256), payload(),
                                                       generateKeyPair(JwtAlgorithm::RS256).get())).signature)->size());
  }

  void reproducesBetterAuthTokenExactly() {
    // Ed25519 is deterministic: the key from the transcript's jwks row, over the same header and
    // payload bytes, must give Better Auth's token byte for byte.
    const auto key = importJwk(vectors::kBetterAuthPrivateJwk);
    CPPUNIT_ASSERT_EQUAL(std::string(vectors::kBetterAuthToken),
                         signJwt(vectors::kBetterAuthTokenHeaderJson, vectors::kBetterAuthTokenPayloadJson, key.get()));
    const auto publicKey = importJwk(vectors::kBetterAuthPublicKeyColumn);
    const auto verified = verifyJwt(vectors::kBetterAuthToken, publicKey.get(), JwtAlgorithm::EdDSA);
    CPPUNIT_ASSERT(verified.has_value());
    CPPUNIT_ASSERT_EQUAL(std::string("alice@example.com"), (*verified)->getValue<std::string>("email"));
  }

  void verifiesTokensMadeByNode() {
    const std::pair<const char*, const char*> cases[] = {{vectors::kNodeEdDsaPublicJwk, vectors::kNodeEdDsaToken},
                                                         {vectors::kNodeEs256PublicJwk, vectors::kNodeEs256Token},
                                                         {vectors::kNodeRs256PublicJwk, vectors::kNodeRs256Token}};
    for (std::size_t i = 0; i < 3; ++i) {
      const auto key = importJwk(cases[i].first);
      const auto verified = verifyJwt(cases[i].second, key.get(), kAll[i]);
      CPPUNIT_ASSERT_MESSAGE(std::string(algorithmName(kAll[i])), verified.has_value());
      CPPUNIT_ASSERT_EQUAL(std::string("user-1"), (*verified)->getValue<std::string>("sub"));
    }
  }

  void tamperedPayloadOrSignatureFails() {
    for (JwtAlgorithm alg : kAll) {
      const auto key = generateKeyPair(alg);
      const Parts parts = split(signJwt(header(alg), payload(), key.get()));
      Parts forged = parts;
      forged.payload = base64UrlEncode(R"({"iat":1795887863,"name":"Mallory","sub":"user-1","exp":1795888763})");
      CPPUNIT_ASSERT(!verifyJwt(join(forged), key.get(), alg));
      Parts flipped = parts;
      std::string signature = *base64UrlDecode(parts.signature);
      signature[5] = static_cast<char>(signature[5] ^ 0x01);
      flipped.signature = base64UrlEncode(signature);
      CPPUNIT_ASSERT(!verifyJwt(join(flipped), key.get(), alg));
      Parts truncated = parts;
      truncated.signature = base64UrlEncode(signature.substr(0, signature.size() - 1));
      CPPUNIT_ASSERT(!verifyJwt(join(truncated), key.get(), alg));
      Parts otherKid = parts;  // the header is signed too
      otherKid.header = base64UrlEncode(std::string(R"({"alg":")") + std::string(algorithmName(alg)) + R"(","kid":"other"})");
      CPPUNIT_ASSERT(!verifyJwt(join(otherKid), key.get(), alg));
    }
  }

  void wrongKeyFails() {
    for (JwtAlgorithm alg : kAll) {
      const auto signer = generateKeyPair(alg);
      const auto other = generateKeyPair(alg);
      CPPUNIT_ASSERT(!verifyJwt(signJwt(header(alg), payload(), signer.get()), other.get(), alg));
    }
  }

  void algorithmConfusionFails() {
    const auto ed = generateKeyPair(JwtAlgorithm::EdDSA);
    const auto rsa = generateKeyPair(JwtAlgorithm::RS256);
    const std::string body = base64UrlEncode(R"({"sub":"admin"})");
    // alg "none" with an empty signature.
    CPPUNIT_ASSERT(!verifyJwt(base64UrlEncode(R"({"alg":"none"})") + "." + body + ".", ed.get(), JwtAlgorithm::EdDSA));
    // HS256 keyed with the public key's bytes (the classic RS/HS confusion).
    const std::string hsInput = base64UrlEncode(R"({"alg":"HS256"})") + "." + body;
    const std::string hsToken = hsInput + "." + base64UrlEncode(hmacSha256(exportPublicJwk(rsa.get()), hsInput));
    CPPUNIT_ASSERT(!verifyJwt(hsToken, rsa.get(), JwtAlgorithm::RS256));
    // A valid EdDSA token presented where RS256 is expected, and keys that do not fit `expected`.
    const std::string edToken = signJwt(header(JwtAlgorithm::EdDSA), payload(), ed.get());
    CPPUNIT_ASSERT(!verifyJwt(edToken, ed.get(), JwtAlgorithm::RS256));
    CPPUNIT_ASSERT(!verifyJwt(edToken, rsa.get(), JwtAlgorithm::EdDSA));
    // A header claiming another alg over a genuinely valid signature is still refused.
    const Parts parts = split(edToken);
    const std::string relabelledInput = base64UrlEncode(R"({"alg":"ES256","kid":"kid-1"})") + "." + parts.payload;
    EvpMdCtxPtr ctx(EVP_MD_CTX_new());
    std::size_t length = 64;
    std::string signature(64, '\0');
    CPPUNIT_ASSERT_EQUAL(1, EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, ed.get()));
    CPPUNIT_ASSERT_EQUAL(1, EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &length,
                                           reinterpret_cast<const unsigned char*>(relabelledInput.data()),
                                           relabelledInput.size()));
    CPPUNIT_ASSERT(!verifyJwt(relabelledInput + "." + base64UrlEncode(signature), ed.get(), JwtAlgorithm::EdDSA));
    // "crit" extensions we do not understand.
    const std::string critInput = base64UrlEncode(R"({"alg":"EdDSA","crit":["b64"],"b64":false})") + "." + body;
    length = 64;
    auto ctx2 = EvpMdCtxPtr(EVP_MD_CTX_new());
    EVP_DigestSignInit(ctx2.get(), nullptr, nullptr, nullptr, ed.get());
    EVP_DigestSign(ctx2.get(), reinterpret_cast<unsigned char*>(signature.data()), &length,
                   reinterpret_cast<const unsigned char*>(critInput.data()), critInput.size());
    CPPUNIT_ASSERT(!verifyJwt(critInput + "." + base64UrlEncode(signature), ed.get(), JwtAlgorithm::EdDSA));
  }

  void malformedTokensFail() {
    const auto key = generateKeyPair(JwtAlgorithm::EdDSA);
    const std::string token = signJwt(header(JwtAlgorithm::EdDSA), payload(), key.get());
    const Parts parts = split(token);
    for (const std::string& bad :
         {std::string(), std::string("."), std::string(".."), std::string("a.b"), token + ".", token + ".x",
          parts.header + "." + parts.payload, "=" + token, token + "=", parts.header + "==." + parts.payload + "." + parts.signature,
          base64UrlEncode("[1]") + "." + parts.payload + "." + parts.signature,
          base64UrlEncode("not json") + "." + parts.payload + "." + parts.signature}) {
      CPPUNIT_ASSERT_MESSAGE(bad, !verifyJwt(bad, key.get(), JwtAlgorithm::EdDSA));
    }
    // A validly signed payload that is not a JSON object.
    const std::string arrayPayload = signJwt(R"({"alg":"EdDSA"})", "[1,2]", key.get());
    CPPUNIT_ASSERT(!verifyJwt(arrayPayload, key.get(), JwtAlgorithm::EdDSA));
    CPPUNIT_ASSERT(!verifyJwt(token, nullptr, JwtAlgorithm::EdDSA));
  }

  void signingRefusesMismatchedHeaderOrPublicKey() {
    const auto ed = generateKeyPair(JwtAlgorithm::EdDSA);
    CPPUNIT_ASSERT_THROW(signJwt(header(JwtAlgorithm::RS256), payload(), ed.get()), CryptoError);
    Poco::JSON::Object noAlg;
    noAlg.set("kid", "x");
    CPPUNIT_ASSERT_THROW(signJwt(noAlg, payload(), ed.get()), CryptoError);
    CPPUNIT_ASSERT_THROW(signJwt("not json", "{}", ed.get()), CryptoError);
    const auto publicOnly = importJwk(exportPublicJwk(ed.get()));
    CPPUNIT_ASSERT_THROW(signJwt(header(JwtAlgorithm::EdDSA), payload(), publicOnly.get()), CryptoError);
  }

  void readsHeaderForKeySelection() {
    const auto header = readJwtHeaderUnverified(vectors::kBetterAuthToken);
    CPPUNIT_ASSERT(header.has_value());
    CPPUNIT_ASSERT_EQUAL(std::string(vectors::kBetterAuthKid), (*header)->getValue<std::string>("kid"));
    CPPUNIT_ASSERT(!readJwtHeaderUnverified("nope"));
    CPPUNIT_ASSERT(!readJwtHeaderUnverified("e30.e30.x.y"));
  }

  void eddsaSigningIsFast() {
    // Not a benchmark: a guard against accidental per-call key parsing. The budget is ~50 µs in a
    // release build; 2 ms on average tolerates sanitizers and a busy shared machine.
    const auto key = generateKeyPair(JwtAlgorithm::EdDSA);
    const auto h = header(JwtAlgorithm::EdDSA);
    const auto p = payload();
    constexpr int kRounds = 200;
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < kRounds; ++i) (void)signJwt(h, p, key.get());
    const auto perToken =
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start).count() / kRounds;
    std::cout << "\n  EdDSA signJwt: " << perToken << " us/token" << std::endl;
    CPPUNIT_ASSERT(perToken < 2000);
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(JwtSignerTest);
