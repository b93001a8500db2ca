// JwtCore end to end below HTTP: the routes and the get-session hook it registers, called with
// requests that carry a real signed session cookie, over a real SQLite database.
#include "jwt_fixture.hpp"

#include "../crypto/independent_vectors.hpp"
#include "auth/session_service.hpp"
#include "crypto/signed_cookie.hpp"
#include "jwt/jwk.hpp"
#include "jwt/jwt_claims.hpp"
#include "jwt/jwt_core.hpp"
#include "jwt/jwt_signer.hpp"

#include "crow/error.hpp"

#include <Poco/JSON/Parser.h>
#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>

using namespace crow::host;
namespace tv = crow::test_vectors;

namespace {

const std::string kUserId = "yO3R7F2Yo2ncv4gYZz80lax1y0htuDA5";
const std::string kSessionToken = "WRc2sVk2FH6I46mejY7jMlCfXR2eRTnv";

Poco::JSON::Object::Ptr parse(const std::string& json) {
  Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(true));
  return parser.parse(json).extract<Poco::JSON::Object::Ptr>();
}

std::string base64UrlPart(const std::string& token, int index) {
  size_t start = 0;
  for (int i = 0; i < index; ++i) start = token.find('.', start) + 1;
  return token.substr(start, token.find('.', start) - start);
}

// The transcript's user (after update-user) and a live session for it.
void seedAlice(crow::Store& store, int64_t nowMs) {
  store.create("user", {{"id", kUserId},
                        {"name", std::string("Alice A")},
                        {"email", std::string("alice@example.com")},
                        {"emailVerified", true},
                        {"image", std::string("https://img/x.png")},
                        {"createdAt", *crow::parseIsoString("2026-11-28T17:44:21.383Z")},
                        {"updatedAt", *crow::parseIsoString("2026-11-28T17:44:23.097Z")}});
  store.create("session", {{"id", std::string("1V57NrL3ImoWF2RVTOicV4evtnkiZAhA")},
                           {"token", kSessionToken},
                           {"userId", kUserId},
                           {"expiresAt", crow::Timestamp{nowMs + 7 * 86400000LL}},
                           {"createdAt", crow::Timestamp{nowMs}},
                           {"updatedAt", crow::Timestamp{nowMs}},
                           {"ipAddress", std::string("")},
                           {"userAgent", std::string("")}});
}

void insertBetterAuthKey(crow::Store& store) {
  store.create("jwks", {{"id", std::string(tv::kBetterAuthKid)},
                        {"publicKey", std::string(tv::kBetterAuthPublicKeyColumn)},
                        {"privateKey", std::string(tv::kBetterAuthPrivateKeyColumn)},
                        {"createdAt", *crow::parseIsoString("2026-11-28T17:44:21.952Z")},
                        {"alg", std::string("EdDSA")},
                        {"crv", std::string("Ed25519")}});
}

crow::Request withSessionCookie() {
  crow::Request request;
  request.headers.emplace_back(
      "cookie", "better-auth.session_token=" + encodeCookieValue(signCookieValue(kSessionToken, tv::kBetterAuthSecret)));
  return request;
}

// One crow-auth instance: config, sessions, JwtCore and what it registered.
struct Instance {
  AppConfig config;
  jwt_test::TestClock& clock;
  SessionService sessions;
  JwtCore jwt;
  jwt_test::RecordingContext context;

  Instance(const std::string& authBlock, crow::Store& store, jwt_test::TestClock& c)
      : config(jwt_test::configWithAuth(authBlock)),
        clock(c),
        sessions(store, c, config.secret, SessionOptions{}),
        jwt(config, std::make_shared<const SchemaCatalog>(jwt_test::coreTables()), sessions),
        context(config, store, c) {}

  void init() { jwt.init(context); }

