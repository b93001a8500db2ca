// Better Auth's symmetricEncrypt/Decrypt (XChaCha20-Poly1305, key SHA-256(secret), hex), checked
// against ciphertexts made by @noble/ciphers and by a live Better Auth server.
#include "crypto/encoding.hpp"
#include "crypto/symmetric.hpp"
#include "independent_vectors.hpp"

#include <cppunit/extensions/HelperMacros.h>

#include <cctype>

using namespace crow::host;
namespace vectors = crow::test_vectors;

class SymmetricTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(SymmetricTest);
  CPPUNIT_TEST(roundTrip);
  CPPUNIT_TEST(outputLayout);
  CPPUNIT_TEST(decryptsNobleCiphertext);
  CPPUNIT_TEST(decryptsBetterAuthJwksRow);
  CPPUNIT_TEST(tamperingFails);
  CPPUNIT_TEST(malformedInputFails);
  CPPUNIT_TEST(envelopeParsing);
  CPPUNIT_TEST(keyringEncryptsWithCurrentAndDecryptsByVersion);
  CPPUNIT_TEST(keyringFallsBackToLegacySecretForBareHex);
  CPPUNIT_TEST_SUITE_END();

 public:
  void roundTrip() {
    for (const std::string& plaintext : {std::string(), std::string("x"), std::string(1000, 'y'),
                                         std::string("{\"d\":\"\xc3\xa9\"}")}) {
      const std::string ciphertext = symmetricEncrypt("secret", plaintext);
      CPPUNIT_ASSERT_EQUAL(plaintext, *symmetricDecrypt("secret", ciphertext));
    }
    // A fresh nonce each time.
    CPPUNIT_ASSERT(symmetricEncrypt("secret", "same") != symmetricEncrypt("secret", "same"));
  }

  void outputLayout() {
    const std::string ciphertext = symmetricEncrypt("secret", "hello");
    CPPUNIT_ASSERT_EQUAL(std::size_t((24 + 5 + 16) * 2), ciphertext.size());
    CPPUNIT_ASSERT_EQUAL(ciphertext, hexEncode(*hexDecode(ciphertext)));  // lowercase hex
  }

  void decryptsNobleCiphertext() {
    CPPUNIT_ASSERT_EQUAL(std::string(vectors::kNoblePlaintext),
                         *symmetricDecrypt(vectors::kBetterAuthSecret, vectors::kNobleCiphertext));
  }

  void decryptsBetterAuthJwksRow() {
    std::string column = vectors::kBetterAuthPrivateKeyColumn;
    const std::string hex = column.substr(1, column.size() - 2);  // JSON.parse of the string literal
    CPPUNIT_ASSERT_EQUAL(std::string(vectors::kBetterAuthPrivateJwk), *symmetricDecrypt(vectors::kBetterAuthSecret, hex));
    std::string upper = hex;
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    CPPUNIT_ASSERT(symmetricDecrypt(vectors::kBetterAuthSecret, upper).has_value());
  }

  void tamperingFails() {
    const std::string ciphertext = symmetricEncrypt("secret", "attack at dawn");
    for (std::size_t position : {std::size_t(0), std::size_t(47), std::size_t(50), ciphertext.size() - 1}) {
      std::string tampered = ciphertext;
      tampered[position] = tampered[position] == '0' ? '1' : '0';
      CPPUNIT_ASSERT_MESSAGE("position " + std::to_string(position), !symmetricDecrypt("secret", tampered));
    }
    CPPUNIT_ASSERT(!symmetricDecrypt("other secret", ciphertext));
  }

  void malformedInputFails() {
    CPPUNIT_ASSERT(!symmetricDecrypt("secret", ""));
    CPPUNIT_ASSERT(!symmetricDecrypt("secret", "zz"));
    CPPUNIT_ASSERT(!symmetricDecrypt("secret", std::string(79, 'a')));       // odd length
    CPPUNIT_ASSERT(!symmetricDecrypt("secret", std::string(78, 'a')));       // 39 bytes < nonce + tag
    CPPUNIT_ASSERT(!symmetricDecrypt("secret", std::string(80, 'a')));       // 40 bytes, bad tag
    CPPUNIT_ASSERT(!symmetricDecrypt("secret", "\"" + symmetricEncrypt("secret", "x") + "\""));  // still quoted
  }

  void envelopeParsing() {
    CPPUNIT_ASSERT(!parseCiphertextEnvelope("abcdef1234567890"));
    CPPUNIT_ASSERT(!parseCiphertextEnvelope("$ba$2"));
    CPPUNIT_ASSERT(!parseCiphertextEnvelope("$ba$$abcd"));
    CPPUNIT_ASSERT(!parseCiphertextEnvelope("$ba$x$abcd"));
    const auto envelope = parseCiphertextEnvelope("$ba$2$abcdef1234567890");
    CPPUNIT_ASSERT(envelope);
    CPPUNIT_ASSERT_EQUAL(2u, envelope->version);
    CPPUNIT_ASSERT_EQUAL(std::string("abcdef1234567890"), std::string(envelope->hexCiphertext));
    CPPUNIT_ASSERT_EQUAL(12u, parseCiphertextEnvelope("$ba$12abc$ff")->version);  // parseInt semantics
    CPPUNIT_ASSERT_EQUAL(std::string("$ba$7$beef"), formatCiphertextEnvelope(7, "beef"));
  }

  void keyringEncryptsWithCurrentAndDecryptsByVersion() {
    SecretKeyring keyring{{{1, "old-secret"}, {2, "new-secret"}}, 2, std::nullopt};
    const std::string data = symmetricEncrypt(keyring, "payload");
    CPPUNIT_ASSERT_EQUAL(std::string("$ba$2$"), data.substr(0, 6));
    CPPUNIT_ASSERT_EQUAL(std::string("payload"), *symmetricDecrypt(keyring, data));
    CPPUNIT_ASSERT_EQUAL(std::string("payload"), *symmetricDecrypt("new-secret", data.substr(6)));
    // Written under version 1 earlier: still readable while version 1 is in the keyring.
    const std::string older = formatCiphertextEnvelope(1, symmetricEncrypt("old-secret", "older"));
    CPPUNIT_ASSERT_EQUAL(std::string("older"), *symmetricDecrypt(keyring, older));
    // Retired version: unreadable.
    const std::string retired = formatCiphertextEnvelope(0, symmetricEncrypt("gone", "x"));
    CPPUNIT_ASSERT(!symmetricDecrypt(keyring, retired));
    // A current version without a secret is a configuration error.
    SecretKeyring broken{{{1, "s"}}, 3, std::nullopt};
    CPPUNIT_ASSERT_THROW(symmetricEncrypt(broken, "x"), std::runtime_error);
  }

  void keyringFallsBackToLegacySecretForBareHex() {
    const std::string bare = symmetricEncrypt("legacy", "from before rotation");
    SecretKeyring withLegacy{{{1, "s1"}}, 1, std::string("legacy")};
    CPPUNIT_ASSERT_EQUAL(std::string("from before rotation"), *symmetricDecrypt(withLegacy, bare));
    SecretKeyring withoutLegacy{{{1, "s1"}}, 1, std::nullopt};
    CPPUNIT_ASSERT(!symmetricDecrypt(withoutLegacy, bare));
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(SymmetricTest);
