// ADV-17 through the real binary: 150 wrong passwords for one account from 150 client addresses
// (distinct X-Forwarded-For behind a trusted proxy) are throttled per account; the real user
// still signs in after at most the soft interval. Small numbers keep it quick: window 60 s,
// max 40, softInterval 2 s, so 10 attempts go through at once, then one every 2 s.
#include "rate_limit_server.hpp"

#include <cppunit/extensions/HelperMacros.h>

#include <chrono>
#include <csignal>
#include <thread>

using namespace rate_limit_test;

namespace {

const std::string kTooMany = R"({"message":"Too many requests. Please try again later."})";
const std::string kPassword = "correct-horse-battery-staple";
constexpr int kUnpaced = 10;     // max 40 less 60 s / 2 s paced attempts
constexpr int kSoftSeconds = 2;

Headers jsonFrom(const std::string& address) {
  return {{"Content-Type", "application/json"}, {"Origin", "http://localhost:3000"}, {"X-Forwarded-For", address}};
}

HttpReply signIn(const RateLimitServer& server, const std::string& email, const std::string& password,
                 const std::string& address) {
  return server.send("POST", "/api/v1/auth/sign-in/email", jsonFrom(address),
                     R"({"email":")" + email + R"(","password":")" + password + R"("})");
}

}  // namespace

class AccountHttpTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(AccountHttpTest);
  CPPUNIT_TEST(adv17OnTheMemoryStore);
  CPPUNIT_TEST(adv17OnTheDatabaseStore);
  CPPUNIT_TEST_SUITE_END();

 public:
  void adv17OnTheMemoryStore() { adv17("memory"); }
  // The rateLimit table (SQLite here): what instances sharing a database count in.
  void adv17OnTheDatabaseStore() { adv17("database"); }

 private:
  void adv17(const std::string& store) {
    RateLimitServer server(ServerConfig{"store: " + store + "\naccount:\n  window: 60\n  max: 40\n  softInterval: " +
                                            std::to_string(kSoftSeconds) + "\n",
                                        {"127.0.0.1"}, {}});
    const HttpReply signedUp =
        server.send("POST", "/api/v1/auth/sign-up/email", jsonFrom("192.0.2.1"),
                    R"({"name":"Victim","email":"victim@example.com","password":")" + kPassword + R"("})");
    CPPUNIT_ASSERT_EQUAL_MESSAGE(signedUp.body, 200, signedUp.status);

    // The attack: one wrong password from each of 150 addresses, the email spelled in two cases.
    int admitted = 0;
    int refused = 0;
    int firstRefusal = -1;
    const auto started = std::chrono::steady_clock::now();
    for (int i = 0; i < 150; ++i) {
      const std::string address = "203.0." + std::to_string(113 + i / 100) + "." + std::to_string(i % 100 + 1);
      const HttpReply reply = signIn(server, i % 2 ? "Victim@Example.COM" : "victim@example.com", "wrong-" + std::to_string(i), address);
      if (reply.status == 401) {
        ++admitted;
        continue;
      }
      CPPUNIT_ASSERT_EQUAL_MESSAGE("attempt " + std::to_string(i) + ": " + reply.body, 429, reply.status);
      CPPUNIT_ASSERT_EQUAL(kTooMany, reply.body);
      const int retry = std::stoi(reply.header("x-retry-after"));
      CPPUNIT_ASSERT_MESSAGE(reply.header("x-retry-after"), retry >= 1 && retry <= kSoftSeconds);
      if (firstRefusal < 0) firstRefusal = i;
      ++refused;
    }
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    CPPUNIT_ASSERT_MESSAGE("the attack took " + std::to_string(elapsed) + " s, longer than the 60 s window", elapsed < 55);
    const std::string tally = "admitted " + std::to_string(admitted) + ", refused " + std::to_string(refused) +
                              " in " + std::to_string(elapsed) + " s";

    // Throttled right after the unpaced attempts (the 11th gets the first paced turn, so the
    // first refusal comes at the 12th unless a 2 s interval passed meanwhile) ...
    CPPUNIT_ASSERT_MESSAGE(tally, firstRefusal >= kUnpaced + 1);
    CPPUNIT_ASSERT_MESSAGE(tally, firstRefusal <= kUnpaced + 1 + static_cast<int>(elapsed / kSoftSeconds) + 1);
    // ... and after that only one per soft interval reached the password check.
    const int pacedBound = static_cast<int>(elapsed / kSoftSeconds) + 1;
    CPPUNIT_ASSERT_MESSAGE(tally, admitted >= kUnpaced + 1);
    CPPUNIT_ASSERT_MESSAGE(tally, admitted <= kUnpaced + pacedBound);
    CPPUNIT_ASSERT_MESSAGE(tally, admitted <= 40);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(tally, 150, admitted + refused);

    // The soft control: the real user, from yet another address, gets in after softInterval.
    std::this_thread::sleep_for(std::chrono::milliseconds(kSoftSeconds * 1000 + 200));
    const HttpReply user = signIn(server, "victim@example.com", kPassword, "198.51.100.10");
    CPPUNIT_ASSERT_EQUAL_MESSAGE(user.body, 200, user.status);
    CPPUNIT_ASSERT(user.body.find("\"token\"") != std::string::npos);
    // The attacker right behind them is refused again.
    CPPUNIT_ASSERT_EQUAL(429, signIn(server, "victim@example.com", "wrong", "203.0.115.1").status);

    // Another account is not affected, and a form-urlencoded sign-in still reaches the route
    // with its body (401: wrong password; not 400 for a missing email, not 415).
    CPPUNIT_ASSERT_EQUAL(401, signIn(server, "someone@example.com", "wrong", "203.0.113.1").status);
    const HttpReply form = server.send(
        "POST", "/api/v1/auth/sign-in/email",
        {{"Content-Type", "application/x-www-form-urlencoded"}, {"Origin", "http://localhost:3000"},
         {"X-Forwarded-For", "203.0.113.2"}},
        "email=someone%40example.com&password=wrong");
    CPPUNIT_ASSERT_EQUAL_MESSAGE(form.body, 401, form.status);

    // One warning for the throttled account, naming its hash and not its address.
    server.process().signal(SIGTERM);
    const std::string log = server.process().wait(10000).err;
    size_t warnings = 0;
    for (size_t at = log.find("over the limit"); at != std::string::npos; at = log.find("over the limit", at + 1)) {
      ++warnings;
      const std::string line = log.substr(at, log.find('\n', at) - at);
      CPPUNIT_ASSERT_MESSAGE(line, line.find("example.com") == std::string::npos);
      CPPUNIT_ASSERT_MESSAGE(line, line.find("account_sha256=") != std::string::npos);
    }
    CPPUNIT_ASSERT_EQUAL_MESSAGE(log, size_t{1}, warnings);
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(AccountHttpTest);
