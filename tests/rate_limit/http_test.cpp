// The rate-limit plugin through the real binary: Better Auth's 429, the bypass attempts of
// reliability-security.md §8 C (ADV-13 to ADV-18; ADV-19 is the two-instance suite, ADV-20 the
// outage suite), hostile X-Forwarded-For, and get-session left alone by the default policy.
#include "rate_limit_server.hpp"

#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>

using namespace rate_limit_test;

namespace {

const std::string kTooMany = R"({"message":"Too many requests. Please try again later."})";

// Better Auth's preset, with a short sign-up window so waiting it out stays quick.
ServerConfig betterAuthConfig() {
  return ServerConfig{"preset: better-auth\nrules:\n  - path: /sign-up*\n    window: 3\n    max: 1\n", {}, {}};
}

// The service policy with small numbers, behind a trusted proxy at 127.0.0.1 (the gateway).
ServerConfig gatewayConfig() { return ServerConfig{"window: 60\nmax: 3\n", {"127.0.0.1"}, {}}; }

bool limited(const HttpReply& r) { return r.status == 429; }

std::string statusesOf(const std::vector<int>& statuses) {
  std::string out;
  for (int s : statuses) out += std::to_string(s) + " ";
  return out;
}

}  // namespace

class RateLimitHttpTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(RateLimitHttpTest);
  CPPUNIT_TEST(betterAuthPreset);
  CPPUNIT_TEST(gatewayAndForwardedFor);
  CPPUNIT_TEST(untrustedPeerCannotChooseItsAddress);
  CPPUNIT_TEST(defaultPolicyLeavesGetSessionAlone);
  CPPUNIT_TEST(databaseStoreOnSqlite);
  CPPUNIT_TEST_SUITE_END();

 public:
  void betterAuthPreset() {
    RateLimitServer server(betterAuthConfig());
    adv13FourthSignInIs429(server);
    adv13AfterTheWaitAllowed(server);
    adv14SpellingsShareTheBucket(server);
    adv18ParallelSignInsAdmitExactlyMax(server);
    absurdPathsDoNotCrash(server);
  }

  void gatewayAndForwardedFor() {
    RateLimitServer server(gatewayConfig());
    adv15RotatingLeftmostForwardedFor(server);
    gatewayIsNotOneClient(server);
    adv16Ipv6Slash64AndSpellings(server);
    hostileForwardedFor(server);
  }

  // Without a trusted proxy (or from a peer that is not one), X-Forwarded-For is ignored.
  void untrustedPeerCannotChooseItsAddress() {
    RateLimitServer server(gatewayConfig());  // trusts 127.0.0.1 only
    std::vector<int> statuses;
    for (int i = 0; i < 4; ++i)
      statuses.push_back(server.signIn({{"X-Forwarded-For", "198.51.100." + std::to_string(i + 1)}}, "127.0.0.5").status);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(statusesOf(statuses), 429, statuses[3]);
    CPPUNIT_ASSERT_EQUAL(401, statuses[2]);
    // Another peer has its own budget.
    CPPUNIT_ASSERT_EQUAL(401, server.signIn({}, "127.0.0.6").status);

    RateLimitServer noProxies(ServerConfig{"max: 3\n", {}, {}});
    for (int i = 0; i < 3; ++i)
      CPPUNIT_ASSERT_EQUAL(401, noProxies.signIn({{"X-Forwarded-For", "10.9.9." + std::to_string(i)}}).status);
    CPPUNIT_ASSERT(limited(noProxies.signIn({{"X-Forwarded-For", "10.9.9.200"}})));
  }

  void defaultPolicyLeavesGetSessionAlone() {
    RateLimitServer server(ServerConfig{"max: 3\n", {}, {}});
    for (int i = 0; i < 60; ++i) {
      HttpReply reply = server.getSession();
      CPPUNIT_ASSERT_EQUAL(200, reply.status);
      CPPUNIT_ASSERT_EQUAL(std::string("null"), reply.body);
    }
    // ... while sign-in from the same client is limited.
    for (int i = 0; i < 3; ++i) CPPUNIT_ASSERT_EQUAL(401, server.signIn().status);
    CPPUNIT_ASSERT(limited(server.signIn()));
    CPPUNIT_ASSERT_EQUAL(200, server.getSession().status);
  }

  void databaseStoreOnSqlite() {
    RateLimitServer server(ServerConfig{"store: database\nmax: 2\n", {}, {}});
    CPPUNIT_ASSERT_EQUAL(401, server.signIn().status);
    CPPUNIT_ASSERT_EQUAL(401, server.signIn().status);
    HttpReply third = server.signIn();
    CPPUNIT_ASSERT_EQUAL(429, third.status);
    CPPUNIT_ASSERT_EQUAL(kTooMany, third.body);
    const int retry = std::stoi(third.header("x-retry-after"));  // 60 less the time the sign-ins took
    CPPUNIT_ASSERT_MESSAGE(third.header("x-retry-after"), retry > 40 && retry <= 60);
    CPPUNIT_ASSERT_EQUAL(401, server.signIn({}, "127.0.0.2").status);
  }

 private:
  // ADV-13: the 4th sign-in within 10 s gets 429 with X-Retry-After of 1-10 s, in Better Auth's shape.
  void adv13FourthSignInIs429(RateLimitServer& server) {
    for (int i = 0; i < 3; ++i) CPPUNIT_ASSERT_EQUAL(401, server.signIn({}, "127.0.0.2").status);
    HttpReply reply = server.signIn({}, "127.0.0.2");
    CPPUNIT_ASSERT_EQUAL(429, reply.status);
    CPPUNIT_ASSERT_EQUAL(kTooMany, reply.body);
    CPPUNIT_ASSERT_EQUAL(std::string("application/json"), reply.header("content-type"));
    const int retry = std::stoi(reply.header("x-retry-after"));
    CPPUNIT_ASSERT_MESSAGE(reply.header("x-retry-after"), retry >= 1 && retry <= 10);
    // The social sign-in shares the /sign-in* bucket; another client does not.
    CPPUNIT_ASSERT(limited(server.send("POST", "/api/v1/auth/sign-in/social", {{"Content-Type", "application/json"}},
                                       R"({"provider":"google"})", "127.0.0.2")));
    CPPUNIT_ASSERT_EQUAL(401, server.signIn({}, "127.0.0.20").status);
  }

  // ... and after the wait it is allowed again (the sign-up rule here: 1 per 3 s).
  void adv13AfterTheWaitAllowed(RateLimitServer& server) {
    auto signUp = [&] {
      return server.send("POST", "/api/v1/auth/sign-up/email",
                         {{"Content-Type", "application/json"}, {"Origin", "http://localhost:3000"}}, "{}", "127.0.0.4");
    };
    CPPUNIT_ASSERT_EQUAL(400, signUp().status);  // counted, then refused by validation
    HttpReply limitedReply = signUp();
    CPPUNIT_ASSERT_EQUAL(429, limitedReply.status);
    const int retry = std::stoi(limitedReply.header("x-retry-after"));
    CPPUNIT_ASSERT(retry >= 1 && retry <= 3);
    std::this_thread::sleep_for(std::chrono::milliseconds(retry * 1000 + 100));
    CPPUNIT_ASSERT_EQUAL(400, signUp().status);
  }

  // ADV-14: other spellings of the sign-in path are counted in the same bucket, or 404.
  void adv14SpellingsShareTheBucket(RateLimitServer& server) {
    const std::vector<std::string> spellings = {
        "//api/v1/auth/sign-in/email", "/api/v1/auth/sign-in/email/", "/api/v1/auth/sign-in/./email",
        "/api/v1/auth/SIGN-IN/email",  "/api/v1/auth//sign-in//email", "/api/v1/auth/x/../sign-in/email",
        "/api/v1/auth/sign-in%2Femail", "/API/V1/AUTH/sign-in/email", "/api/v1/auth/%73ign-in/email"};
    const std::string client = "127.0.0.3";
    // Three odd spellings use up the bucket (each is 404 or an answered sign-in)...
    for (int i = 0; i < 3; ++i) {
      HttpReply reply = server.signIn({}, client, spellings[static_cast<size_t>(i)]);
      CPPUNIT_ASSERT_MESSAGE(spellings[static_cast<size_t>(i)] + " -> " + std::to_string(reply.status),
                             reply.status == 404 || reply.status == 401);
    }
    // ... so the canonical one is refused, and so is every other spelling.
    CPPUNIT_ASSERT(limited(server.signIn({}, client)));
    for (const std::string& spelling : spellings)
      CPPUNIT_ASSERT_EQUAL_MESSAGE(spelling, 429, server.signIn({}, client, spelling).status);
  }

  // ADV-18: 50 parallel sign-ins from one address: exactly max (3) get past the limiter.
  void adv18ParallelSignInsAdmitExactlyMax(RateLimitServer& server) {
    std::atomic<int> admitted{0};
    std::atomic<int> refused{0};
    std::atomic<int> other{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 50; ++i) {
      threads.emplace_back([&] {
        try {
          const int status = server.signIn({}, "127.0.0.9").status;
          if (status == 401) ++admitted;
          else if (status == 429) ++refused;
          else ++other;
        } catch (...) {
          ++other;
        }
      });
    }
    for (auto& thread : threads) thread.join();
    CPPUNIT_ASSERT_EQUAL(0, other.load());
    CPPUNIT_ASSERT_EQUAL(3, admitted.load());
    CPPUNIT_ASSERT_EQUAL(47, refused.load());
  }

  void absurdPathsDoNotCrash(RateLimitServer& server) {
    const std::string longPath = "/api/v1/auth/" + std::string(6000, '/') + "sign-in/email";
    std::string dots = "/api/v1/auth";
    for (int i = 0; i < 500; ++i) dots += "/..";
    for (const std::string& target : {longPath, dots + "/sign-in/email", std::string("/api/v1/auth/%%%%%"),
                                      std::string("/api/v1/auth/sign-in/%00email"), std::string("*"),
                                      std::string("http://evil.example/api/v1/auth/sign-in/email")}) {
      HttpReply reply = server.signIn({}, "127.0.0.11", target);
      CPPUNIT_ASSERT_MESSAGE(target.substr(0, 80) + " -> " + std::to_string(reply.status),
                             reply.status < 500);
    }
    CPPUNIT_ASSERT_EQUAL(200, server.send("GET", "/health").status);
  }

  // ADV-15: the client rotates a forged leftmost X-Forwarded-For; the gateway appends the real
  // address on the right, which is the one counted.
  void adv15RotatingLeftmostForwardedFor(RateLimitServer& server) {
    std::vector<int> statuses;
    for (int i = 0; i < 4; ++i)
      statuses.push_back(
          server.signIn({{"X-Forwarded-For", "203.0.113." + std::to_string(i * 7 + 1) + ", 198.51.100.7"}}).status);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(statusesOf(statuses), 429, statuses[3]);
    // A forged header of its own before the gateway's changes nothing either.
    HttpReply twoHeaders = server.send("POST", "/api/v1/auth/sign-in/email",
                                       {{"X-Forwarded-For", "203.0.113.99"}, {"X-Forwarded-For", "198.51.100.7"},
                                        {"Content-Type", "application/json"}},
                                       R"({"email":"a@b.co","password":"wrong-password"})");
    CPPUNIT_ASSERT_EQUAL(429, twoHeaders.status);
  }

  // Many users behind the gateway: each is limited on its own, the gateway never as one client.
  void gatewayIsNotOneClient(RateLimitServer& server) {
    int admitted = 0;
    for (int user = 0; user < 10; ++user)
      for (int i = 0; i < 3; ++i)
        if (server.signIn({{"X-Forwarded-For", "192.0.2." + std::to_string(user + 1)}}).status == 401) ++admitted;
    CPPUNIT_ASSERT_EQUAL(30, admitted);
    CPPUNIT_ASSERT(limited(server.signIn({{"X-Forwarded-For", "192.0.2.1"}})));
  }

  // ADV-16: addresses of one /64 and spellings of one address are one client.
  void adv16Ipv6Slash64AndSpellings(RateLimitServer& server) {
    std::vector<int> statuses;
    for (const char* address : {"2001:db8:5:6::1", "2001:db8:5:6::2", "2001:db8:5:6:aaaa::3", "2001:db8:5:6:ffff:1:2:3"})
      statuses.push_back(server.signIn({{"X-Forwarded-For", address}}).status);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(statusesOf(statuses), 429, statuses[3]);
    CPPUNIT_ASSERT_EQUAL(401, statuses[2]);

    statuses.clear();
    for (const char* spelling : {"2001:db8:7:8::1", "2001:0db8:0007:0008:0000:0000:0000:0001", "2001:DB8:7:8:0:0:0:1",
                                 "[2001:db8:7:8::1]:443"})
      statuses.push_back(server.signIn({{"X-Forwarded-For", spelling}}).status);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(statusesOf(statuses), 429, statuses[3]);
    // A different /64 is a different client.
    CPPUNIT_ASSERT_EQUAL(401, server.signIn({{"X-Forwarded-For", "2001:db8:7:9::1"}}).status);
  }

  // Thousands of entries, garbage, zone ids: never a crash, never a fresh bucket per request.
  void hostileForwardedFor(RateLimitServer& server) {
    // Hundreds of forged entries before the real client: it is still that client.
    std::string many;
    for (int i = 0; i < 700; ++i) many += "10." + std::to_string(i % 250) + ".0.1, ";
    std::vector<int> statuses;
    for (int i = 0; i < 4; ++i) statuses.push_back(server.signIn({{"X-Forwarded-For", many + "198.51.100.77"}}).status);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(statusesOf(statuses), 429, statuses[3]);

    // More than the server takes in one header: refused or answered, and the server stays up.
    std::string huge;
    for (int i = 0; i < 5000; ++i) huge += "203.0.113." + std::to_string(i % 250) + ", ";
    HttpReply hugeReply = server.signIn({{"X-Forwarded-For", huge + "198.51.100.78"}});
    CPPUNIT_ASSERT_MESSAGE(std::to_string(hugeReply.status), hugeReply.status < 500);

    // Garbage or a zone id where the gateway's entry should be: the request counts against the
    // gateway's own address (limited, never unlimited), and nothing breaks.
    statuses.clear();
    for (const char* garbage : {"garbage", "fe80::1%eth0", "1.2.3.4.5", "::ffff:999.1.1.1", "\x01\x02", "", ",,,,",
                                "1.2.3.4\t, zz", "[::1", "2001:db8::1%25en0"})
      statuses.push_back(server.signIn({{"X-Forwarded-For", garbage}}).status);
    for (int status : statuses)
      CPPUNIT_ASSERT_MESSAGE(statusesOf(statuses), status == 401 || status == 429 || status == 400 || status == 0);
    CPPUNIT_ASSERT_MESSAGE(statusesOf(statuses), std::count(statuses.begin(), statuses.end(), 401) <= 3);
    CPPUNIT_ASSERT_EQUAL(200, server.send("GET", "/health").status);
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(RateLimitHttpTest);
