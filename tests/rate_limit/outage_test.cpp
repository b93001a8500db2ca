// ADV-20: the rate-limit store goes down mid-run (the database store on PostgreSQL, the cluster
// stopped with tests/support/postgres.sh pause): credential endpoints fail closed with 503 and
// Retry-After, get-session keeps answering, and the outage is logged (not once per request);
// after the cluster comes back, counting resumes. Runs when CROW_TEST_POSTGRES_URL and
// CROW_TEST_POSTGRES_SCRIPT are set (./test.sh sets both; CROW_REQUIRE_POSTGRES=1 makes them
// mandatory). It stops the shared cluster, so CTest runs it alone.
#include "rate_limit_server.hpp"

#include <cppunit/extensions/HelperMacros.h>

#include <signal.h>

#include <chrono>
#include <cstdlib>
#include <thread>

using namespace rate_limit_test;

namespace {

std::string env(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

std::string freshDatabase(const std::string& cluster, const std::string& name) {
  crow_test::ProcessResult made = crow_test::runProcess(
      {"/usr/bin/psql", cluster, "-q", "-c", "drop database if exists " + name + " with (force)", "-c",
       "create database " + name},
      60000);
  if (made.exitCode != 0) CPPUNIT_FAIL("cannot create database " + name + ": " + made.err);
  return cluster.substr(0, cluster.rfind('/') + 1) + name;
}

void runScript(const std::string& script, const std::string& verb) {
  crow_test::ProcessResult result = crow_test::runProcess({"/bin/bash", script, verb}, 60000);
  CPPUNIT_ASSERT_EQUAL_MESSAGE(verb + ": " + result.err, 0, result.exitCode);
}

// Resumes the cluster even when an assertion fails half-way, so later suites find it running.
struct ResumeOnExit {
  std::string script;
  ~ResumeOnExit() { crow_test::runProcess({"/bin/bash", script, "resume"}, 60000); }
};

}  // namespace

class RateLimitOutageTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(RateLimitOutageTest);
  CPPUNIT_TEST(databaseStoreDownFailsClosedForCredentialsOnly);
  CPPUNIT_TEST_SUITE_END();

 public:
  void databaseStoreDownFailsClosedForCredentialsOnly() {
    const std::string cluster = env("CROW_TEST_POSTGRES_URL");
    const std::string script = env("CROW_TEST_POSTGRES_SCRIPT");
    if (cluster.empty() || script.empty()) {
      if (env("CROW_REQUIRE_POSTGRES") == "1") CPPUNIT_FAIL("CROW_TEST_POSTGRES_URL/_SCRIPT not set");
      return;
    }
    // Better Auth's preset puts get-session under a rule too (fail open), so both paths meet
    // the dead store.
    RateLimitServer server(ServerConfig{"store: database\npreset: better-auth\nstoreDownRetryAfter: 7\n", {},
                                        freshDatabase(cluster, "crow_rl_outage")});
    CPPUNIT_ASSERT_EQUAL(401, server.signIn().status);
    CPPUNIT_ASSERT_EQUAL(200, server.getSession().status);

    ResumeOnExit resume{script};
    runScript(script, "pause");
    HttpReply signIn = server.signIn({}, "127.0.0.2");
    HttpReply signUp = server.send("POST", "/api/v1/auth/sign-up/email", {{"Content-Type", "application/json"}}, "{}");
    std::vector<int> sessions;
    for (int i = 0; i < 20; ++i) sessions.push_back(server.getSession().status);
    runScript(script, "resume");

    CPPUNIT_ASSERT_EQUAL(503, signIn.status);
    CPPUNIT_ASSERT_EQUAL(std::string("7"), signIn.header("retry-after"));
    CPPUNIT_ASSERT_EQUAL(std::string("7"), signIn.header("x-retry-after"));
    CPPUNIT_ASSERT(signIn.body.find("RATE_LIMIT_UNAVAILABLE") != std::string::npos);
    CPPUNIT_ASSERT_EQUAL(503, signUp.status);
    for (int status : sessions) CPPUNIT_ASSERT_EQUAL(200, status);

    // Back up: counting resumes (the pool reconnects; allow it a moment).
    int status = 0;
    for (int i = 0; i < 50 && status != 401; ++i) {
      status = server.signIn({}, "127.0.0.3").status;
      if (status != 401) std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    CPPUNIT_ASSERT_EQUAL(401, status);

    // One warning for the whole outage, not one per request.
    server.process().signal(SIGTERM);
    const std::string log = server.process().wait(10000).err;
    size_t warnings = 0;
    for (size_t at = log.find("rate-limit store unavailable"); at != std::string::npos;
         at = log.find("rate-limit store unavailable", at + 1))
      ++warnings;
    CPPUNIT_ASSERT_MESSAGE(log, warnings >= 1 && warnings <= 2);
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(RateLimitOutageTest);
