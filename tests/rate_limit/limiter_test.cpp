// The limiter between a request and a store: which key a request is counted under, Better Auth's
// 429, and what a store that cannot answer does to credential endpoints and to the rest.
#include "limiter.hpp"
#include "memory_store.hpp"
#include "options.hpp"

#include <crow/error.hpp>

#include <cppunit/extensions/HelperMacros.h>

#include <mutex>

using namespace crow::rate_limit;

namespace {

class RecordingLogger final : public crow::Logger {
 public:
  void log(crow::LogLevel, std::string_view message, const crow::LogFields& fields) override {
    std::lock_guard lock(mutex);
    std::string line(message);
    for (const auto& [k, v] : fields) line += " " + k + "=" + v;
    lines.push_back(line);
  }
  bool enabled(crow::LogLevel) const noexcept override { return true; }
  std::mutex mutex;
  std::vector<std::string> lines;
};

class DownStore final : public LimitStore {
 public:
  Decision hit(const std::string&, int64_t, int64_t, int64_t) override {
    ++hits;
    throw StoreUnavailable("connection refused");
  }
  const char* kind() const noexcept override { return "down"; }
  int hits = 0;
};

crow::Request request(const std::string& rawPath, const std::string& client) {
  crow::Request r;
  r.rawPath = rawPath;
  r.path = rawPath;
  r.clientAddress = client;
  return r;
}

std::vector<Rule> rules(const std::string& preset = "service") {
  return preset == "service" ? servicePreset(60000, 3) : betterAuthPreset(10000, 100);
}

const std::string* headerOf(const crow::ApiError& e, const std::string& name) {
  for (const auto& [k, v] : e.headers())
    if (k == name) return &v;
  return nullptr;
}

}  // namespace

class LimiterTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(LimiterTest);
  CPPUNIT_TEST(keysNameClientAndRule);
  CPPUNIT_TEST(keysOfPerPathRulesNameThePath);
  CPPUNIT_TEST(spellingsShareTheCanonicalKey);
  CPPUNIT_TEST(pathsOutsideEveryRuleAreNotCounted);
  CPPUNIT_TEST(overTheLimitIsBetterAuths429);
  CPPUNIT_TEST(retryAfterIsRoundedUp);
  CPPUNIT_TEST(clientsAreCountedApart);
  CPPUNIT_TEST(storeDownRefusesCredentialEndpointsWith503);
  CPPUNIT_TEST(storeDownCanAnswer429);
  CPPUNIT_TEST(storeDownLetsOtherPathsThrough);
  CPPUNIT_TEST(storeDownIsLoggedNotPerRequest);
  CPPUNIT_TEST(fullMemoryStoreFailsClosedForCredentials);
  CPPUNIT_TEST_SUITE_END();

 public:
  void keysNameClientAndRule() {
    RecordingLogger logger;
    Limiter limiter(RuleSet(rules()), std::make_unique<MemoryStore>(), {"/api/v1/auth"}, logger);
    auto target = limiter.target("/api/v1/auth/sign-in/email", "203.0.113.7");
    CPPUNIT_ASSERT(target);
    CPPUNIT_ASSERT_EQUAL(std::string("203.0.113.7|/sign-in*"), target->key);
    CPPUNIT_ASSERT_EQUAL(std::string("2001:db8:1:2::/64|/api-key/verify"),
                         limiter.target("/api/v1/auth/api-key/verify", "2001:DB8:1:2:3:4:5:6")->key);
  }

  void keysOfPerPathRulesNameThePath() {
    RecordingLogger logger;
    Limiter limiter(RuleSet(rules("better-auth")), std::make_unique<MemoryStore>(), {"/api/v1/auth"}, logger);
    CPPUNIT_ASSERT_EQUAL(std::string("1.2.3.4|/get-session"),
                         limiter.target("/api/v1/auth/get-session", "1.2.3.4")->key);
    CPPUNIT_ASSERT_EQUAL(std::string("1.2.3.4|/get-session"),
                         limiter.target("/api/v1/auth//Get-Session/", "1.2.3.4")->key);
    CPPUNIT_ASSERT_EQUAL(std::string("1.2.3.4|/sign-in*"), limiter.target("/api/v1/auth/sign-in/social", "1.2.3.4")->key);
  }

  void spellingsShareTheCanonicalKey() {
    RecordingLogger logger;
    Limiter limiter(RuleSet(rules()), std::make_unique<MemoryStore>(), {"/api/v1/auth"}, logger);
    const std::string expected = "9.9.9.9|/sign-in*";
    for (const char* path : {"/api/v1/auth/sign-in/email", "/api/v1/auth/SIGN-IN/email/", "//api/v1/auth//sign-in//email",
                             "/api/v1/auth/sign-in/./email", "/api/v1/auth/x/../sign-in/email",
                             "/api/v1/auth/sign-in%2Femail", "/API/V1/AUTH/sign-in/email", "/api/v1/auth/%73ign-in/email"}) {
      auto target = limiter.target(path, "9.9.9.9");
      CPPUNIT_ASSERT_MESSAGE(path, target.has_value());
      CPPUNIT_ASSERT_EQUAL_MESSAGE(path, expected, target->key);
    }
  }

  void pathsOutsideEveryRuleAreNotCounted() {
    RecordingLogger logger;
    auto store = std::make_unique<MemoryStore>();
    MemoryStore& memory = *store;
    Limiter limiter(RuleSet(rules()), std::move(store), {"/api/v1/auth"}, logger);
    for (int i = 0; i < 50; ++i) limiter.check(request("/api/v1/auth/get-session", "1.1.1.1"), 1000);
    CPPUNIT_ASSERT_EQUAL(size_t(0), memory.size());
    CPPUNIT_ASSERT(!limiter.target("/api/v1/authx/sign-in/email", "1.1.1.1"));
  }

  void overTheLimitIsBetterAuths429() {
    RecordingLogger logger;
    Limiter limiter(RuleSet(rules()), std::make_unique<MemoryStore>(), {"/api/v1/auth"}, logger);
    for (int i = 0; i < 3; ++i) limiter.check(request("/api/v1/auth/sign-in/email", "1.1.1.1"), 1000);
    try {
      limiter.check(request("/api/v1/auth/sign-in/email", "1.1.1.1"), 1000);
      CPPUNIT_FAIL("the 4th sign-in was let through");
    } catch (const crow::ApiError& e) {
      CPPUNIT_ASSERT_EQUAL(429, e.status());
      CPPUNIT_ASSERT_EQUAL(std::string(), e.code());
      CPPUNIT_ASSERT_EQUAL(std::string("Too many requests. Please try again later."), e.message());
      CPPUNIT_ASSERT(headerOf(e, "X-Retry-After"));
      CPPUNIT_ASSERT_EQUAL(std::string("60"), *headerOf(e, "X-Retry-After"));
      CPPUNIT_ASSERT(!e.emptyBody());
    }
  }

  void retryAfterIsRoundedUp() {
    RecordingLogger logger;
    Limiter limiter(RuleSet(rules()), std::make_unique<MemoryStore>(), {"/api/v1/auth"}, logger);
    for (int i = 0; i < 3; ++i) limiter.check(request("/api/v1/auth/sign-up/email", "1.1.1.1"), 0);
    auto retryAt = [&](int64_t now) {
      try {
        limiter.check(request("/api/v1/auth/sign-up/email", "1.1.1.1"), now);
      } catch (const crow::ApiError& e) {
        return *headerOf(e, "X-Retry-After");
      }
      return std::string("allowed");
    };
    CPPUNIT_ASSERT_EQUAL(std::string("60"), retryAt(1));
    CPPUNIT_ASSERT_EQUAL(std::string("30"), retryAt(30000));
    CPPUNIT_ASSERT_EQUAL(std::string("1"), retryAt(59999));
    CPPUNIT_ASSERT_EQUAL(std::string("allowed"), retryAt(60000));
  }

  void clientsAreCountedApart() {
    RecordingLogger logger;
    Limiter limiter(RuleSet(rules()), std::make_unique<MemoryStore>(), {"/api/v1/auth"}, logger);
    for (int i = 0; i < 3; ++i) limiter.check(request("/api/v1/auth/sign-in/email", "1.1.1.1"), 0);
    CPPUNIT_ASSERT_THROW(limiter.check(request("/api/v1/auth/sign-in/email", "1.1.1.1"), 0), crow::ApiError);
    CPPUNIT_ASSERT_NO_THROW(limiter.check(request("/api/v1/auth/sign-in/email", "1.1.1.2"), 0));
    // A different rule has its own bucket.
    CPPUNIT_ASSERT_NO_THROW(limiter.check(request("/api/v1/auth/sign-up/email", "1.1.1.1"), 0));
    // One /64 is one client.
    for (int i = 0; i < 3; ++i) limiter.check(request("/api/v1/auth/sign-in/email", "2001:db8::" + std::to_string(i + 1)), 0);
    CPPUNIT_ASSERT_THROW(limiter.check(request("/api/v1/auth/sign-in/email", "2001:db8::ffff"), 0), crow::ApiError);
  }

  void storeDownRefusesCredentialEndpointsWith503() {
    RecordingLogger logger;
    Limiter limiter(RuleSet(rules()), std::make_unique<DownStore>(), {"/api/v1/auth", 503, 5}, logger);
    try {
      limiter.check(request("/api/v1/auth/sign-in/email", "1.1.1.1"), 0);
      CPPUNIT_FAIL("a sign-in went through while the store was down");
    } catch (const crow::ApiError& e) {
      CPPUNIT_ASSERT_EQUAL(503, e.status());
      CPPUNIT_ASSERT_EQUAL(std::string("RATE_LIMIT_UNAVAILABLE"), e.code());
      CPPUNIT_ASSERT_EQUAL(std::string("5"), *headerOf(e, "Retry-After"));
      CPPUNIT_ASSERT_EQUAL(std::string("5"), *headerOf(e, "X-Retry-After"));
    }
    CPPUNIT_ASSERT_EQUAL(int64_t{1}, limiter.failedClosed());
  }

  void storeDownCanAnswer429() {
    RecordingLogger logger;
    Limiter limiter(RuleSet(rules()), std::make_unique<DownStore>(), {"/api/v1/auth", 429, 9}, logger);
    try {
      limiter.check(request("/api/v1/auth/api-key/verify", "1.1.1.1"), 0);
      CPPUNIT_FAIL("an api-key verify went through while the store was down");
    } catch (const crow::ApiError& e) {
      CPPUNIT_ASSERT_EQUAL(429, e.status());
      CPPUNIT_ASSERT_EQUAL(std::string("Too many requests. Please try again later."), e.message());
      CPPUNIT_ASSERT_EQUAL(std::string("9"), *headerOf(e, "Retry-After"));
    }
  }

  void storeDownLetsOtherPathsThrough() {
    RecordingLogger logger;
    auto store = std::make_unique<DownStore>();
    DownStore& down = *store;
    Limiter limiter(RuleSet(rules("better-auth")), std::move(store), {"/api/v1/auth"}, logger);
    CPPUNIT_ASSERT_NO_THROW(limiter.check(request("/api/v1/auth/get-session", "1.1.1.1"), 0));
    CPPUNIT_ASSERT_NO_THROW(limiter.check(request("/api/v1/auth/jwks", "1.1.1.1"), 0));
    CPPUNIT_ASSERT_THROW(limiter.check(request("/api/v1/auth/sign-in/email", "1.1.1.1"), 0), crow::ApiError);
    CPPUNIT_ASSERT_EQUAL(3, down.hits);
    CPPUNIT_ASSERT_EQUAL(int64_t{2}, limiter.failedOpen());
    CPPUNIT_ASSERT_EQUAL(int64_t{1}, limiter.failedClosed());
  }

  void storeDownIsLoggedNotPerRequest() {
    RecordingLogger logger;
    Limiter limiter(RuleSet(rules("better-auth")), std::make_unique<DownStore>(), {"/api/v1/auth"}, logger);
    for (int i = 0; i < 1000; ++i) limiter.check(request("/api/v1/auth/get-session", "1.1.1.1"), i);
    CPPUNIT_ASSERT_EQUAL(size_t(1), logger.lines.size());
    CPPUNIT_ASSERT(logger.lines[0].find("store=down") != std::string::npos);
    CPPUNIT_ASSERT(logger.lines[0].find("connection refused") != std::string::npos);
    limiter.check(request("/api/v1/auth/get-session", "1.1.1.1"), 20000);
    CPPUNIT_ASSERT_EQUAL(size_t(2), logger.lines.size());
    CPPUNIT_ASSERT(logger.lines[1].find("failed_open_total=1001") != std::string::npos);
  }

  void fullMemoryStoreFailsClosedForCredentials() {
    RecordingLogger logger;
    Limiter limiter(RuleSet(rules("better-auth")),
                    std::make_unique<MemoryStore>(MemoryOptions{.maxEntries = 10, .shards = 1}), {"/api/v1/auth"},
                    logger);
    for (int i = 0; i < 10; ++i) limiter.check(request("/api/v1/auth/get-session", "10.0.0." + std::to_string(i)), 0);
    // Full: a new client's get-session goes through uncounted (and is logged), its sign-in does not.
    CPPUNIT_ASSERT_NO_THROW(limiter.check(request("/api/v1/auth/get-session", "10.0.1.1"), 1));
    try {
      limiter.check(request("/api/v1/auth/sign-in/email", "10.0.1.1"), 1);
      CPPUNIT_FAIL("a sign-in went through uncounted");
    } catch (const crow::ApiError& e) {
      CPPUNIT_ASSERT_EQUAL(503, e.status());
    }
    CPPUNIT_ASSERT_EQUAL(size_t(1), logger.lines.size());
    CPPUNIT_ASSERT(logger.lines[0].find("full") != std::string::npos);
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(LimiterTest);
