// The outbox under faults, end to end: crow-auth (the real binary, organization plugin on,
// SQLite) syncs 1,000 organization creations to a receiver standing in for the organization and
// user services (and the notification service, for sign-up emails) while that receiver is down,
// answers 500, answers slower than the outbox's request timeout, and applies an event then drops
// the connection; crow-auth itself is killed with SIGKILL mid-delivery, twice, and restarted on
// the same database.
//
// At the end every outbox message took effect at the receiver exactly once (it deduplicates by
// Idempotency-Key, as receivers must), none is lost or dead, each organization's events took
// effect in the order they were written, and requests were not slower while the receiver was
// down than while it was up (the outbox decouples them).
//
// Without the organization plugin (CROW_FAULT_ORGANIZATIONS=0) the same scenario runs on sign-up
// verification emails.
#include "fault_receiver.hpp"
#include "served_crow.hpp"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <cppunit/extensions/HelperMacros.h>

#include <signal.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

using crow::test::FaultReceiver;
using crow_test::ProcessResult;
using crow_test::ServedCrow;
using crow_test::ServeOptions;
using Clock = std::chrono::steady_clock;

namespace {

const char* kSecret = "outbox-fault-secret-0123456789abcdef012345";

int envInt(const char* name, int fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::atoi(v) : fallback;
}

bool eventually(const std::function<bool()>& condition, int timeoutMs) {
  const auto deadline = Clock::now() + std::chrono::milliseconds(timeoutMs);
  while (Clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return condition();
}

double p95(std::vector<double> ms) {
  if (ms.empty()) return 0;
  std::sort(ms.begin(), ms.end());
  return ms[std::min(ms.size() - 1, static_cast<size_t>(ms.size() * 0.95))];
}

// Rows of `sql` against the SQLite file, "|"-separated columns.
std::vector<std::string> query(const std::string& file, const std::string& sql) {
  ProcessResult r = crow_test::runProcess({"/usr/bin/sqlite3", "-cmd", ".timeout 5000", file, sql}, 60000);
  if (r.exitCode != 0) CPPUNIT_FAIL("sqlite3 failed: " + r.err);
  std::vector<std::string> rows;
  std::istringstream in(r.out);
  for (std::string line; std::getline(in, line);) rows.push_back(line);
  return rows;
}

}  // namespace

class OutboxFaultTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(OutboxFaultTest);
  CPPUNIT_TEST(everyEventTakesEffectOnceInOrderThroughFaultsAndCrashes);
  CPPUNIT_TEST_SUITE_END();

 public:
  void everyEventTakesEffectOnceInOrderThroughFaultsAndCrashes() {
    const bool organizations = CROW_FAULT_ORGANIZATIONS != 0;
    const int total = envInt("CROW_FAULT_EVENTS", organizations ? 1000 : 120);
    FaultReceiver receiver;
    receiver.setSlowDelay(std::chrono::milliseconds(900));
    crow_test::ScratchDir dir;
    const std::string dbFile = dir.path() + "/fault.db";

    ServeOptions options;
    options.secret = kSecret;
    options.databaseUrl = "sqlite://" + dbFile;
    // The request timeout is well below the slow receiver's delay; the lease outlives it.
    options.yaml = "services:\n"
                   "  notification:\n    url: \"" + receiver.url() + "/notification\"\n    apiKey: \"n-key\"\n"
                   "  organization:\n    url: \"" + receiver.url() + "/organization\"\n    apiKey: \"o-key\"\n"
                   "  user:\n    url: \"" + receiver.url() + "/user\"\n    apiKey: \"u-key\"\n"
                   "auth:\n  emailVerification:\n    sendOnSignUp: true\n"
                   "outbox:\n  pollIntervalMs: 50\n  requestTimeoutMs: 300\n  leaseMs: 2000\n"
                   "  initialBackoffMs: 50\n  maxBackoffMs: 1000\n  maxAttempts: 1000\n";
    if (organizations) options.yaml += "plugins:\n  - id: organization\n    config:\n      organizationLimit: 100000\n";
    auto crow = std::make_unique<ServedCrow>(options);

    auto restartAfterKill = [&](const char* when) {
      std::cerr << "[fault] SIGKILL " << when << " (receiver holding " << receiver.inFlight() << ")\n";
      crow->process().signal(SIGKILL);
      ProcessResult gone = crow->process().wait(10000);
      CPPUNIT_ASSERT_EQUAL(128 + SIGKILL, gone.exitCode);
      crow.reset();
      crow = std::make_unique<ServedCrow>(options);
    };
    auto killMidDelivery = [&](const char* when) {
      // Mid-delivery: the receiver is holding one of the worker's requests right now.
      CPPUNIT_ASSERT_MESSAGE(when, eventually([&] { return receiver.inFlight() > 0; }, 20000));
      restartAfterKill(when);
    };

    // A few users own the organizations (an organization limit would stop one user early).
    std::vector<std::string> cookies;
    std::vector<double> signUpUp, signUpDown, createUp, createDown;
    int userCount = 0;
    auto signUp = [&](std::vector<double>& latencies) {
      const auto start = Clock::now();
      cookies.push_back(crow->signUp("owner" + std::to_string(userCount++) + "@example.com"));
      latencies.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
    };
    std::vector<std::string> organizationIds;
    int created = 0;
    auto createOne = [&](std::vector<double>* latencies) {
      const auto start = Clock::now();
      if (organizations) {
        const std::string slug = "org-" + std::to_string(created);
        crow_test::Reply r = crow->postJson("/organization/create",
                                            "{\"name\":\"Org " + std::to_string(created) + "\",\"slug\":\"" + slug + "\"}",
                                            {{"Cookie", cookies[created % cookies.size()]}});
        if (r.status != 200) CPPUNIT_FAIL("organization/create answered " + std::to_string(r.status) + ": " + r.body);
        organizationIds.push_back(Poco::JSON::Parser().parse(r.body).extract<Poco::JSON::Object::Ptr>()->getValue<std::string>("id"));
      } else {
        std::vector<double> ignored;
        signUp(ignored);
      }
      if (latencies) latencies->push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
      ++created;
    };
    auto createUntil = [&](int fraction, std::vector<double>* latencies) {
      while (created < total * fraction / 100) createOne(latencies);
    };

    const auto began = Clock::now();
    for (int i = 0; i < 4; ++i) signUp(signUpUp);
    createUntil(15, &createUp);

    receiver.goDown();
    for (int i = 0; i < 4; ++i) signUp(signUpDown);
    createUntil(35, &createDown);
    receiver.comeUp();

    receiver.setMode(FaultReceiver::Mode::ServerError);
    createUntil(45, nullptr);

    receiver.setMode(FaultReceiver::Mode::Slow);
    createUntil(55, nullptr);
    killMidDelivery("while the receiver answers slowly");

    receiver.setMode(FaultReceiver::Mode::DropAfterApply);
    createUntil(65, nullptr);
    killMidDelivery("while the receiver drops connections after applying");

    receiver.setMode(FaultReceiver::Mode::Up);
    createUntil(85, nullptr);
    restartAfterKill("with the receiver up");
    createUntil(100, nullptr);
    std::cerr << "[fault] " << created << " creations in "
              << std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - began).count() << "s\n";

