// The jwks row encoding: round trips in both modes, the live Better Auth row, key rotation
// envelopes, and clear failures.
#include "crypto/crypto_error.hpp"
#include "independent_vectors.hpp"
#include "jwt/jwk.hpp"
#include "jwt/jwt_signer.hpp"
#include "jwt/key_store_format.hpp"

#include <cppunit/extensions/HelperMacros.h>

using namespace crow::host;
namespace vectors = crow::test_vectors;

class KeyStoreFormatTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(KeyStoreFormatTest);
  CPPUNIT_TEST(encryptedRoundTripEachAlgorithm);
  CPPUNIT_TEST(plainRoundTrip);
  CPPUNIT_TEST(readsBetterAuthRow);
  CPPUNIT_TEST(keyringWritesEnvelopeAndReadsLegacyRows);
  CPPUNIT_TEST(wrongSecretOrModeFailsClearly);
  CPPUNIT_TEST(publicColumnIgnoresPrivateMembers);
  CPPUNIT_TEST_SUITE_END();

 public:
  void encryptedRoundTripEachAlgorithm() {
    for (JwtAlgorithm alg : {JwtAlgorithm::EdDSA, JwtAlgorithm::ES256, JwtAlgorithm::RS256}) {
      const auto key = generateKeyPair(alg);
      const StoredJwkColumns columns = encodeJwkColumns(key.get(), std::string_view("s3cret"), PrivateKeyEncryption::Encrypted);
      CPPUNIT_ASSERT_EQUAL(exportPublicJwk(key.get()), columns.publicKey);
      CPPUNIT_ASSERT_EQUAL('"', columns.privateKey.front());
      CPPUNIT_ASSERT_EQUAL('"', columns.privateKey.back());
      CPPUNIT_ASSERT(columns.privateKey.find("\"d\"") == std::string::npos);
      const auto privateKey = decodePrivateKeyColumn(columns.privateKey, std::string_view("s3cret"), PrivateKeyEncryption::Encrypted);
      CPPUNIT_ASSERT_EQUAL(1, EVP_PKEY_eq(key.get(), privateKey.get()));
      CPPUNIT_ASSERT(hasPrivateKey(privateKey.get()));
      const auto publicKey = decodePublicKeyColumn(columns.publicKey);
      Poco::JSON::Object header(Poco::JSON_PRESERVE_KEY_ORDER);
      header.set("alg", std::string(algorithmName(alg)));
      Poco::JSON::Object payload;
      payload.set("sub", "u");
      CPPUNIT_ASSERT(verifyJwt(signJwt(header, payload, privateKey.get()), publicKey.get(), alg).has_value());
    }
  }

  void plainRoundTrip() {
    const auto key = generateKeyPair(JwtAlgorithm::EdDSA);
    const StoredJwkColumns columns = encodeJwkColumns(key.get(), std::string_view("unused"), PrivateKeyEncryption::Plain);
    CPPUNIT_ASSERT_EQUAL(exportPrivateJwk(key.get()), columns.privateKey);
    const auto decoded = decodePrivateKeyColumn(columns.privateKey, std::string_view("unused"), PrivateKeyEncryption::Plain);
    CPPUNIT_ASSERT_EQUAL(1, EVP_PKEY_eq(key.get(), decoded.get()));
    // A public JWK in the privateKey column is not a signing key.
    CPPUNIT_ASSERT_THROW(decodePrivateKeyColumn(columns.publicKey, std::string_view("unused"), PrivateKeyEncryption::Plain),
                         CryptoError);
  }

  void readsBetterAuthRow() {
    const auto privateKey = decodePrivateKeyColumn(vectors::kBetterAuthPrivateKeyColumn,
                                                   std::string_view(vectors::kBetterAuthSecret), PrivateKeyEncryption::Encrypted);
    CPPUNIT_ASSERT_EQUAL(std::string(vectors::kBetterAuthPrivateJwk), exportPrivateJwk(privateKey.get()));
    const auto publicKey = decodePublicKeyColumn(vectors::kBetterAuthPublicKeyColumn);
    CPPUNIT_ASSERT_EQUAL(1, EVP_PKEY_eq(privateKey.get(), publicKey.get()));
  }

  void keyringWritesEnvelopeAndReadsLegacyRows() {
    const SecretKeyring keyring{{{1, "first"}, {2, "second"}}, 2, std::string(vectors::kBetterAuthSecret)};
    const auto key = generateKeyPair(JwtAlgorithm::EdDSA);
    const StoredJwkColumns columns = encodeJwkColumns(key.get(), &keyring, PrivateKeyEncryption::Encrypted);
    CPPUNIT_ASSERT_EQUAL(std::string("\"$ba$2$"), columns.privateKey.substr(0, 7));
    const auto decoded = decodePrivateKeyColumn(columns.privateKey, &keyring, PrivateKeyEncryption::Encrypted);
    CPPUNIT_ASSERT_EQUAL(1, EVP_PKEY_eq(key.get(), decoded.get()));
    // A row written before rotation (bare hex) decrypts with the legacy secret.
    const auto legacy = decodePrivateKeyColumn(vectors::kBetterAuthPrivateKeyColumn, &keyring, PrivateKeyEncryption::Encrypted);
    CPPUNIT_ASSERT_EQUAL(std::string(vectors::kBetterAuthPrivateJwk), exportPrivateJwk(legacy.get()));
  }

  void wrongSecretOrModeFailsClearly() {
    try {
      decodePrivateKeyColumn(vectors::kBetterAuthPrivateKeyColumn, std::string_view("another secret"),
                             PrivateKeyEncryption::Encrypted);
      CPPUNIT_FAIL("decrypted with the wrong secret");
    } catch (const CryptoError& error) {
      const std::string message = error.what();
      CPPUNIT_ASSERT(message.find("secret") != std::string::npos);
      CPPUNIT_ASSERT(message.find("another secret") == std::string::npos);  // never echoes the secret
      CPPUNIT_ASSERT(message.find("0b1be321") == std::string::npos);        // nor the column
    }
    // Encrypted column read as plain, and plain column read as encrypted.
    CPPUNIT_ASSERT_THROW(decodePrivateKeyColumn(vectors::kBetterAuthPrivateKeyColumn, std::string_view(vectors::kBetterAuthSecret),
                                                PrivateKeyEncryption::Plain),
                         CryptoError);
    CPPUNIT_ASSERT_THROW(decodePrivateKeyColumn(vectors::kBetterAuthPrivateJwk, std::string_view(vectors::kBetterAuthSecret),
                                                PrivateKeyEncryption::Encrypted),
                         CryptoError);
    CPPUNIT_ASSERT_THROW(decodePrivateKeyColumn("\"ab\\\"cd\"", std::string_view("s"), PrivateKeyEncryption::Encrypted),
                         CryptoError);
    CPPUNIT_ASSERT_THROW(decodePublicKeyColumn("{"), CryptoError);
  }

  void publicColumnIgnoresPrivateMembers() {
    const auto key = decodePublicKeyColumn(vectors::kNodeEs256PrivateJwk);
    CPPUNIT_ASSERT(!hasPrivateKey(key.get()));
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(KeyStoreFormatTest);
