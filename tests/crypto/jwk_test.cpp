// JWK export/import: Better Auth's member order, byte-identical re-export of keys Node made,
// private members never published, and rejection of malformed or inconsistent JWKs.
#include "crypto/crypto_error.hpp"
#include "independent_vectors.hpp"
#include "jwt/jwk.hpp"

#include <Poco/JSON/Parser.h>
#include <cppunit/extensions/HelperMacros.h>

#include <sstream>

using namespace crow::host;
namespace vectors = crow::test_vectors;

namespace {
std::string memberNames(const std::string& json) {
  Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(true));
  const auto object = parser.parse(json).extract<Poco::JSON::Object::Ptr>();
  std::string names;
  for (const auto& name : object->getNames()) names += (names.empty() ? "" : ",") + name;
  return names;
}

std::string stringify(const Poco::JSON::Object::Ptr& object) {
  std::ostringstream out;
  object->stringify(out);
  return out.str();
}

std::string replaceMember(std::string json, const std::string& name, const std::string& value) {
  const std::string needle = "\"" + name + "\":\"";
  const auto start = json.find(needle) + needle.size();
  const auto end = json.find('"', start);
  return json.replace(start, end - start, value);
}
}  // namespace

class JwkTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(JwkTest);
  CPPUNIT_TEST(generatedKeysFitTheirAlgorithm);
  CPPUNIT_TEST(exportUsesBetterAuthMemberOrder);
  CPPUNIT_TEST(reExportOfNodeKeysIsByteIdentical);
  CPPUNIT_TEST(exportImportRoundTrip);
  CPPUNIT_TEST(publicExportOfPrivateKeyHasNoPrivateMembers);
  CPPUNIT_TEST(privateExportOfPublicKeyThrows);
  CPPUNIT_TEST(withoutPrivateMembersStripsAndKeepsOrder);
  CPPUNIT_TEST(jwksEntryMatchesBetterAuthShape);
  CPPUNIT_TEST(rejectsMalformedJwks);
  CPPUNIT_TEST(rejectsInconsistentPrivateJwks);
  CPPUNIT_TEST_SUITE_END();

 public:
  void generatedKeysFitTheirAlgorithm() {
    for (JwtAlgorithm alg : {JwtAlgorithm::EdDSA, JwtAlgorithm::ES256, JwtAlgorithm::RS256}) {
      const EvpPkeyPtr key = generateKeyPair(alg);
      CPPUNIT_ASSERT(algorithmForKey(key.get()) == alg);
      CPPUNIT_ASSERT(hasPrivateKey(key.get()));
    }
    CPPUNIT_ASSERT_EQUAL(2048, EVP_PKEY_get_bits(generateKeyPair(JwtAlgorithm::RS256).get()));
    CPPUNIT_ASSERT(parseAlgorithm("EdDSA") == JwtAlgorithm::EdDSA);
    CPPUNIT_ASSERT(!parseAlgorithm("none"));
    CPPUNIT_ASSERT(!parseAlgorithm("HS256"));
    CPPUNIT_ASSERT(!parseAlgorithm("eddsa"));
    CPPUNIT_ASSERT_EQUAL(std::string("P-256"), std::string(*curveName(JwtAlgorithm::ES256)));
    CPPUNIT_ASSERT(!curveName(JwtAlgorithm::RS256));
  }

  void exportUsesBetterAuthMemberOrder() {
    const auto ed = generateKeyPair(JwtAlgorithm::EdDSA);
    CPPUNIT_ASSERT_EQUAL(std::string("crv,x,kty"), memberNames(exportPublicJwk(ed.get())));
    CPPUNIT_ASSERT_EQUAL(std::string("crv,d,x,kty"), memberNames(exportPrivateJwk(ed.get())));
    const auto ec = generateKeyPair(JwtAlgorithm::ES256);
    CPPUNIT_ASSERT_EQUAL(std::string("kty,x,y,crv"), memberNames(exportPublicJwk(ec.get())));
    CPPUNIT_ASSERT_EQUAL(std::string("kty,x,y,crv,d"), memberNames(exportPrivateJwk(ec.get())));
    const auto rsa = generateKeyPair(JwtAlgorithm::RS256);
    CPPUNIT_ASSERT_EQUAL(std::string("kty,n,e"), memberNames(exportPublicJwk(rsa.get())));
    CPPUNIT_ASSERT_EQUAL(std::string("kty,n,e,d,p,q,dp,dq,qi"), memberNames(exportPrivateJwk(rsa.get())));
    CPPUNIT_ASSERT(exportPublicJwk(rsa.get()).find("\"e\":\"AQAB\"") != std::string::npos);
  }

  void reExportOfNodeKeysIsByteIdentical() {
    for (const auto& [privateJwk, publicJwk] :
         {std::pair{vectors::kNodeEdDsaPrivateJwk, vectors::kNodeEdDsaPublicJwk},
          std::pair{vectors::kNodeEs256PrivateJwk, vectors::kNodeEs256PublicJwk},
          std::pair{vectors::kNodeRs256PrivateJwk, vectors::kNodeRs256PublicJwk},
          std::pair{vectors::kBetterAuthPrivateJwk, vectors::kBetterAuthPublicKeyColumn}}) {
      const EvpPkeyPtr key = importJwk(privateJwk);
      CPPUNIT_ASSERT(hasPrivateKey(key.get()));
      CPPUNIT_ASSERT_EQUAL(std::string(privateJwk), exportPrivateJwk(key.get()));
      CPPUNIT_ASSERT_EQUAL(std::string(publicJwk), exportPublicJwk(key.get()));
      const EvpPkeyPtr publicKey = importJwk(publicJwk);
      CPPUNIT_ASSERT(!hasPrivateKey(publicKey.get()));
      CPPUNIT_ASSERT_EQUAL(std::string(publicJwk), exportPublicJwk(publicKey.get()));
    }
  }

  void exportImportRoundTrip() {
    for (JwtAlgorithm alg : {JwtAlgorithm::EdDSA, JwtAlgorithm::ES256, JwtAlgorithm::RS256}) {
      const auto key = generateKeyPair(alg);
      const std::string privateJwk = exportPrivateJwk(key.get());
      const auto imported = importJwk(privateJwk);
      CPPUNIT_ASSERT_EQUAL(1, EVP_PKEY_eq(key.get(), imported.get()));
      CPPUNIT_ASSERT_EQUAL(privateJwk, exportPrivateJwk(imported.get()));
      const auto publicOnly = importJwk(exportPublicJwk(key.get()));
      CPPUNIT_ASSERT_EQUAL(1, EVP_PKEY_eq(key.get(), publicOnly.get()));
    }
  }

  void publicExportOfPrivateKeyHasNoPrivateMembers() {
    for (JwtAlgorithm alg : {JwtAlgorithm::EdDSA, JwtAlgorithm::ES256, JwtAlgorithm::RS256}) {
      const auto key = generateKeyPair(alg);
      Poco::JSON::Parser parser;
      const auto jwk = parser.parse(exportPublicJwk(key.get())).extract<Poco::JSON::Object::Ptr>();
      for (const char* member : {"d", "p", "q", "dp", "dq", "qi"}) CPPUNIT_ASSERT(!jwk->has(member));
    }
  }

  void privateExportOfPublicKeyThrows() {
    const auto publicKey = importJwk(vectors::kNodeEs256PublicJwk);
    CPPUNIT_ASSERT_THROW(exportPrivateJwk(publicKey.get()), CryptoError);
  }

  void withoutPrivateMembersStripsAndKeepsOrder() {
    CPPUNIT_ASSERT_EQUAL(std::string(vectors::kNodeRs256PublicJwk), withoutPrivateMembers(std::string(vectors::kNodeRs256PrivateJwk)));
    CPPUNIT_ASSERT_EQUAL(std::string(vectors::kNodeEdDsaPublicJwk), withoutPrivateMembers(std::string(vectors::kNodeEdDsaPrivateJwk)));
    CPPUNIT_ASSERT_EQUAL(std::string(R"({"kty":"oct","use":"sig"})"), withoutPrivateMembers(std::string(R"({"kty":"oct","k":"c2VjcmV0","use":"sig"})")));
    CPPUNIT_ASSERT(isPrivateJwkMember("qi") && isPrivateJwkMember("oth") && !isPrivateJwkMember("x"));
    CPPUNIT_ASSERT_THROW(withoutPrivateMembers(std::string("[1]")), CryptoError);
  }

  void jwksEntryMatchesBetterAuthShape() {
    // CONTRACT §5: {"keys":[{"alg":"EdDSA","crv":"Ed25519","x":…,"kty":"OKP","kid":…}]}
    CPPUNIT_ASSERT_EQUAL(
        std::string(R"({"alg":"EdDSA","crv":"Ed25519","x":"M5PecjLziJf6crH5CUlHwW-YpCf9rsi87_JpyHmYBhE","kty":"OKP","kid":"jz8Fe8wBmJhABOWnpYqBgLxy9jnqQmWN"})"),
        stringify(jwksEntry(vectors::kBetterAuthPublicKeyColumn, "EdDSA", vectors::kBetterAuthKid)));
    // A row that (wrongly) holds private members never leaks them.
    const std::string entry = stringify(jwksEntry(vectors::kNodeRs256PrivateJwk, "RS256", "k"));
    CPPUNIT_ASSERT_EQUAL(std::string("alg,kty,n,e,kid"), memberNames(entry));
  }

  void rejectsMalformedJwks() {
    for (const std::string& bad : {
             std::string("not json"), std::string("[]"), std::string("{}"), std::string(R"({"kty":"oct","k":"AAAA"})"),
             std::string(R"({"kty":"OKP","crv":"X25519","x":"X7UiveExcg0V57seMwLqE7GiUf4tpDVSQIZSofg8YLw"})"),
             std::string(R"({"kty":"OKP","crv":"Ed25519"})"),
             std::string(R"({"kty":"OKP","crv":"Ed25519","x":"X7UiveExcg0V57seMwLqE7GiUf4tpDVSQIZSofg8YL"})"),   // 31 bytes
             std::string(R"({"kty":"OKP","crv":"Ed25519","x":"X7UiveExcg0V57seMwLqE7GiUf4tpDVSQIZSofg8YLw="})"),  // padded
             std::string(R"({"kty":"OKP","crv":"Ed25519","x":42})"),
             std::string(R"({"kty":"EC","crv":"P-384","x":"AA","y":"AA"})"),
             replaceMember(vectors::kNodeEs256PublicJwk, "y", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"),  // off the curve
             std::string(R"({"kty":"RSA","n":"AQAB","e":"AQAB"})"),  // far too short
         }) {
      CPPUNIT_ASSERT_THROW_MESSAGE(bad, importJwk(bad), CryptoError);
    }
  }

  void rejectsInconsistentPrivateJwks() {
    // d from one key, x from another.
    const std::string mixedEd = replaceMember(vectors::kNodeEdDsaPrivateJwk, "x", "M5PecjLziJf6crH5CUlHwW-YpCf9rsi87_JpyHmYBhE");
    CPPUNIT_ASSERT_THROW(importJwk(mixedEd), CryptoError);
    const std::string mixedEc = replaceMember(vectors::kNodeEs256PrivateJwk, "d", "oe_wsN8naXh5NqSYfpuBQzzDRAJtRxx7BF30of95lnA");
    CPPUNIT_ASSERT_THROW(importJwk(mixedEc), CryptoError);
    const std::string missingCrt = replaceMember(vectors::kNodeRs256PrivateJwk, "qi", "");
    CPPUNIT_ASSERT_THROW(importJwk(missingCrt), CryptoError);
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(JwkTest);