  std::string token() {
    crow::Response response = context.call(crow::Method::Get, "/token", withSessionCookie());
    CPPUNIT_ASSERT_EQUAL(200, response.status);
    CPPUNIT_ASSERT_EQUAL(std::string("application/json"), response.contentType.substr(0, 16));
    return parse(response.body)->getValue<std::string>("token");
  }

  Poco::JSON::Object::Ptr jwks() {
    crow::Response response = context.call(crow::Method::Get, "/jwks");
    CPPUNIT_ASSERT_EQUAL(200, response.status);
    CPPUNIT_ASSERT_EQUAL(std::string("application/json"), response.contentType);
    return parse(response.body);
  }

  std::vector<std::string> publishedKids() {
    std::vector<std::string> kids;
    auto keys = jwks()->getArray("keys");
    for (size_t i = 0; i < keys->size(); ++i) kids.push_back(keys->getObject(unsigned(i))->getValue<std::string>("kid"));
    return kids;
  }

  // Verifies `token` as a relying party does: the key named by its kid in /jwks, the algorithm
  // that key is published for, then jose's claim checks with Better Auth's issuer and audience.
  std::optional<Poco::JSON::Object::Ptr> verify(const std::string& token) {
    auto header = readJwtHeaderUnverified(token);
    if (!header) return std::nullopt;
    auto keys = jwks()->getArray("keys");
    for (size_t i = 0; i < keys->size(); ++i) {
      auto entry = keys->getObject(unsigned(i));
      if (entry->getValue<std::string>("kid") != (*header)->optValue<std::string>("kid", "")) continue;
      auto alg = parseAlgorithm(entry->getValue<std::string>("alg"));
      auto key = importJwk(*entry);
      auto payload = verifyJwt(token, key.get(), *alg);
      if (!payload) return std::nullopt;
      JwtClaimRules rules;
      rules.nowSeconds = clock.now().epochMs / 1000;
      rules.issuer = "http://localhost:3000";
      rules.audience = "http://localhost:3000";
      rules.requireSubject = true;
      if (!claimsAcceptable(**payload, rules)) return std::nullopt;
      return payload;
    }
    return std::nullopt;
  }
};

std::string joined(const std::vector<std::string>& list) {
  std::string out;
  for (const auto& item : list) out += (out.empty() ? "" : ",") + item;
  return out;
}

bool contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

}  // namespace

class JwtCoreTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(JwtCoreTest);
  CPPUNIT_TEST(registersRoutesAndHook);
  CPPUNIT_TEST(disabledRegistersNothingAndMakesNoKey);
  CPPUNIT_TEST(tokenWithoutSessionIsUnauthorized);
  CPPUNIT_TEST(betterAuthKeyReproducesTheTranscriptToken);
  CPPUNIT_TEST(eachAlgorithmSignsWhatItsPublishedKeyVerifies);
  CPPUNIT_TEST(tamperedTokensAreRejected);
  CPPUNIT_TEST(jwksNeverHasPrivateMembers);
  CPPUNIT_TEST(jwksIsServedFromMemory);
  CPPUNIT_TEST(setAuthJwtHeaderOnGetSession);
  CPPUNIT_TEST(setJwtHeaderFalseRegistersNoHook);
  CPPUNIT_TEST(rotationKeepsRetiredKeyForTheGracePeriod);
  CPPUNIT_TEST(expiredKeyIsReplacedAutomatically);
  CPPUNIT_TEST(keyAddedByAnotherInstanceIsPublishedAfterRefresh);
  CPPUNIT_TEST(configuredClaims);
  CPPUNIT_TEST(wrongSecretStopsStartUp);
  CPPUNIT_TEST(plainPrivateKeysWhenEncryptionIsOff);
  CPPUNIT_TEST_SUITE_END();

 public:
  void registersRoutesAndHook() {
    jwt_test::SqliteDatabase db;
    jwt_test::TestClock clock;
    Instance a("", *db.store, clock);
    a.init();
    CPPUNIT_ASSERT(a.context.hasRoute(crow::Method::Get, "/token"));
    CPPUNIT_ASSERT(a.context.hasRoute(crow::Method::Get, "/jwks"));
    CPPUNIT_ASSERT_EQUAL(size_t(1), a.context.afterHookCount());
    CPPUNIT_ASSERT_EQUAL(int64_t(1), db.store->count("jwks", {}));  // made at start-up, not lazily
  }

  void disabledRegistersNothingAndMakesNoKey() {
    jwt_test::SqliteDatabase db;
    jwt_test::TestClock clock;
    Instance a("  jwt:\n    enabled: false\n", *db.store, clock);
    a.init();
    CPPUNIT_ASSERT(!a.context.hasRoute(crow::Method::Get, "/token"));
    CPPUNIT_ASSERT(!a.context.hasRoute(crow::Method::Get, "/jwks"));
    CPPUNIT_ASSERT_EQUAL(size_t(0), a.context.afterHookCount());
    CPPUNIT_ASSERT_EQUAL(int64_t(0), db.store->count("jwks", {}));
  }

  void tokenWithoutSessionIsUnauthorized() {
    jwt_test::SqliteDatabase db;
    jwt_test::TestClock clock;
    seedAlice(*db.store, clock.now().epochMs);
    Instance a("", *db.store, clock);
    a.init();
    try {
      a.context.call(crow::Method::Get, "/token");
      CPPUNIT_FAIL("no 401");
    } catch (const crow::ApiError& e) {
      CPPUNIT_ASSERT_EQUAL(401, e.status());
      CPPUNIT_ASSERT_EQUAL(std::string("UNAUTHORIZED"), e.code());
      CPPUNIT_ASSERT_EQUAL(std::string("Unauthorized"), e.message());
    }
    crow::Request forged;
    forged.headers.emplace_back("cookie", "better-auth.session_token=" + kSessionToken + ".AAAA");
    CPPUNIT_ASSERT_THROW(a.context.call(crow::Method::Get, "/token", forged), crow::ApiError);
  }

  void betterAuthKeyReproducesTheTranscriptToken() {
    jwt_test::SqliteDatabase db;
    jwt_test::TestClock clock(jwt_test::kTranscriptIatMs);
    insertBetterAuthKey(*db.store);
    seedAlice(*db.store, clock.now().epochMs);
    Instance a("", *db.store, clock);
    a.init();
    CPPUNIT_ASSERT_EQUAL(int64_t(1), db.store->count("jwks", {}));  // Better Auth's key is used, none added
    crow::Response response = a.context.call(crow::Method::Get, "/token", withSessionCookie());
    CPPUNIT_ASSERT_EQUAL(std::string("{\"token\":\"") + tv::kBetterAuthToken + "\"}", response.body);
    crow::Response jwks = a.context.call(crow::Method::Get, "/jwks");
    CPPUNIT_ASSERT_EQUAL(std::string("{\"keys\":[{\"alg\":\"EdDSA\",\"crv\":\"Ed25519\",\"x\":"
                                     "\"M5PecjLziJf6crH5CUlHwW-YpCf9rsi87_JpyHmYBhE\",\"kty\":\"OKP\",\"kid\":"
                                     "\"jz8Fe8wBmJhABOWnpYqBgLxy9jnqQmWN\"}]}"),
                         jwks.body);
  }

  void eachAlgorithmSignsWhatItsPublishedKeyVerifies() {
    const std::vector<std::pair<std::string, std::string>> cases{{"EdDSA", "OKP"}, {"ES256", "EC"}, {"RS256", "RSA"}};
    for (const auto& [alg, kty] : cases) {
      jwt_test::SqliteDatabase db;
      jwt_test::TestClock clock;
      seedAlice(*db.store, clock.now().epochMs);
      Instance a("  jwt:\n    algorithm: " + alg + "\n", *db.store, clock);
      a.init();
      const std::string token = a.token();
      auto header = readJwtHeaderUnverified(token);
      CPPUNIT_ASSERT_EQUAL(alg, (*header)->getValue<std::string>("alg"));
      auto entry = a.jwks()->getArray("keys")->getObject(0);
      CPPUNIT_ASSERT_EQUAL(alg, entry->getValue<std::string>("alg"));
      CPPUNIT_ASSERT_EQUAL(kty, entry->getValue<std::string>("kty"));
      CPPUNIT_ASSERT_EQUAL(entry->getValue<std::string>("kid"), (*header)->getValue<std::string>("kid"));

      auto payload = a.verify(token);
      CPPUNIT_ASSERT_MESSAGE(alg + " token does not verify", payload);
      const auto names = (*payload)->getNames();
      const std::vector<std::string> expected{"iat",       "name",      "email", "emailVerified", "image", "createdAt",
                                              "updatedAt", "id",        "sub",   "exp",           "iss",   "aud"};
      CPPUNIT_ASSERT(expected == std::vector<std::string>(names.begin(), names.end()));
      const int64_t iat = (*payload)->getValue<int64_t>("iat");
      CPPUNIT_ASSERT_EQUAL(clock.now().epochMs / 1000, iat);
      CPPUNIT_ASSERT_EQUAL(iat + 900, (*payload)->getValue<int64_t>("exp"));
      CPPUNIT_ASSERT_EQUAL(kUserId, (*payload)->getValue<std::string>("sub"));
      CPPUNIT_ASSERT_EQUAL(kUserId, (*payload)->getValue<std::string>("id"));
      CPPUNIT_ASSERT_EQUAL(std::string("alice@example.com"), (*payload)->getValue<std::string>("email"));
      CPPUNIT_ASSERT((*payload)->getValue<bool>("emailVerified"));

      // 15 minutes later the token is expired for a verifier.
      clock.advanceSeconds(900);
      CPPUNIT_ASSERT(!a.verify(token));
    }
  }

  void tamperedTokensAreRejected() {
    jwt_test::SqliteDatabase db;
    jwt_test::TestClock clock;
    seedAlice(*db.store, clock.now().epochMs);
    Instance a("", *db.store, clock);
    a.init();
    const std::string token = a.token();
    CPPUNIT_ASSERT(a.verify(token));
    // Another user id in the payload, signature kept.
    const std::string payloadPart = base64UrlPart(token, 1);
    std::string forgedPayload = payloadPart;
    forgedPayload[forgedPayload.size() / 2] = forgedPayload[forgedPayload.size() / 2] == 'A' ? 'B' : 'A';
    std::string forged = token;
    forged.replace(forged.find(payloadPart), payloadPart.size(), forgedPayload);
    CPPUNIT_ASSERT(!a.verify(forged));
    // A flipped signature bit; a truncated token; alg "none".
    std::string badSignature = token;
    badSignature[badSignature.size() - 3] = badSignature[badSignature.size() - 3] == 'A' ? 'B' : 'A';
    CPPUNIT_ASSERT(!a.verify(badSignature));
    CPPUNIT_ASSERT(!a.verify(token.substr(0, token.rfind('.'))));
    CPPUNIT_ASSERT(!a.verify("eyJhbGciOiJub25lIiwia2lkIjoieCJ9." + payloadPart + "."));
    // Signed by a key that is not published.
    auto stranger = generateKeyPair(JwtAlgorithm::EdDSA);
    const std::string headerPart = base64UrlPart(token, 0);
    auto header = readJwtHeaderUnverified(token);
    const std::string strangerToken =
        signJwt(R"({"alg":"EdDSA","kid":")" + (*header)->getValue<std::string>("kid") + "\"}",
                R"({"sub":"someone-else","iat":1,"exp":99999999999,"iss":"http://localhost:3000","aud":"http://localhost:3000"})",
                stranger.get());
    CPPUNIT_ASSERT(!a.verify(strangerToken));
  }

  void jwksNeverHasPrivateMembers() {
    jwt_test::SqliteDatabase db;
    jwt_test::TestClock clock;
    Instance a("  jwt:\n    algorithm: RS256\n", *db.store, clock);
    a.init();
    a.jwt.rotate();
    clock.advanceSeconds(1);
    a.jwt.rotate();
    crow::Response response = a.context.call(crow::Method::Get, "/jwks");
    auto keys = parse(response.body)->getArray("keys");
    CPPUNIT_ASSERT_EQUAL(size_t(3), keys->size());
    for (size_t i = 0; i < keys->size(); ++i) {
      auto entry = keys->getObject(unsigned(i));
      for (const char* member : {"d", "p", "q", "dp", "dq", "qi", "oth", "k"})
        CPPUNIT_ASSERT_MESSAGE(response.body, !entry->has(member));
      const std::vector<std::string> expected{"alg", "kty", "n", "e", "kid"};
      const auto names = entry->getNames();
      CPPUNIT_ASSERT(expected == std::vector<std::string>(names.begin(), names.end()));
    }
    CPPUNIT_ASSERT(response.body.find("privateKey") == std::string::npos);
  }

  void jwksIsServedFromMemory() {
    jwt_test::SqliteDatabase db;
    jwt_test::TestClock clock;
    Instance a("", *db.store, clock);
    a.init();
    const std::string before = a.context.call(crow::Method::Get, "/jwks").body;
    // The table changes behind the instance's back: within the refresh interval the cached
    // document is served as it was, so no request reads the database.
    db.store->remove("jwks", {});
    for (int i = 0; i < 3; ++i) CPPUNIT_ASSERT_EQUAL(before, a.context.call(crow::Method::Get, "/jwks").body);
    clock.advanceSeconds(10);  // keyRefreshInterval: re-read, and a key is made again
    const std::string after = a.context.call(crow::Method::Get, "/jwks").body;
    CPPUNIT_ASSERT(after != before);
    CPPUNIT_ASSERT_EQUAL(int64_t(1), db.store->count("jwks", {}));
  }

  void setAuthJwtHeaderOnGetSession() {
    jwt_test::SqliteDatabase db;
    jwt_test::TestClock clock;
    seedAlice(*db.store, clock.now().epochMs);
    Instance a("", *db.store, clock);
    a.init();

    crow::Request request = withSessionCookie();
    request.method = crow::Method::Get;
    request.path = "/get-session";
    crow::Response response;
    response.status = 200;
    response.contentType = "application/json";
    response.body = R"({"session":{"token":"x","userId":")" + kUserId +
                    R"(","id":"s"},"user":{"name":"Alice A","email":"alice@example.com","emailVerified":true,)"
                    R"("image":"https://img/x.png","createdAt":"2026-11-28T17:44:21.383Z",)"
                    R"("updatedAt":"2026-11-28T17:44:23.097Z","id":")" +
                    kUserId + R"("}})";
    response.setHeader("Access-Control-Expose-Headers", "set-auth-token");
    a.context.runAfterHooks(request, response);
    const std::string* header = response.header("set-auth-jwt");
    CPPUNIT_ASSERT(header);
    CPPUNIT_ASSERT_EQUAL(std::string("set-auth-token, set-auth-jwt"), *response.header("access-control-expose-headers"));
    auto payload = a.verify(*header);
    CPPUNIT_ASSERT(payload);
    CPPUNIT_ASSERT_EQUAL(kUserId, (*payload)->getValue<std::string>("sub"));
    // The same claims as /token gives in the same second: the same token.
    CPPUNIT_ASSERT_EQUAL(a.token(), *header);

    crow::Response none;
    none.status = 200;
    none.body = "null";
    a.context.runAfterHooks(request, none);
    CPPUNIT_ASSERT(!none.header("set-auth-jwt"));
    CPPUNIT_ASSERT(!none.header("access-control-expose-headers"));

    crow::Response failed;
    failed.status = 401;
    failed.body = response.body;
    a.context.runAfterHooks(request, failed);
    CPPUNIT_ASSERT(!failed.header("set-auth-jwt"));

    crow::Response other = response;
    other.headers.clear();
    crow::Request elsewhere = request;
    elsewhere.path = "/get-session-list";
    a.context.runAfterHooks(elsewhere, other);
    CPPUNIT_ASSERT(!other.header("set-auth-jwt"));
  }

  void setJwtHeaderFalseRegistersNoHook() {
    jwt_test::SqliteDatabase db;
    jwt_test::TestClock clock;
    Instance a("  jwt:\n    setJwtHeader: false\n", *db.store, clock);
    a.init();
    CPPUNIT_ASSERT_EQUAL(size_t(0), a.context.afterHookCount());
    CPPUNIT_ASSERT(a.context.hasRoute(crow::Method::Get, "/token"));
  }

  void rotationKeepsRetiredKeyForTheGracePeriod() {
    jwt_test::SqliteDatabase db;
    jwt_test::TestClock clock;
    seedAlice(*db.store, clock.now().epochMs);
    Instance a("  jwt:\n    gracePeriod: 3600\n    keyRefreshInterval: 0\n", *db.store, clock);
    a.init();
    const std::string firstToken = a.token();
    const std::string firstKid = a.publishedKids().at(0);

    clock.advanceSeconds(5);
    const std::string newKid = a.jwt.rotate();
    CPPUNIT_ASSERT(newKid != firstKid);
    // Published at once, both of them; new tokens use the new key; old tokens still verify.
    CPPUNIT_ASSERT(contains(a.publishedKids(), firstKid) && contains(a.publishedKids(), newKid));
    const std::string secondToken = a.token();
    CPPUNIT_ASSERT_EQUAL(newKid, (*readJwtHeaderUnverified(secondToken))->getValue<std::string>("kid"));
    CPPUNIT_ASSERT(a.verify(firstToken));
    CPPUNIT_ASSERT(a.verify(secondToken));

    clock.advanceSeconds(3599);  // one second before the grace period ends
    CPPUNIT_ASSERT(contains(a.publishedKids(), firstKid));
    clock.advanceSeconds(1);     // retired key's expiresAt + gracePeriod <= now: hidden
    CPPUNIT_ASSERT_EQUAL(newKid, joined(a.publishedKids()));
    CPPUNIT_ASSERT_EQUAL(int64_t(2), db.store->count("jwks", {}));  // hidden, not deleted
  }

  void expiredKeyIsReplacedAutomatically() {
    jwt_test::SqliteDatabase db;
    jwt_test::TestClock clock;
    seedAlice(*db.store, clock.now().epochMs);
    Instance a("  jwt:\n    rotationInterval: 60\n    gracePeriod: 120\n    keyRefreshInterval: 0\n", *db.store,
               clock);
    a.init();
    auto kidOf = [](const std::string& token) {
      return (*readJwtHeaderUnverified(token))->getValue<std::string>("kid");
    };
    const std::string first = kidOf(a.token());
    clock.advanceSeconds(59);
    CPPUNIT_ASSERT_EQUAL(first, kidOf(a.token()));
    clock.advanceSeconds(1);  // expiresAt reached
    const std::string token = a.token();
    const std::string second = kidOf(token);
    CPPUNIT_ASSERT(second != first);
    CPPUNIT_ASSERT(a.verify(token));
    CPPUNIT_ASSERT_EQUAL(int64_t(2), db.store->count("jwks", {}));
    CPPUNIT_ASSERT(contains(a.publishedKids(), first));
    clock.advanceSeconds(120);  // first: expiresAt + grace passed; second has expired too
    const std::string third = kidOf(a.token());
    CPPUNIT_ASSERT(third != second);
    const auto kids = a.publishedKids();
    CPPUNIT_ASSERT(!contains(kids, first) && contains(kids, second) && contains(kids, third));
  }

  void keyAddedByAnotherInstanceIsPublishedAfterRefresh() {
    jwt_test::SqliteDatabase db;
    jwt_test::TestClock clock;
    seedAlice(*db.store, clock.now().epochMs);
    std::vector<std::unique_ptr<crow::Backend>> backends;
    auto otherStore = db.openAnotherInstance(backends);
    Instance a("", *db.store, clock);
    Instance b("", *otherStore, clock);
    a.init();
    b.init();
    CPPUNIT_ASSERT_EQUAL(int64_t(1), db.store->count("jwks", {}));  // b found a's key
    CPPUNIT_ASSERT_EQUAL(joined(a.publishedKids()), joined(b.publishedKids()));

    clock.advanceSeconds(1);
    const std::string rotated = b.jwt.rotate();  // `crow-auth jwks rotate` in another process
    CPPUNIT_ASSERT(!contains(a.publishedKids(), rotated));
    clock.advanceSeconds(8);  // 9 s since a read the table
    CPPUNIT_ASSERT(!contains(a.publishedKids(), rotated));
    clock.advanceSeconds(1);  // keyRefreshInterval (10 s) since a's last read
    CPPUNIT_ASSERT(contains(a.publishedKids(), rotated));
    CPPUNIT_ASSERT_EQUAL(rotated, (*readJwtHeaderUnverified(a.token()))->getValue<std::string>("kid"));
  }

  void configuredClaims() {
    jwt_test::SqliteDatabase db;
    jwt_test::TestClock clock;
    seedAlice(*db.store, clock.now().epochMs);
    Instance a("  jwt:\n    expirationTime: 1h\n    issuer: https://issuer.example\n    audience: my-api\n",
               *db.store, clock);
    a.init();
    const std::string token = a.token();
    auto decoded = verifyJwt(token, importJwk(*a.jwks()->getArray("keys")->getObject(0)).get(), JwtAlgorithm::EdDSA);
    CPPUNIT_ASSERT(decoded);
    CPPUNIT_ASSERT_EQUAL(std::string("https://issuer.example"), (*decoded)->getValue<std::string>("iss"));
    CPPUNIT_ASSERT_EQUAL(std::string("my-api"), (*decoded)->getValue<std::string>("aud"));
    CPPUNIT_ASSERT_EQUAL((*decoded)->getValue<int64_t>("iat") + 3600, (*decoded)->getValue<int64_t>("exp"));
  }

  void wrongSecretStopsStartUp() {
    jwt_test::SqliteDatabase db;
    jwt_test::TestClock clock;
    insertBetterAuthKey(*db.store);
    Instance a("", *db.store, clock);
    a.config.secret = "a-different-secret-0123456789abcdefghijkl";
    try {
      a.init();
      CPPUNIT_FAIL("started with a key it cannot decrypt");
    } catch (const crow::ConfigError& e) {
      const std::string message = e.what();
      CPPUNIT_ASSERT_MESSAGE(message, message.find("BETTER_AUTH_SECRET") != std::string::npos);
      CPPUNIT_ASSERT_MESSAGE(message, message.find(tv::kBetterAuthKid) != std::string::npos);
      CPPUNIT_ASSERT(message.find(a.config.secret) == std::string::npos);
    }
    CPPUNIT_ASSERT_EQUAL(int64_t(1), db.store->count("jwks", {}));
  }

  void plainPrivateKeysWhenEncryptionIsOff() {
    jwt_test::SqliteDatabase db;
    jwt_test::TestClock clock;
    seedAlice(*db.store, clock.now().epochMs);
    Instance a("  jwt:\n    encryptPrivateKeys: false\n", *db.store, clock);
    a.init();
    auto row = db.store->findMany("jwks", {}).at(0);
    const std::string privateKey = *crow::asString(crow::field(row, "privateKey"));
    CPPUNIT_ASSERT_EQUAL(std::string("{\"crv\":\"Ed25519\",\"d\":"), privateKey.substr(0, 21));
    CPPUNIT_ASSERT(a.verify(a.token()));
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(JwtCoreTest);
