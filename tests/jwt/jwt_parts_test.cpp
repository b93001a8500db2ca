// The small pieces under JwtCore: `auth.jwt` options, the JWKS document, the token payload and
// the per-second token cache.
#include "jwt_fixture.hpp"

#include "../crypto/independent_vectors.hpp"
#include "jwt/jwks_document.hpp"
#include "jwt/jwt_options.hpp"
#include "jwt/session_body.hpp"
#include "jwt/token_cache.hpp"
#include "jwt/token_payload.hpp"

#include "crow/error.hpp"

#include <Poco/JSON/Parser.h>
#include <cppunit/extensions/HelperMacros.h>

using namespace crow::host;
namespace tv = crow::test_vectors;

namespace {

JwtOptions optionsFrom(const std::string& jwtLines, const std::string& baseURL = "http://localhost:3000") {
  auto config = jwt_test::loadTestConfig("baseURL: " + baseURL + "\nauth:\n  jwt:\n" + jwtLines);
  return readJwtOptions(*config.auth, config.baseURL);
}

std::string optionsError(const std::string& jwtLines) {
  try {
    optionsFrom(jwtLines);
  } catch (const crow::ConfigError& e) {
    return e.what();
  }
  CPPUNIT_FAIL("expected a ConfigError");
  return {};
}

Poco::JSON::Object::Ptr parse(const std::string& json) {
  Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(true));
  return parser.parse(json).extract<Poco::JSON::Object::Ptr>();
}

StoredKey key(std::string id, std::string alg, std::string publicKey, int64_t createdAt,
              std::optional<int64_t> expiresAt = std::nullopt) {
  StoredKey k{std::move(id), std::move(alg), std::move(publicKey), "\"secret\"", {createdAt}, std::nullopt};
  if (expiresAt) k.expiresAt = crow::Timestamp{*expiresAt};
  return k;
}

}  // namespace

class JwtPartsTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(JwtPartsTest);
  CPPUNIT_TEST(defaultsAreBetterAuths);
  CPPUNIT_TEST(payloadSplicedFromTheBodyEqualsTheParsedOne);
  CPPUNIT_TEST(splicingRefusesWhatItCannotReadExactly);
  CPPUNIT_TEST(everyOptionIsRead);
  CPPUNIT_TEST(badOptionsFailAtTheirLine);
  CPPUNIT_TEST(originDropsPathAndDefaultPort);
  CPPUNIT_TEST(durations);
  CPPUNIT_TEST(jwksDocumentMatchesTheTranscript);
  CPPUNIT_TEST(jwksDocumentNeverHasPrivateMembers);
  CPPUNIT_TEST(retiredKeysLeaveAfterTheGracePeriod);
  CPPUNIT_TEST(payloadMatchesTheTranscriptByteForByte);
  CPPUNIT_TEST(tokenCacheSignsOncePerSecondAndClaims);
  CPPUNIT_TEST_SUITE_END();

 public:
  void payloadSplicedFromTheBodyEqualsTheParsedOne() {
    // A userAgent that spells a "user" key, quotes, unicode and nested JSON must not fool the scan.
    const std::string body =
        "{\"session\":{\"expiresAt\":\"2026-12-05T17:44:21.735Z\",\"userAgent\":\"x\\\",\\\"user\\\":{\\\"id\\\":\\\"evil\\\"}\","
        "\"meta\":{\"a\":[1,{\"b\":\"}\"}]},\"id\":\"s1\"},"
        "\"user\":{\"name\":\"Al \\\"Q\\\" \u00e9\",\"email\":\"al@example.com\",\"emailVerified\":false,"
        "\"image\":null,\"createdAt\":\"2026-11-28T17:44:21.383Z\",\"id\":\"yO3RabcdefghijklmnopqrstuvwxyzAB\"}}";
    const crow::host::TokenClaims claims{1795887863, 900, "http://localhost:3000", "http://localhost:3000"};
    auto spliced = crow::host::tokenPayloadFromSessionBody(body, claims);
    CPPUNIT_ASSERT(spliced.has_value());
    auto root = Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>();
    Poco::JSON::Object::Ptr user = Poco::JSON::Parser(new Poco::JSON::ParseHandler(true))
                                       .parse(body)
                                       .extract<Poco::JSON::Object::Ptr>()
                                       ->getObject("user");
    auto parsedSpliced = Poco::JSON::Parser().parse(*spliced).extract<Poco::JSON::Object::Ptr>();
    CPPUNIT_ASSERT_EQUAL(std::string("yO3RabcdefghijklmnopqrstuvwxyzAB"), parsedSpliced->getValue<std::string>("sub"));
    CPPUNIT_ASSERT_EQUAL(std::string("Al \"Q\" \xc3\xa9"), parsedSpliced->getValue<std::string>("name"));
    CPPUNIT_ASSERT_EQUAL(Poco::Int64(1795888763), parsedSpliced->getValue<Poco::Int64>("exp"));
    // Same members in the same order as the parsed path.
    auto slow = Poco::JSON::Parser(new Poco::JSON::ParseHandler(true))
                    .parse(crow::host::tokenPayloadJson(*user, claims))
                    .extract<Poco::JSON::Object::Ptr>();
    auto fast = Poco::JSON::Parser(new Poco::JSON::ParseHandler(true)).parse(*spliced).extract<Poco::JSON::Object::Ptr>();
    std::vector<std::string> slowNames, fastNames;
    slow->getNames(slowNames);
    fast->getNames(fastNames);
    CPPUNIT_ASSERT(slowNames == fastNames);
    for (const auto& name : slowNames) {
      CPPUNIT_ASSERT_EQUAL_MESSAGE(name, slow->get(name).isEmpty(), fast->get(name).isEmpty());
      if (!slow->get(name).isEmpty())
        CPPUNIT_ASSERT_EQUAL_MESSAGE(name, slow->get(name).toString(), fast->get(name).toString());
    }
    (void)root;
  }

  void splicingRefusesWhatItCannotReadExactly() {
    const crow::host::TokenClaims claims{1, 900, "i", "a"};
    for (const char* body : {"null", "", "{}", "{\"session\":{}}", "{\"user\":null}", "{\"user\":{\"name\":\"x\"}}",
                             "{\"user\":{\"id\":7}}", "{\"user\":{\"id\":\"a\\\"b\"}}", "{\"user\":{\"id\":\"x\"",
                             "{\"session\":\"unterminated}"})
      CPPUNIT_ASSERT_MESSAGE(body, !crow::host::tokenPayloadFromSessionBody(body, claims).has_value());
  }

  void defaultsAreBetterAuths() {
    auto config = jwt_test::loadTestConfig("baseURL: http://localhost:3000/\n");
    const JwtOptions o = readJwtOptions(*config.auth, config.baseURL);
    CPPUNIT_ASSERT(o.enabled);
    CPPUNIT_ASSERT(o.algorithm == JwtAlgorithm::EdDSA);
    CPPUNIT_ASSERT_EQUAL(int64_t(900), o.expirationTimeS);
    CPPUNIT_ASSERT_EQUAL(std::string("http://localhost:3000"), o.issuer);
    CPPUNIT_ASSERT_EQUAL(std::string("http://localhost:3000"), o.audience);
    CPPUNIT_ASSERT(o.setJwtHeader);
    CPPUNIT_ASSERT_EQUAL(int64_t(2592000), o.gracePeriodS);
    CPPUNIT_ASSERT_EQUAL(int64_t(0), o.rotationIntervalS);
    CPPUNIT_ASSERT(o.privateKeyEncryption == PrivateKeyEncryption::Encrypted);
  }

  void everyOptionIsRead() {
    const JwtOptions o = optionsFrom(
        "    enabled: false\n    algorithm: RS256\n    expirationTime: 1h\n    issuer: https://issuer.example\n"
        "    audience: api\n    setJwtHeader: false\n    gracePeriod: 60\n    rotationInterval: 3600\n"
        "    encryptPrivateKeys: false\n    keyRefreshInterval: 0\n");
    CPPUNIT_ASSERT(!o.enabled);
    CPPUNIT_ASSERT(o.algorithm == JwtAlgorithm::RS256);
    CPPUNIT_ASSERT_EQUAL(int64_t(3600), o.expirationTimeS);
    CPPUNIT_ASSERT_EQUAL(std::string("https://issuer.example"), o.issuer);
    CPPUNIT_ASSERT_EQUAL(std::string("api"), o.audience);
    CPPUNIT_ASSERT(!o.setJwtHeader);
    CPPUNIT_ASSERT_EQUAL(int64_t(60), o.gracePeriodS);
    CPPUNIT_ASSERT_EQUAL(int64_t(3600), o.rotationIntervalS);
    CPPUNIT_ASSERT(o.privateKeyEncryption == PrivateKeyEncryption::Plain);
    CPPUNIT_ASSERT_EQUAL(int64_t(0), o.keyRefreshIntervalS);
    CPPUNIT_ASSERT_EQUAL(int64_t(900), optionsFrom("    expirationTime: 900\n").expirationTimeS);
  }

  void badOptionsFailAtTheirLine() {
    std::string e = optionsError("    algoritm: EdDSA\n");
    CPPUNIT_ASSERT_MESSAGE(e, e.find("test.yaml:4") != std::string::npos && e.find("algoritm") != std::string::npos);
    e = optionsError("    algorithm: HS256\n");
    CPPUNIT_ASSERT_MESSAGE(e, e.find("expected EdDSA, ES256 or RS256") != std::string::npos);
    e = optionsError("    expirationTime: 15 minutes\n");
    CPPUNIT_ASSERT_MESSAGE(e, e.find("expirationTime") != std::string::npos);
    e = optionsError("    gracePeriod: -1\n");
    CPPUNIT_ASSERT_MESSAGE(e, e.find("gracePeriod") != std::string::npos);
    e = optionsError("    setJwtHeader: maybe\n");
    CPPUNIT_ASSERT_MESSAGE(e, e.find("setJwtHeader") != std::string::npos);
  }

  void originDropsPathAndDefaultPort() {
    CPPUNIT_ASSERT_EQUAL(std::string("https://auth.example.com"), urlOrigin("HTTPS://Auth.Example.com:443/api/v1"));
    CPPUNIT_ASSERT_EQUAL(std::string("http://localhost:3000"), urlOrigin("http://localhost:3000/api/auth"));
    CPPUNIT_ASSERT_EQUAL(std::string("http://[::1]:8080"), urlOrigin("http://[::1]:8080"));
    CPPUNIT_ASSERT_EQUAL(std::string("http://example.com"), urlOrigin("http://user:pw@example.com:80?x=1"));
    CPPUNIT_ASSERT_EQUAL(std::string("https://auth.example.com"),
                         optionsFrom("    enabled: true\n", "https://auth.example.com/base").issuer);
  }

  void durations() {
    CPPUNIT_ASSERT_EQUAL(int64_t(900), *parseDurationSeconds("900"));
    CPPUNIT_ASSERT_EQUAL(int64_t(900), *parseDurationSeconds("15m"));
    CPPUNIT_ASSERT_EQUAL(int64_t(7200), *parseDurationSeconds("2h"));
    CPPUNIT_ASSERT_EQUAL(int64_t(604800), *parseDurationSeconds("7d"));
    CPPUNIT_ASSERT_EQUAL(int64_t(604800), *parseDurationSeconds("1w"));
    CPPUNIT_ASSERT(!parseDurationSeconds("0"));
    CPPUNIT_ASSERT(!parseDurationSeconds("-5m"));
    CPPUNIT_ASSERT(!parseDurationSeconds("m"));
    CPPUNIT_ASSERT(!parseDurationSeconds("1y"));
    CPPUNIT_ASSERT(!parseDurationSeconds("99999999999999999999"));
  }

  void jwksDocumentMatchesTheTranscript() {
    const auto document =
        buildJwksDocument({key(tv::kBetterAuthKid, "EdDSA", tv::kBetterAuthPublicKeyColumn, 1)}, {1000}, 2592000);
    CPPUNIT_ASSERT_EQUAL(std::string("{\"keys\":[{\"alg\":\"EdDSA\",\"crv\":\"Ed25519\",\"x\":"
                                     "\"M5PecjLziJf6crH5CUlHwW-YpCf9rsi87_JpyHmYBhE\",\"kty\":\"OKP\",\"kid\":"
                                     "\"jz8Fe8wBmJhABOWnpYqBgLxy9jnqQmWN\"}]}"),
                         document.json);
    CPPUNIT_ASSERT(!document.changesAt);
    CPPUNIT_ASSERT_EQUAL(std::string("{\"keys\":[]}"), buildJwksDocument({}, {0}, 0).json);
  }

  void jwksDocumentNeverHasPrivateMembers() {
    // Rows that wrongly hold private members in publicKey, in every key type.
    std::vector<StoredKey> keys{key("ed", "EdDSA", tv::kNodeEdDsaPrivateJwk, 1),
                                key("es", "ES256", tv::kNodeEs256PrivateJwk, 2),
                                key("rs", "RS256", tv::kNodeRs256PrivateJwk, 3),
                                key("broken", "EdDSA", "not json", 4)};
    const std::string json = buildJwksDocument(keys, {10}, 0).json;
    auto root = parse(json);
    auto entries = root->getArray("keys");
    CPPUNIT_ASSERT_EQUAL(size_t(3), entries->size());
    for (size_t i = 0; i < entries->size(); ++i) {
      auto entry = entries->getObject(static_cast<unsigned>(i));
      for (const char* member : {"d", "p", "q", "dp", "dq", "qi", "oth", "k"})
        CPPUNIT_ASSERT_MESSAGE(json, !entry->has(member));
      CPPUNIT_ASSERT(entry->has("kid") && entry->has("alg") && entry->has("kty"));
    }
    CPPUNIT_ASSERT(json.find("secret") == std::string::npos);
  }

  void retiredKeysLeaveAfterTheGracePeriod() {
    std::vector<StoredKey> keys{key("retired", "EdDSA", tv::kNodeEdDsaPublicJwk, 1, 10000),
                                key("current", "EdDSA", tv::kBetterAuthPublicKeyColumn, 2, 50000)};
    auto during = buildJwksDocument(keys, {10000 + 59999}, 60);
    CPPUNIT_ASSERT(during.json.find("\"retired\"") != std::string::npos);
    CPPUNIT_ASSERT(during.changesAt && during.changesAt->epochMs == 70000);
    auto after = buildJwksDocument(keys, {70000}, 60);  // expiresAt + grace <= now: hidden
    CPPUNIT_ASSERT(after.json.find("\"retired\"") == std::string::npos);
    CPPUNIT_ASSERT(after.json.find("\"current\"") != std::string::npos);
    CPPUNIT_ASSERT_EQUAL(int64_t(110000), after.changesAt->epochMs);
  }

  void payloadMatchesTheTranscriptByteForByte() {
    auto user = parse(R"({"name":"Alice A","email":"alice@example.com","emailVerified":true,)"
                      R"("image":"https://img/x.png","createdAt":"2026-11-28T17:44:21.383Z",)"
                      R"("updatedAt":"2026-11-28T17:44:23.097Z","id":"yO3R7F2Yo2ncv4gYZz80lax1y0htuDA5"})");
    const std::string payload =
        tokenPayloadJson(*user, TokenClaims{1795887863, 900, "http://localhost:3000", "http://localhost:3000"});
    CPPUNIT_ASSERT_EQUAL(std::string(tv::kBetterAuthTokenPayloadJson), payload);
    auto noId = parse(R"({"name":"x"})");
    CPPUNIT_ASSERT_THROW(tokenPayloadJson(*noId, TokenClaims{}), std::invalid_argument);
  }

  void tokenCacheSignsOncePerSecondAndClaims() {
    TokenCache cache(2);
    int signatures = 0;
    auto sign = [&] { return "t" + std::to_string(++signatures); };
    CPPUNIT_ASSERT_EQUAL(std::string("t1"), cache.get(100, "k", "{a}", sign));
    CPPUNIT_ASSERT_EQUAL(std::string("t1"), cache.get(100, "k", "{a}", sign));
    CPPUNIT_ASSERT_EQUAL(std::string("t2"), cache.get(100, "k2", "{a}", sign));  // another key
    CPPUNIT_ASSERT_EQUAL(std::string("t3"), cache.get(100, "k", "{b}", sign));   // other claims; cache full
    CPPUNIT_ASSERT_EQUAL(std::string("t4"), cache.get(100, "k", "{b}", sign));   // not kept beyond capacity
    CPPUNIT_ASSERT_EQUAL(std::string("t5"), cache.get(101, "k", "{a}", sign));   // a new second starts empty
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(JwtPartsTest);
