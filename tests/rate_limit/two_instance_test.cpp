// Two `crow-auth serve` processes behind one imaginary load balancer: one PostgreSQL database, one
// Redis, the rate-limit plugin with a rule of max 10 per 60 s on /get-session, and one client
// (127.0.0.1) whose requests alternate between the instances.
//  - store: redis and store: database share the counter: exactly 10 requests pass in total (both
//    stores are atomic: a Lua script in Redis, guarded single statements in the database);
//  - store: memory counts per instance: 20 pass, 10 on each (the contrast the README documents).
// Needs CROW_TEST_POSTGRES_URL and CROW_TEST_REDIS_URL; skipped without them unless
// CROW_REQUIRE_POSTGRES=1 / CROW_REQUIRE_REDIS=1 (./test.sh sets all four).
#include "served_crow.hpp"

#include <cppunit/extensions/HelperMacros.h>

#include <cstdlib>
#include <iostream>
#include <random>
#include <string>

#include <unistd.h>

using crow_test::ProcessResult;
using crow_test::Reply;
using crow_test::ServedCrow;
using crow_test::ServeOptions;

namespace {

constexpr int kMax = 10;
constexpr int kRequests = 3 * kMax;

std::string envOr(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

// The URL in `variable`, or "" to skip (fails instead when `require` is "1").
std::string serverUrl(const char* variable, const char* require) {
  std::string url = envOr(variable);
  if (url.empty() && envOr(require) == "1") CPPUNIT_FAIL(std::string(require) + "=1 but " + variable + " is not set");
  if (url.empty()) std::cerr << "[skipped: " << variable << " is not set] ";
  return url;
}

// A new, empty database on the test cluster (as tests/cli/cli_test.cpp makes one).
std::string freshPostgresDatabase(const std::string& clusterUrl, const std::string& name) {
  ProcessResult made = crow_test::runProcess(
      {"/usr/bin/psql", clusterUrl, "-q", "-c", "drop database if exists " + name, "-c", "create database " + name}, 60000);
  if (made.exitCode != 0) CPPUNIT_FAIL("cannot create database " + name + ": " + made.err);
  return clusterUrl.substr(0, clusterUrl.rfind('/') + 1) + name;
}

std::string runId() {
  static const std::string id = std::to_string(::getpid()) + "_" + std::to_string(std::random_device{}() % 100000);
  return id;
}

std::string pluginYaml(const std::string& store, const std::string& redisUrl) {
  return "plugins:\n"
         "  - id: rate-limit\n"
         "    config:\n"
         "      store: " + store + "\n"
         "      redis:\n"
         "        url: \"" + redisUrl + "\"\n"
         // A fresh prefix per run: counters of an earlier run (60 s windows) must not count here.
         "        keyPrefix: \"crow:rl-two-instance:" + runId() + ":\"\n"
         "      rules:\n"
         "        - path: /get-session\n"
         "          window: 60\n"
         "          max: " + std::to_string(kMax) + "\n";
}

struct Tally {
  int allowed[2] = {0, 0};
  int limited[2] = {0, 0};
  int total() const { return allowed[0] + allowed[1]; }
};

// kRequests GETs of /get-session, alternating A, B, A, B, ...; every answer must be 200 or 429.
Tally alternate(const ServedCrow& a, const ServedCrow& b) {
  Tally tally;
  for (int i = 0; i < kRequests; ++i) {
    const int side = i % 2;
    const Reply reply = (side ? b : a).get("/get-session");
    if (reply.status == 200) {
      ++tally.allowed[side];
    } else if (reply.status == 429) {
      ++tally.limited[side];
      const std::string* retry = reply.header("x-retry-after");
      CPPUNIT_ASSERT_MESSAGE("a 429 without X-Retry-After", retry);
      const int seconds = std::stoi(*retry);
      CPPUNIT_ASSERT_MESSAGE(*retry, seconds >= 1 && seconds <= 60);
    } else {
      CPPUNIT_FAIL("request " + std::to_string(i) + " answered " + std::to_string(reply.status) + ": " + reply.body);
    }
  }
  return tally;
}

std::string describe(const Tally& t) {
  return "allowed A=" + std::to_string(t.allowed[0]) + " B=" + std::to_string(t.allowed[1]) +
         ", limited A=" + std::to_string(t.limited[0]) + " B=" + std::to_string(t.limited[1]);
}

}  // namespace

class TwoInstanceTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(TwoInstanceTest);
  CPPUNIT_TEST(redisStoreLimitsBothInstancesTogether);
  CPPUNIT_TEST(databaseStoreLimitsBothInstancesTogether);
  CPPUNIT_TEST(memoryStoreLimitsEachInstanceAlone);
  CPPUNIT_TEST_SUITE_END();

 public:
  void redisStoreLimitsBothInstancesTogether() {
    const Tally tally = run("redis");
    if (tally.total() < 0) return;
    CPPUNIT_ASSERT_EQUAL_MESSAGE(describe(tally), kMax, tally.total());
    // Alternating strictly, each instance let through half of them.
    CPPUNIT_ASSERT_EQUAL_MESSAGE(describe(tally), kMax / 2, tally.allowed[0]);
  }

  void databaseStoreLimitsBothInstancesTogether() {
    const Tally tally = run("database");
    if (tally.total() < 0) return;
    CPPUNIT_ASSERT_EQUAL_MESSAGE(describe(tally), kMax, tally.total());
    CPPUNIT_ASSERT_EQUAL_MESSAGE(describe(tally), kMax / 2, tally.allowed[0]);
  }

  void memoryStoreLimitsEachInstanceAlone() {
    const Tally tally = run("memory");
    if (tally.total() < 0) return;
    CPPUNIT_ASSERT_EQUAL_MESSAGE(describe(tally), 2 * kMax, tally.total());
    CPPUNIT_ASSERT_EQUAL_MESSAGE(describe(tally), kMax, tally.allowed[0]);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(describe(tally), kMax, tally.allowed[1]);
  }

 private:
  // Starts two instances with `store` on a fresh database and alternates the requests; a tally
  // with total() < 0 means skipped.
  Tally run(const std::string& store) {
    const std::string postgres = serverUrl("CROW_TEST_POSTGRES_URL", "CROW_REQUIRE_POSTGRES");
    // The memory and database runs never connect to Redis: any URL will do for them.
    const std::string redis =
        store == "redis" ? serverUrl("CROW_TEST_REDIS_URL", "CROW_REQUIRE_REDIS") : "redis://127.0.0.1:6379";
    if (postgres.empty() || redis.empty()) {
      Tally skipped;
      skipped.allowed[0] = -1;
      return skipped;
    }
    ServeOptions options;
    options.databaseUrl = freshPostgresDatabase(postgres, "crow_rl_two_" + store);
    options.yaml = pluginYaml(store, redis);
    // One after the other: the first one creates the schema, the second finds it.
    ServedCrow a(options);
    ServedCrow b(options);
    const Tally tally = alternate(a, b);
    CPPUNIT_ASSERT_EQUAL(0, a.stop().exitCode);
    CPPUNIT_ASSERT_EQUAL(0, b.stop().exitCode);
    return tally;
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(TwoInstanceTest);
