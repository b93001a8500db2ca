// POST /api-key/verify through the real binary: the service-key guard, every branch of Better
// Auth's verify algorithm, bad keys, the batched usage counts of fast-path keys, and the races on
// `remaining` and the per-key rate limit (SQLite, and PostgreSQL when CROW_TEST_POSTGRES_URL is set).
#include "api_key_http_support.hpp"

using namespace api_key_test;

class ApiKeyVerifyTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(ApiKeyVerifyTest);
  CPPUNIT_TEST(verifyIsNeverOpenWithoutServiceAuth);
  CPPUNIT_TEST(verifyFollowsTheAlgorithm);
  CPPUNIT_TEST(badKeysAreInvalid);
  CPPUNIT_TEST(fastPathCountsAreFlushed);
  CPPUNIT_TEST(racesOnSqlite);
  CPPUNIT_TEST(racesOnPostgres);
  CPPUNIT_TEST_SUITE_END();

 public:
  // A config that forgot service-auth still does not open verify to anyone: the route checks
  // X-Service-API-Key against the host's inboundKeys itself.
  void verifyIsNeverOpenWithoutServiceAuth() {
    const std::string config = "inboundKeys:\n  gateway: \"" + kGatewayKey + "\"\n"
                               "plugins:\n  - id: api-key\n    config:\n      enableSessionForAPIKeys: true\n";
    ServedCrow server(ServeOptions{config});
    Client alice{server, server.signUp("alice@example.com")};
    const Created k = create(alice, R"({"name":"srv"})");
    const std::string body = R"({"key":")" + k.key + R"("})";
    expectError(server.postJson("/api-key/verify", body), 401, "MISSING_SERVICE_KEY");
    expectError(server.postJson("/api-key/verify", body, {{"X-Service-API-Key", kGatewayKey + "x"}}), 401,
                "INVALID_SERVICE_KEY");
    Reply ok = server.postJson("/api-key/verify", body, {{"X-Service-API-Key", kGatewayKey}});
    CPPUNIT_ASSERT_EQUAL_MESSAGE(ok.body, std::string("valid"), outcome(ok));
  }

  // Each branch is reached by editing the row behind the server's back, so the verify cache is
  // off here: api_key_verify_cache_test.cpp covers the cached path.
  void verifyFollowsTheAlgorithm() {
    ServedCrow server(ServeOptions{yaml("      verifyCacheMs: 0\n")});
    Client alice{server, server.signUp("alice@example.com")};
    const Created k = create(alice, R"({"name":"srv"})");

    // The route is internal: service-auth wants the gateway's key.
    CPPUNIT_ASSERT_EQUAL(401, server.postJson("/api-key/verify", R"({"key":")" + k.key + R"("})").status);
    Reply ok = verifyKey(server, k.key);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(ok.body, std::string("valid"), outcome(ok));
    auto answer = ordered(ok.body);
    CPPUNIT_ASSERT_EQUAL(std::string("valid,error,key,"), join(keysOf(answer)));
    CPPUNIT_ASSERT(answer->isNull("error"));
    CPPUNIT_ASSERT_EQUAL(join(kRecordOrder), join(keysOf(answer->getObject("key"))));
    CPPUNIT_ASSERT_EQUAL(1, answer->getObject("key")->getValue<int>("requestCount"));
    CPPUNIT_ASSERT(!answer->getObject("key")->isNull("lastRequest"));
    CPPUNIT_ASSERT_EQUAL(std::string("1"), sql(server, "", "SELECT requestCount FROM apikey WHERE id='" + k.id + "'"));

    // Per-key rate limit: the window counts from the last allowed request.
    sql(server, "", "UPDATE apikey SET rateLimitMax=2 WHERE id='" + k.id + "'");
    CPPUNIT_ASSERT_EQUAL(std::string("valid"), outcome(verifyKey(server, k.key)));
    Reply limited = verifyKey(server, k.key);
    CPPUNIT_ASSERT_EQUAL(std::string("RATE_LIMITED"), outcome(limited));
    auto error = ordered(limited.body)->getObject("error");
    CPPUNIT_ASSERT_EQUAL(std::string("message,code,details,"), join(keysOf(error)));
    CPPUNIT_ASSERT_EQUAL(std::string("Rate limit exceeded."), error->getValue<std::string>("message"));
    const int64_t tryAgainIn = error->getObject("details")->getValue<int64_t>("tryAgainIn");
    CPPUNIT_ASSERT_MESSAGE(limited.body, tryAgainIn > 86'000'000 && tryAgainIn <= 86'400'000);
    // A window that has passed starts again at 1.
    sql(server, "", "UPDATE apikey SET lastRequest='2001-01-01T00:00:00.000Z' WHERE id='" + k.id + "'");
    Reply again = verifyKey(server, k.key);
    CPPUNIT_ASSERT_EQUAL(std::string("valid"), outcome(again));
    CPPUNIT_ASSERT_EQUAL(1, object(again)->getObject("key")->getValue<int>("requestCount"));

    // Permissions: every requested resource with every requested action.
    sql(server, "", "UPDATE apikey SET rateLimitEnabled=0, permissions='{\\\"files\\\":[\\\"read\\\",\\\"write\\\"]}' WHERE id='" + k.id + "'");
    Reply allowed = verify(server, R"({"key":")" + k.key + R"(","permissions":{"files":["read","write"]}})");
    CPPUNIT_ASSERT_EQUAL_MESSAGE(allowed.body, std::string("valid"), outcome(allowed));
    CPPUNIT_ASSERT_EQUAL(std::string("read"),
                         object(allowed)->getObject("key")->getObject("permissions")->getArray("files")->getElement<std::string>(0));
    CPPUNIT_ASSERT_EQUAL(std::string("KEY_NOT_FOUND"),
                         outcome(verify(server, R"({"key":")" + k.key + R"(","permissions":{"files":["delete"]}})")));
    CPPUNIT_ASSERT_EQUAL(std::string("KEY_NOT_FOUND"),
                         outcome(verify(server, R"({"key":")" + k.key + R"(","permissions":{"users":["read"]}})")));
    const Created plain = create(alice);
    CPPUNIT_ASSERT_EQUAL(std::string("KEY_NOT_FOUND"),
                         outcome(verify(server, R"({"key":")" + plain.key + R"(","permissions":{"files":["read"]}})")));
    expectError(verify(server, R"({"key":")" + k.key + R"(","permissions":{"files":"read"}})"), 400, "VALIDATION_ERROR");

    // Disabled, then enabled again: each takes effect on the very next verify.
    CPPUNIT_ASSERT_EQUAL(200, alice.post("update", R"({"keyId":")" + k.id + R"(","enabled":false})").status);
    Reply disabled = verifyKey(server, k.key);
    CPPUNIT_ASSERT_EQUAL(std::string("KEY_DISABLED"), outcome(disabled));
    CPPUNIT_ASSERT_EQUAL(std::string("API Key is disabled"),
                         object(disabled)->getObject("error")->getValue<std::string>("message"));
    CPPUNIT_ASSERT_EQUAL(200, alice.post("update", R"({"keyId":")" + k.id + R"(","enabled":true})").status);
    CPPUNIT_ASSERT_EQUAL(std::string("valid"), outcome(verifyKey(server, k.key)));

    // remaining 2: two uses, then USAGE_EXCEEDED and the key is deleted (Better Auth's transcript).
    sql(server, "", "UPDATE apikey SET remaining=2 WHERE id='" + k.id + "'");
    CPPUNIT_ASSERT_EQUAL(1, object(verifyKey(server, k.key))->getObject("key")->getValue<int>("remaining"));
    CPPUNIT_ASSERT_EQUAL(0, object(verifyKey(server, k.key))->getObject("key")->getValue<int>("remaining"));
    Reply exhausted = verifyKey(server, k.key);
    CPPUNIT_ASSERT_EQUAL(std::string("USAGE_EXCEEDED"), outcome(exhausted));
    CPPUNIT_ASSERT_EQUAL(std::string("0"), sql(server, "", "SELECT COUNT(*) FROM apikey WHERE id='" + k.id + "'"));
    CPPUNIT_ASSERT_EQUAL(std::string("INVALID_API_KEY"), outcome(verifyKey(server, k.key)));

    // Refill: an exhausted key whose interval has passed gets refillAmount - 1.
    const Created r = create(alice);
    sql(server, "", "UPDATE apikey SET rateLimitEnabled=0, remaining=0, refillAmount=3, refillInterval=1000, "
                    "lastRefillAt='2001-01-01T00:00:00.000Z' WHERE id='" + r.id + "'");
    Reply refilled = verifyKey(server, r.key);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(refilled.body, std::string("valid"), outcome(refilled));
    CPPUNIT_ASSERT_EQUAL(2, object(refilled)->getObject("key")->getValue<int>("remaining"));
    CPPUNIT_ASSERT_EQUAL(1, object(verifyKey(server, r.key))->getObject("key")->getValue<int>("remaining"));

    // Expired: KEY_EXPIRED and the row goes.
    const Created e = create(alice);
    sql(server, "", "UPDATE apikey SET expiresAt='2001-01-01T00:00:00.000Z' WHERE id='" + e.id + "'");
    CPPUNIT_ASSERT_EQUAL(std::string("KEY_EXPIRED"), outcome(verifyKey(server, e.key)));
    CPPUNIT_ASSERT_EQUAL(std::string("0"), sql(server, "", "SELECT COUNT(*) FROM apikey WHERE id='" + e.id + "'"));

    // Deleted while in use: the next verify fails.
    const Created d = create(alice);
    CPPUNIT_ASSERT_EQUAL(std::string("valid"), outcome(verifyKey(server, d.key)));
    CPPUNIT_ASSERT_EQUAL(200, alice.post("delete", R"({"keyId":")" + d.id + R"("})").status);
    CPPUNIT_ASSERT_EQUAL(std::string("INVALID_API_KEY"), outcome(verifyKey(server, d.key)));
  }

  void badKeysAreInvalid() {
    ServedCrow server(ServeOptions{yaml("      rateLimit:\n        enabled: false\n")});
    Client alice{server, server.signUp("alice@example.com")};
    const Created k = create(alice, R"({"prefix":"pk_"})");
    std::string oneOff = k.key;
    oneOff.back() = oneOff.back() == 'a' ? 'b' : 'a';
    for (const std::string& bad : {oneOff, k.key.substr(0, k.key.size() - 1), std::string("pk_"), std::string(""),
                                   " " + k.key, k.key + " ", k.key + "\\n", k.key + k.key})
      CPPUNIT_ASSERT_EQUAL_MESSAGE(bad, std::string("INVALID_API_KEY"), outcome(verifyKey(server, bad)));
    Reply wrong = verifyKey(server, oneOff);
    CPPUNIT_ASSERT_EQUAL(std::string("Invalid API key."), object(wrong)->getObject("error")->getValue<std::string>("message"));
    // A key in the query string is not read: only the body counts.
    CPPUNIT_ASSERT_EQUAL(std::string("INVALID_API_KEY"), outcome(verify(server, R"({"key":""})", "?key=" + k.key)));
    expectError(verify(server, "{}", "?key=" + k.key), 400, "VALIDATION_ERROR");
    expectError(verify(server, R"({"key":5})"), 400, "VALIDATION_ERROR");
    expectError(verify(server, R"({"key":null})"), 400, "VALIDATION_ERROR");
    expectError(verify(server, R"({"key":["a"]})"), 400, "VALIDATION_ERROR");
    expectError(verify(server, "not json"), 400, "BAD_REQUEST");
    CPPUNIT_ASSERT_EQUAL(415, server.request("POST", "/api-key/verify", "key=x",
                                             {{"X-Service-API-Key", kGatewayKey}, {"Content-Type", "text/plain"}}).status);
    CPPUNIT_ASSERT_EQUAL(std::string("INVALID_API_KEY"), outcome(verifyKey(server, std::string(100000, 'a'))));
    // The general parser path (spaces, more members) gives the same answer as the plain one.
    CPPUNIT_ASSERT_EQUAL(std::string("valid"), outcome(verify(server, "{ \"key\" : \"" + k.key + "\", \"configId\": \"default\" }")));
    CPPUNIT_ASSERT_EQUAL(std::string("valid"), outcome(verifyKey(server, k.key)));
  }

  void fastPathCountsAreFlushed() {
    ServedCrow server(ServeOptions{yaml("")});
    Client alice{server, server.signUp("alice@example.com")};
    const Created k = create(alice);
    sql(server, "", "UPDATE apikey SET rateLimitEnabled=0 WHERE id='" + k.id + "'");
    for (int i = 1; i <= 5; ++i) {
      Reply r = verifyKey(server, k.key);
      CPPUNIT_ASSERT_EQUAL(std::string("valid"), outcome(r));
      CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, i, object(r)->getObject("key")->getValue<int>("requestCount"));
    }
    // Flushed within usageFlushMs (200 ms here).
    std::string stored;
    for (int i = 0; i < 50 && stored != "5"; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      stored = sql(server, "", "SELECT requestCount FROM apikey WHERE id='" + k.id + "'");
    }
    CPPUNIT_ASSERT_EQUAL(std::string("5"), stored);
    CPPUNIT_ASSERT(sql(server, "", "SELECT lastRequest FROM apikey WHERE id='" + k.id + "'").size() == 24);
    // What is pending at shutdown is written before the process exits.
    CPPUNIT_ASSERT_EQUAL(std::string("valid"), outcome(verifyKey(server, k.key)));
    CPPUNIT_ASSERT_EQUAL(0, server.stop().exitCode);
    CPPUNIT_ASSERT_EQUAL(std::string("6"), sql(server, "", "SELECT requestCount FROM apikey WHERE id='" + k.id + "'"));
  }

  void racesOnSqlite() { races(""); }

  void racesOnPostgres() {
    const auto cluster = postgresClusterOrSkip();
    if (!cluster) return;
    races(freshPostgresDatabase(*cluster, "crow_api_key_races_" + std::to_string(::getpid())));
  }

 private:
  void races(const std::string& databaseUrl) {
    ServeOptions options{yaml("")};
    options.databaseUrl = databaseUrl;
    ServedCrow server(options);
    Client alice{server, server.signUp("alice@example.com")};

    const Created quota = create(alice);
    sql(server, databaseUrl, "UPDATE apikey SET \\\"rateLimitEnabled\\\"=false, remaining=5 WHERE id='" + quota.id + "'");
    auto tally = burst(server, quota.key, 20);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(describe(tally), 5, tally["valid"]);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(describe(tally), 15, tally["USAGE_EXCEEDED"] + tally["INVALID_API_KEY"]);

    const Created limited = create(alice);
    sql(server, databaseUrl, "UPDATE apikey SET \\\"rateLimitMax\\\"=5, \\\"rateLimitTimeWindow\\\"=600000 WHERE id='" + limited.id + "'");
    tally = burst(server, limited.key, 20);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(describe(tally), 5, tally["valid"]);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(describe(tally), 15, tally["RATE_LIMITED"]);
    CPPUNIT_ASSERT_EQUAL(std::string("5"),
                         sql(server, databaseUrl, "SELECT \\\"requestCount\\\" FROM apikey WHERE id='" + limited.id + "'"));

    // Both at once: remaining 3 and a limit of 5 -> exactly 3.
    const Created both = create(alice);
    sql(server, databaseUrl, "UPDATE apikey SET remaining=3, \\\"rateLimitMax\\\"=5 WHERE id='" + both.id + "'");
    tally = burst(server, both.key, 12);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(describe(tally), 3, tally["valid"]);
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ApiKeyVerifyTest);
