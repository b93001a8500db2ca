// The verify cache of fast-path keys, through the real binary: every write this process makes to a
// key (the routes, a service's update, the usage flush) takes effect on the very next verify, even
// with verifies in flight; writes from outside show once `verifyCacheMs` is up; and requestCount
// never goes backwards across flushes.
#include "api_key_http_support.hpp"

using namespace api_key_test;

namespace {

// Keys without a per-key limit take the fast path. The long cache time makes sure that whatever
// takes effect below does so because the write dropped the record, not because its time ran out.
const std::string kCachedForAMinute = "      rateLimit:\n        enabled: false\n      verifyCacheMs: 60000\n"
                                      "      keyExpiration:\n        minExpiresIn: 0\n";

const crow_test::HeaderList kService{{"X-Service-API-Key", kGatewayKey}};

std::string nameIn(const Reply& r) { return object(r)->getObject("key")->getValue<std::string>("name"); }

// Verifies `key` from `threads` threads until `stop`; each verify records when it started and
// its outcome.
struct Hammer {
  struct Outcome {
    std::chrono::steady_clock::time_point started;
    std::string result;
  };
  std::atomic<bool> stop{false};
  std::vector<std::vector<Outcome>> outcomes;
  std::vector<std::thread> threads;

  Hammer(const ServedCrow& server, const std::string& key, int count) : outcomes(static_cast<size_t>(count)) {
    for (int i = 0; i < count; ++i)
      threads.emplace_back([this, &server, key, i] {
        while (!stop) {
          const auto started = std::chrono::steady_clock::now();
          std::string result;
          try {
            Reply r = verifyKey(server, key);
            result = r.status == 200 ? outcome(r) : "HTTP " + std::to_string(r.status);
          } catch (const std::exception& e) {  // an assertion here would end the process
            result = std::string("unreadable answer: ") + e.what();
          }
          outcomes[static_cast<size_t>(i)].push_back({started, std::move(result)});
        }
      });
  }
  ~Hammer() { finish(); }
  void finish() {
    stop = true;
    for (auto& t : threads)
      if (t.joinable()) t.join();
  }
  // Outcomes of the verifies that started after `t`, and of those before.
  std::map<std::string, int> tally(std::chrono::steady_clock::time_point t, bool after) const {
    std::map<std::string, int> out;
    for (const auto& perThread : outcomes)
      for (const auto& o : perThread)
        if ((o.started > t) == after) out[o.result]++;
    return out;
  }
};

}  // namespace

class ApiKeyVerifyCacheTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(ApiKeyVerifyCacheTest);
  CPPUNIT_TEST(everyWriteTakesEffectOnTheNextVerify);
  CPPUNIT_TEST(aDisableOrDeleteStopsVerifiesInFlight);
  CPPUNIT_TEST(aDisableOrDeleteStopsVerifiesInFlightOnPostgres);
  CPPUNIT_TEST(outsideWritesShowWhenTheTimeIsUp);
  CPPUNIT_TEST(requestCountNeverGoesBackwards);
  CPPUNIT_TEST_SUITE_END();

 public:
  void everyWriteTakesEffectOnTheNextVerify() {
    // The usage flush is a write too, and would drop the record between the two verifies of the
    // rename check below: flush only at shutdown here.
    std::string config = yaml(kCachedForAMinute);
    config.replace(config.find("usageFlushMs: 200"), 17, "usageFlushMs: 60000");
    ServedCrow server(ServeOptions{config});
    Client alice{server, server.signUp("alice@example.com")};
    const Created k = create(alice, R"({"name":"cached"})");
    CPPUNIT_ASSERT_EQUAL(std::string("cached"), nameIn(verifyKey(server, k.key)));

    // The record is served from memory: a rename behind the server's back is not seen...
    sql(server, "", "UPDATE apikey SET name='behind-its-back' WHERE id='" + k.id + "'");
    CPPUNIT_ASSERT_EQUAL(std::string("cached"), nameIn(verifyKey(server, k.key)));
    // ...but a write through the server is, at once.
    CPPUNIT_ASSERT_EQUAL(200, alice.post("update", R"({"keyId":")" + k.id + R"(","name":"renamed"})").status);
    CPPUNIT_ASSERT_EQUAL(std::string("renamed"), nameIn(verifyKey(server, k.key)));

    CPPUNIT_ASSERT_EQUAL(200, alice.post("update", R"({"keyId":")" + k.id + R"(","enabled":false})").status);
    CPPUNIT_ASSERT_EQUAL(std::string("KEY_DISABLED"), outcome(verifyKey(server, k.key)));
    CPPUNIT_ASSERT_EQUAL(200, alice.post("update", R"({"keyId":")" + k.id + R"(","enabled":true})").status);
    CPPUNIT_ASSERT_EQUAL(std::string("valid"), outcome(verifyKey(server, k.key)));

    // A service narrows the permissions, then meters the key: it leaves the fast path at once.
    Reply narrowed = server.postJson("/api-key/update", R"({"keyId":")" + k.id + R"(","permissions":{"files":["read"]}})",
                                     kService);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(narrowed.body, 200, narrowed.status);
    CPPUNIT_ASSERT_EQUAL(std::string("KEY_NOT_FOUND"),
                         outcome(verify(server, R"({"key":")" + k.key + R"(","permissions":{"files":["write"]}})")));
    CPPUNIT_ASSERT_EQUAL(std::string("valid"),
                         outcome(verify(server, R"({"key":")" + k.key + R"(","permissions":{"files":["read"]}})")));
    Reply metered = server.postJson("/api-key/update", R"({"keyId":")" + k.id + R"(","remaining":2})", kService);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(metered.body, 200, metered.status);
    CPPUNIT_ASSERT_EQUAL(1, object(verifyKey(server, k.key))->getObject("key")->getValue<int>("remaining"));
    CPPUNIT_ASSERT_EQUAL(0, object(verifyKey(server, k.key))->getObject("key")->getValue<int>("remaining"));
    CPPUNIT_ASSERT_EQUAL(std::string("USAGE_EXCEEDED"), outcome(verifyKey(server, k.key)));

    const Created d = create(alice);
    CPPUNIT_ASSERT_EQUAL(std::string("valid"), outcome(verifyKey(server, d.key)));
    CPPUNIT_ASSERT_EQUAL(200, alice.post("delete", R"({"keyId":")" + d.id + R"("})").status);
    CPPUNIT_ASSERT_EQUAL(std::string("INVALID_API_KEY"), outcome(verifyKey(server, d.key)));

    // Expiry is checked on every use, cached or not; the expired key is deleted.
    const Created e = create(alice, R"({"expiresIn":1})");
    CPPUNIT_ASSERT_EQUAL(std::string("valid"), outcome(verifyKey(server, e.key)));
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    CPPUNIT_ASSERT_EQUAL(std::string("KEY_EXPIRED"), outcome(verifyKey(server, e.key)));
    CPPUNIT_ASSERT_EQUAL(std::string("0"), sql(server, "", "SELECT COUNT(*) FROM apikey WHERE id='" + e.id + "'"));
    CPPUNIT_ASSERT_EQUAL(std::string("INVALID_API_KEY"), outcome(verifyKey(server, e.key)));

    // System tokens use the same records.
    const Created t = create(alice);
    CPPUNIT_ASSERT_EQUAL(200, server.postJson("/api-key/system-token", "{}", {{"x-api-key", t.key}}).status);
    CPPUNIT_ASSERT_EQUAL(200, alice.post("update", R"({"keyId":")" + t.id + R"(","enabled":false})").status);
    expectError(server.postJson("/api-key/system-token", "{}", {{"x-api-key", t.key}}), 401, "KEY_DISABLED");
  }

  // The issue's "disabling or deleting a key while verifies are in flight: later verifies fail at
  // once": any verify that starts after the disable (or delete) has answered fails.
  void aDisableOrDeleteStopsVerifiesInFlight() { stopsVerifiesInFlight(""); }

  void aDisableOrDeleteStopsVerifiesInFlightOnPostgres() {
    const auto cluster = postgresClusterOrSkip();
    if (!cluster) return;
    stopsVerifiesInFlight(freshPostgresDatabase(*cluster, "crow_api_key_cache_" + std::to_string(::getpid())));
  }

  void outsideWritesShowWhenTheTimeIsUp() {
    ServedCrow server(ServeOptions{yaml("      rateLimit:\n        enabled: false\n      verifyCacheMs: 300\n")});
    Client alice{server, server.signUp("alice@example.com")};
    const Created k = create(alice);
    CPPUNIT_ASSERT_EQUAL(std::string("valid"), outcome(verifyKey(server, k.key)));
    sql(server, "", "UPDATE apikey SET enabled=0 WHERE id='" + k.id + "'");
    const auto written = std::chrono::steady_clock::now();
    std::string result = outcome(verifyKey(server, k.key));
    while (result == "valid" && std::chrono::steady_clock::now() - written < std::chrono::seconds(5)) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      result = outcome(verifyKey(server, k.key));
    }
    CPPUNIT_ASSERT_EQUAL(std::string("KEY_DISABLED"), result);
    // And without the cache, at once.
    ServedCrow uncached(ServeOptions{yaml("      rateLimit:\n        enabled: false\n      verifyCacheMs: 0\n")});
    Client bob{uncached, uncached.signUp("bob@example.com")};
    const Created b = create(bob);
    CPPUNIT_ASSERT_EQUAL(std::string("valid"), outcome(verifyKey(uncached, b.key)));
    sql(uncached, "", "UPDATE apikey SET enabled=0 WHERE id='" + b.id + "'");
    CPPUNIT_ASSERT_EQUAL(std::string("KEY_DISABLED"), outcome(verifyKey(uncached, b.key)));
  }

  // Counts are flushed every 50 ms here, so the 60 verifies below cross many flushes, and some
  // of them race one: each answer still counts one more than the last.
  void requestCountNeverGoesBackwards() {
    std::string config = yaml(kCachedForAMinute);
    config.replace(config.find("usageFlushMs: 200"), 17, "usageFlushMs: 50");
    ServedCrow server(ServeOptions{config});
    Client alice{server, server.signUp("alice@example.com")};
    const Created k = create(alice);
    for (int i = 1; i <= 60; ++i) {
      Reply r = verifyKey(server, k.key);
      CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, i, object(r)->getObject("key")->getValue<int>("requestCount"));
      std::this_thread::sleep_for(std::chrono::milliseconds(i % 7));
    }
    std::string stored;
    for (int i = 0; i < 50 && stored != "60"; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      stored = sql(server, "", "SELECT requestCount FROM apikey WHERE id='" + k.id + "'");
    }
    CPPUNIT_ASSERT_EQUAL(std::string("60"), stored);
  }

 private:
  void stopsVerifiesInFlight(const std::string& databaseUrl) {
    ServeOptions options{yaml(kCachedForAMinute)};
    options.databaseUrl = databaseUrl;
    ServedCrow server(options);
    Client alice{server, server.signUp("alice@example.com")};
    for (const std::string change : {"disable", "delete"}) {
      const Created k = create(alice);
      Hammer hammer(server, k.key, 4);
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
      Reply written = change == "disable" ? alice.post("update", R"({"keyId":")" + k.id + R"(","enabled":false})")
                                          : alice.post("delete", R"({"keyId":")" + k.id + R"("})");
      const auto answered = std::chrono::steady_clock::now();
      CPPUNIT_ASSERT_EQUAL_MESSAGE(written.body, 200, written.status);
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
      hammer.finish();
      const auto before = hammer.tally(answered, false);
      const auto after = hammer.tally(answered, true);
      const std::string expected = change == "disable" ? "KEY_DISABLED" : "INVALID_API_KEY";
      CPPUNIT_ASSERT_MESSAGE(change + ": " + describe(before), before.count("valid") && before.at("valid") > 10);
      CPPUNIT_ASSERT_MESSAGE(change + ": " + describe(after), after.size() == 1 && after.count(expected));
    }
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ApiKeyVerifyCacheTest);