    // Everything drains: nothing pending, nothing dead.
    std::vector<std::string> states;
    const bool drained = eventually([&] {
      states = query(dbFile, "select status, count(*) from crow_outbox group by status");
      return states.size() == 1 && states[0].rfind("delivered|", 0) == 0;
    }, 120000);
    std::string summary;
    for (const auto& s : states) summary += s + " ";
    CPPUNIT_ASSERT_MESSAGE("outbox states: " + summary, drained);

    // Exactly once: every message's key took effect once; nothing else took effect.
    const auto rows = query(dbFile, "select aggregateId, idempotencyKey from crow_outbox order by id");
    const auto applied = receiver.applied();
    std::map<std::string, size_t> appliedAt;
    for (size_t i = 0; i < applied.size(); ++i) appliedAt[applied[i].key] = i;
    CPPUNIT_ASSERT_EQUAL(rows.size(), applied.size());
    std::map<std::string, std::vector<std::string>> keysByAggregate;
    for (const auto& row : rows) {
      const auto bar = row.find('|');
      const std::string aggregate = row.substr(0, bar), key = row.substr(bar + 1);
      CPPUNIT_ASSERT_MESSAGE("lost: " + key, appliedAt.count(key) == 1);
      keysByAggregate[aggregate].push_back(key);
    }
    // Per-aggregate order: each message took effect after its older siblings.
    for (const auto& [aggregate, keys] : keysByAggregate)
      for (size_t i = 1; i < keys.size(); ++i)
        CPPUNIT_ASSERT_MESSAGE("order of " + aggregate, appliedAt[keys[i - 1]] < appliedAt[keys[i]]);

    if (organizations) {
      // Each organization reached both services, the organization service first.
      std::map<std::string, std::vector<std::string>> pathsByOrganization;
      for (const auto& a : applied)
        if (a.eventType == "organization.created") pathsByOrganization[a.organizationId].push_back(a.path);
      CPPUNIT_ASSERT_EQUAL(static_cast<size_t>(total), organizationIds.size());
      for (const auto& id : organizationIds) {
        const auto& paths = pathsByOrganization[id];
        CPPUNIT_ASSERT_EQUAL_MESSAGE(id, size_t{2}, paths.size());
        CPPUNIT_ASSERT_MESSAGE(paths[0], paths[0].rfind("/organization/", 0) == 0);
        CPPUNIT_ASSERT_MESSAGE(paths[1], paths[1].rfind("/user/", 0) == 0);
      }
    }

    std::cerr << "[fault] messages " << rows.size() << ", requests " << receiver.requests() << ", repeats (deduplicated) "
              << receiver.repeats() << "\n"
              << "[fault] p95 ms: sign-up up " << p95(signUpUp) << " down " << p95(signUpDown) << "; create up "
              << p95(createUp) << " down " << p95(createDown) << "\n";
    // The faults did happen: some deliveries were repeated and deduplicated.
    CPPUNIT_ASSERT(receiver.repeats() > 0);
    // Latency while the receiver is down stays within reach of latency while it is up. The bound
    // is loose on purpose (a shared 2-core machine, sanitizer builds): the outbox makes the two
    // independent, so a coupled design (a synchronous call timing out) would miss it by far.
    CPPUNIT_ASSERT_MESSAGE("sign-up p95 while down", p95(signUpDown) <= 2.0 * p95(signUpUp) + 150.0);
    CPPUNIT_ASSERT_MESSAGE("create p95 while down", p95(createDown) <= 2.0 * p95(createUp) + 50.0);
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(OutboxFaultTest);
