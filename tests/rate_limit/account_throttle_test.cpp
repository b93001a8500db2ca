// The per-account sign-in throttle (ADV-17, ASVS v4 2.2.1) through the limiter with the memory
// store and a clock the test moves: attempts for one account from many addresses are counted
// together, never more than `max` get through per window, the real user still gets a turn every
// soft interval, and the `account:` config block is validated.
#include "account_email.hpp"
#include "account_options.hpp"
#include "account_throttle.hpp"
#include "error_codes.hpp"
#include "limiter.hpp"
#include "memory_store.hpp"
#include "options.hpp"

#include "config/yaml_config_node.hpp"
#include "config/yaml_tree.hpp"

#include <crow/error.hpp>

#include <cppunit/extensions/HelperMacros.h>

#include <mutex>

using namespace crow::rate_limit;

namespace {

constexpr int64_t kSecond = 1000;
const std::string kVictim = "victim@example.com";

class RecordingLogger final : public crow::Logger {
 public:
  void log(crow::LogLevel, std::string_view message, const crow::LogFields& fields) override {
    std::lock_guard lock(mutex);
    std::string line(message);
    for (const auto& [k, v] : fields) line += " " + k + "=" + v;
    lines.push_back(line);
  }
  bool enabled(crow::LogLevel) const noexcept override { return true; }
  size_t count(const std::string& text) {
    std::lock_guard lock(mutex);
    size_t n = 0;
    for (const auto& line : lines) n += line.find(text) != std::string::npos;
    return n;
  }
  std::string all() {
    std::lock_guard lock(mutex);
    std::string out;
    for (const auto& line : lines) out += line + "\n";
    return out;
  }
  std::mutex mutex;
  std::vector<std::string> lines;
};

class DownStore final : public LimitStore {
 public:
  Decision hit(const std::string&, int64_t, int64_t, int64_t) override { throw StoreUnavailable("connection refused"); }
  const char* kind() const noexcept override { return "down"; }
};

Options read(const std::string& yaml) {
  auto document = crow::host::parseYamlDocument(yaml, "rl.yaml", [](const std::string&) { return std::nullopt; });
  return Options::read(crow::host::YamlConfigNode(document, document->root, "", 1), "/api/v1/auth");
}

std::string configError(const std::string& yaml) {
  try {
    read(yaml);
  } catch (const crow::ConfigError& e) {
    return e.what();
  }
  CPPUNIT_FAIL("expected a ConfigError for:\n" + yaml);
  return {};
}

crow::Request signIn(const std::string& email, const std::string& client, const std::string& path = "/api/v1/auth/sign-in/email") {
  crow::Request r;
  r.method = crow::Method::Post;
  r.rawPath = path;
  r.path = path;
  r.clientAddress = client;
  r.headers = {{"content-type", "application/json"}};
  r.body = R"({"email":")" + email + R"(","password":"wrong-password"})";
  return r;
}

crow::Request formSignIn(const std::string& encodedEmail, const std::string& client) {
  crow::Request r = signIn("", client);
  r.headers = {{"content-type", "application/x-www-form-urlencoded"}};
  r.body = "password=x&email=" + encodedEmail;
  return r;
}

// A distinct IPv4 address per attempt number (up to 65 000 of them).
std::string address(int i) { return "10.7." + std::to_string(i / 250) + "." + std::to_string(i % 250 + 1); }

AccountOptions account(int64_t windowS = 3600, int64_t max = 100, int64_t softS = 120) {
  AccountOptions options;
  options.windowMs = windowS * kSecond;
  options.max = max;
  options.softIntervalMs = softS * kSecond;
  return options;
}

// Per-client rules out of the way (a rule set with nothing in it) unless a test wants them.
Limiter limiterWith(AccountOptions options, crow::Logger& logger, std::vector<Rule> rules = {},
                    std::unique_ptr<LimitStore> store = std::make_unique<MemoryStore>()) {
  return Limiter(RuleSet(std::move(rules)), std::move(store), LimiterSettings{"/api/v1/auth", 503, 5, options}, logger);
}

struct Outcome {
  bool allowed = true;
  int status = 0;
  std::string retryAfter;
  std::string code;
};

Outcome attempt(Limiter& limiter, const crow::Request& request, int64_t nowMs) {
  try {
    limiter.check(request, nowMs);
    return {};
  } catch (const crow::ApiError& e) {
    Outcome out{false, e.status(), "", e.code()};
    for (const auto& [k, v] : e.headers())
      if (k == "X-Retry-After") out.retryAfter = v;
    return out;
  }
}

}  // namespace

class AccountThrottleTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(AccountThrottleTest);
  CPPUNIT_TEST(configDefaultsAndValidation);
  CPPUNIT_TEST(emailFromJsonAndForm);
  CPPUNIT_TEST(readingTheBodyLeavesItToTheRoute);
  CPPUNIT_TEST(keysHoldTheSha256NotTheAddress);
  CPPUNIT_TEST(adv17SlowDistributedAttackOverAnHour);
  CPPUNIT_TEST(neverMoreThanMaxPerWindow);
  CPPUNIT_TEST(hammeringGetsTheUnpacedAndOnePacedAttempt);
  CPPUNIT_TEST(realUserGetsATurnEverySoftInterval);
  CPPUNIT_TEST(newWindowStartsAfresh);
  CPPUNIT_TEST(accountsAreCountedApart);
  CPPUNIT_TEST(onlyEmailSignInsWithAnEmailAreCounted);
  CPPUNIT_TEST(spellingsOfThePathAreCounted);
  CPPUNIT_TEST(clientRulesStillApplyAndTheirRefusalsAreNotCounted);
  CPPUNIT_TEST(storeDownFailsClosedByDefault);
  CPPUNIT_TEST(oneWarningPerAccountAndWindow);
  CPPUNIT_TEST(offUnlessConfigured);
  CPPUNIT_TEST_SUITE_END();

 public:
  void configDefaultsAndValidation() {
    const AccountOptions defaults = read("{}").account;
    CPPUNIT_ASSERT(defaults.enabled);
    CPPUNIT_ASSERT_EQUAL(int64_t{3600000}, defaults.windowMs);
    CPPUNIT_ASSERT_EQUAL(int64_t{100}, defaults.max);
    CPPUNIT_ASSERT_EQUAL(int64_t{120000}, defaults.softIntervalMs);
    CPPUNIT_ASSERT(defaults.failClosed);
    // ASVS 2.2.1: at most 100 an hour, the paced ones (one per 2 min: 30) included.
    CPPUNIT_ASSERT_EQUAL(int64_t{30}, defaults.pacedPerWindow());
    CPPUNIT_ASSERT_EQUAL(int64_t{70}, defaults.unpacedPerWindow());

    const AccountOptions custom =
        read("account:\n  window: 60\n  max: 40\n  softInterval: 2\n  failClosed: false\n").account;
    CPPUNIT_ASSERT_EQUAL(int64_t{60000}, custom.windowMs);
    CPPUNIT_ASSERT_EQUAL(int64_t{10}, custom.unpacedPerWindow());
    CPPUNIT_ASSERT(!custom.failClosed);
    // A soft interval that does not divide the window: the started intervals count.
    CPPUNIT_ASSERT_EQUAL(int64_t{4}, read("account:\n  window: 10\n  max: 5\n  softInterval: 3\n").account.pacedPerWindow());
    CPPUNIT_ASSERT(!read("account:\n  enabled: false\n").account.enabled);

    auto has = [](const std::string& text, const std::string& part) {
      CPPUNIT_ASSERT_MESSAGE(text + " lacks " + part, text.find(part) != std::string::npos);
    };
    has(configError("account:\n  windw: 60\n"), "windw");
    has(configError("account:\n  window: 0\n"), "window");
    has(configError("account:\n  max: 0\n"), "max");
    has(configError("account:\n  softInterval: 0\n"), "softInterval");
    has(configError("account:\n  window: 60\n  softInterval: 61\n"), "softInterval");
    // The brief's first idea, 100 an hour plus one every 30 s, would allow 220 an hour: refused.
    has(configError("account:\n  softInterval: 30\n"), "softInterval");
    has(configError("account:\n  window: 60\n  max: 30\n  softInterval: 2\n"), "softInterval");
    has(configError("account:\n  enabled: maybe\n"), "enabled");
    has(configError("account: 5\n"), "account");
  }

  void emailFromJsonAndForm() {
    CPPUNIT_ASSERT_EQUAL(kVictim, signInEmail(signIn("Victim@EXAMPLE.com", "1.2.3.4")).value_or("-"));
    CPPUNIT_ASSERT_EQUAL(kVictim, signInEmail(formSignIn("VICTIM%40example.com", "1.2.3.4")).value_or("-"));
    CPPUNIT_ASSERT_EQUAL(std::string("victim+x@example.com"), signInEmail(formSignIn("Victim%2Bx%40example.com", "1")).value_or("-"));
    // As the core looks users up: ASCII case only, nothing trimmed (" a@b" is not a valid email).
    CPPUNIT_ASSERT_EQUAL(std::string(" victim@example.com"), signInEmail(signIn(" Victim@example.com", "1")).value_or("-"));
    CPPUNIT_ASSERT_EQUAL(std::string("\xc3\x89mile@example.com"), signInEmail(signIn("\xc3\x89mile@Example.com", "1")).value_or("-"));

    crow::Request r = signIn(kVictim, "1");
    for (const char* body : {R"({"password":"x"})", R"({"email":42})", R"({"email":null})", R"({"email":""})",
                             R"({"email":["a@b.co"]})", "{not json", "[1,2]", "", "\"a@b.co\""}) {
      r.body = body;
      crow::Request fresh = r;  // Request caches its parse
      CPPUNIT_ASSERT_MESSAGE(body, !signInEmail(fresh));
    }
    crow::Request noType = signIn(kVictim, "1");
    noType.headers.clear();
    CPPUNIT_ASSERT(!signInEmail(noType));
    crow::Request text = signIn(kVictim, "1");
    text.headers = {{"content-type", "text/plain"}};
    CPPUNIT_ASSERT(!signInEmail(text));
    crow::Request withCharset = signIn(kVictim, "1");
    withCharset.headers = {{"content-type", "Application/JSON; charset=utf-8"}};
    CPPUNIT_ASSERT_EQUAL(kVictim, signInEmail(withCharset).value_or("-"));
  }

  void readingTheBodyLeavesItToTheRoute() {
    // JSON: the route gets the same parse, and the body is untouched.
    crow::Request json = signIn(kVictim, "1");
    const std::string body = json.body;
    CPPUNIT_ASSERT(signInEmail(json));
    CPPUNIT_ASSERT_EQUAL(body, json.body);
    CPPUNIT_ASSERT_EQUAL(std::string("wrong-password"), json.json(true)->getValue<std::string>("password"));

    // Form: parsed on a copy, so a JSON-only route still refuses the media type.
    crow::Request form = formSignIn("victim%40example.com", "1");
    CPPUNIT_ASSERT(signInEmail(form));
    try {
      form.json(false);
      CPPUNIT_FAIL("a form body became JSON for a JSON-only route");
    } catch (const crow::ApiError& e) {
      CPPUNIT_ASSERT_EQUAL(415, e.status());
    }
    CPPUNIT_ASSERT_EQUAL(std::string("x"), form.json(true)->getValue<std::string>("password"));
  }

  void keysHoldTheSha256NotTheAddress() {
    CPPUNIT_ASSERT_EQUAL(std::string("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"), accountHash("abc"));
    const std::string hash = accountHash(kVictim);
    CPPUNIT_ASSERT_EQUAL(size_t{64}, hash.size());
    CPPUNIT_ASSERT_EQUAL(std::string::npos, hash.find_first_not_of("0123456789abcdef"));

    class Recording final : public LimitStore {
     public:
      Decision hit(const std::string& key, int64_t w, int64_t m, int64_t now) override {
        keys.push_back(key);
        return inner.hit(key, w, m, now);
      }
      const char* kind() const noexcept override { return "recording"; }
      MemoryStore inner;
      std::vector<std::string> keys;
    };
    auto store = std::make_unique<Recording>();
    Recording& recording = *store;
    RecordingLogger logger;
    Limiter limiter = limiterWith(account(60, 4, 20), logger, {}, std::move(store));  // 1 unpaced, 3 paced
    for (int i = 0; i < 4; ++i) attempt(limiter, signIn("Victim@Example.com", address(i)), 0);
    CPPUNIT_ASSERT(!recording.keys.empty());
    for (const std::string& key : recording.keys) {
      CPPUNIT_ASSERT_MESSAGE(key, key == "acct|" + hash || key == "acct-soft|" + hash);
      CPPUNIT_ASSERT_EQUAL(std::string::npos, key.find('@'));
    }
    CPPUNIT_ASSERT_EQUAL(std::string("acct-soft|" + hash), recording.keys.back());
    // The warning names the hash, never the address.
    const std::string log = logger.all();
    CPPUNIT_ASSERT_MESSAGE(log, log.find(hash) != std::string::npos);
    CPPUNIT_ASSERT_MESSAGE(log, log.find("example.com") == std::string::npos);
  }

  // ADV-17 as written: 150 wrong passwords for one account from 150 addresses in an hour, with
  // the default numbers. Throttled after at most 100, and never more than 100 let through.
  void adv17SlowDistributedAttackOverAnHour() {
    RecordingLogger logger;
    Limiter limiter = limiterWith(read("{}").account, logger, servicePreset(60 * kSecond, 300));
    int admitted = 0;
    int firstRefusal = -1;
    for (int i = 0; i < 150; ++i) {
      const int64_t now = i * 24 * kSecond;  // 150 in 3600 s
      const Outcome outcome = attempt(limiter, signIn(i % 2 ? "VICTIM@example.com" : kVictim, address(i)), now);
      if (outcome.allowed) {
        ++admitted;
        continue;
      }
      if (firstRefusal < 0) firstRefusal = i;
      CPPUNIT_ASSERT_EQUAL(429, outcome.status);
      CPPUNIT_ASSERT_EQUAL(std::string(""), outcome.code);  // Better Auth's 429 has no code
      const int retry = std::stoi(outcome.retryAfter);
      CPPUNIT_ASSERT_MESSAGE(outcome.retryAfter, retry >= 1 && retry <= 120);
    }
    // 70 unpaced; the 71st takes the first paced turn; the 72nd (index 71) is the first refused.
    CPPUNIT_ASSERT_EQUAL(71, firstRefusal);
    CPPUNIT_ASSERT_MESSAGE(std::to_string(admitted), admitted <= 100);
    // From the 71st (t = 1680 s) on: one per 120 s interval of the remaining 1896 s.
    CPPUNIT_ASSERT_EQUAL(70 + 16, admitted);
  }

  // An attempt every second for a whole window: exactly max get through, never more.
  void neverMoreThanMaxPerWindow() {
    RecordingLogger logger;
    Limiter limiter = limiterWith(account(), logger);
    int admitted = 0;
    for (int64_t s = 0; s < 3600; ++s)
      if (attempt(limiter, signIn(kVictim, address(static_cast<int>(s))), s * kSecond).allowed) ++admitted;
    CPPUNIT_ASSERT_EQUAL(100, admitted);
  }

  // A burst from many addresses: the unpaced budget, then one per soft interval.
  void hammeringGetsTheUnpacedAndOnePacedAttempt() {
    RecordingLogger logger;
    Limiter limiter = limiterWith(account(), logger);
    int admitted = 0;
    for (int i = 0; i < 1000; ++i) {  // 100 s
      const Outcome outcome = attempt(limiter, signIn(kVictim, address(i)), i * 100);
      if (outcome.allowed) ++admitted;
      else CPPUNIT_ASSERT(std::stoi(outcome.retryAfter) <= 120);
    }
    CPPUNIT_ASSERT_EQUAL(71, admitted);
  }

  // The soft control: while the attack goes on, the real user waits at most softInterval.
  void realUserGetsATurnEverySoftInterval() {
    RecordingLogger logger;
    Limiter limiter = limiterWith(account(3600, 100, 120), logger);
    int64_t now = 0;
    for (int i = 0; i < 200; ++i, now += 500) attempt(limiter, signIn(kVictim, address(i)), now);
    // The user tries, is refused, waits what X-Retry-After says, and gets in.
    const std::string user = "192.0.2.10";
    Outcome first = attempt(limiter, signIn("Victim@example.com", user), now);
    CPPUNIT_ASSERT(!first.allowed);
    const int64_t wait = std::stoi(first.retryAfter) * kSecond;
    CPPUNIT_ASSERT(wait <= 120 * kSecond);
    CPPUNIT_ASSERT(attempt(limiter, signIn("Victim@example.com", user), now + wait).allowed);
    // ... and the attacker, right after, is refused again.
    CPPUNIT_ASSERT(!attempt(limiter, signIn(kVictim, address(999)), now + wait + 1).allowed);
  }

  void newWindowStartsAfresh() {
    RecordingLogger logger;
    Limiter limiter = limiterWith(account(60, 12, 30), logger);  // 10 unpaced, 2 paced
    for (int i = 0; i < 10; ++i) CPPUNIT_ASSERT(attempt(limiter, signIn(kVictim, address(i)), i).allowed);
    CPPUNIT_ASSERT(attempt(limiter, signIn(kVictim, address(10)), 10).allowed);  // the paced one
    const Outcome refused = attempt(limiter, signIn(kVictim, address(11)), 11);
    CPPUNIT_ASSERT(!refused.allowed);
    CPPUNIT_ASSERT_EQUAL(std::string("30"), refused.retryAfter);
    // The window opened at t=0 ends at 60 s: ten unpaced attempts again.
    for (int i = 0; i < 10; ++i)
      CPPUNIT_ASSERT(attempt(limiter, signIn(kVictim, address(20 + i)), 60 * kSecond + i).allowed);
  }

  void accountsAreCountedApart() {
    RecordingLogger logger;
    Limiter limiter = limiterWith(account(60, 3, 30), logger);  // 1 unpaced, 2 paced
    CPPUNIT_ASSERT(attempt(limiter, signIn(kVictim, "10.0.0.1"), 0).allowed);
    CPPUNIT_ASSERT(attempt(limiter, signIn(kVictim, "10.0.0.2"), 0).allowed);
    CPPUNIT_ASSERT(!attempt(limiter, signIn(kVictim, "10.0.0.3"), 0).allowed);
    // The same addresses, another account: its own count.
    CPPUNIT_ASSERT(attempt(limiter, signIn("other@example.com", "10.0.0.3"), 0).allowed);
    CPPUNIT_ASSERT(attempt(limiter, signIn("other@example.com", "10.0.0.1"), 0).allowed);
  }

  void onlyEmailSignInsWithAnEmailAreCounted() {
    RecordingLogger logger;
    Limiter limiter = limiterWith(account(60, 2, 60), logger);  // 1 unpaced, 1 paced
    for (int i = 0; i < 10; ++i) {
      crow::Request get = signIn(kVictim, address(i));
      get.method = crow::Method::Get;
      CPPUNIT_ASSERT(attempt(limiter, get, 0).allowed);
      CPPUNIT_ASSERT(attempt(limiter, signIn(kVictim, address(i), "/api/v1/auth/sign-in/social"), 0).allowed);
      CPPUNIT_ASSERT(attempt(limiter, signIn(kVictim, address(i), "/api/v1/auth/sign-up/email"), 0).allowed);
      crow::Request noEmail = signIn(kVictim, address(i));
      noEmail.body = R"({"password":"x"})";
      CPPUNIT_ASSERT(attempt(limiter, noEmail, 0).allowed);
      crow::Request broken = signIn(kVictim, address(i));
      broken.body = "{";
      CPPUNIT_ASSERT(attempt(limiter, broken, 0).allowed);
    }
    // None of those counted: the account still has its unpaced attempt and its paced one.
    CPPUNIT_ASSERT(attempt(limiter, signIn(kVictim, "10.1.1.1"), 0).allowed);
    CPPUNIT_ASSERT(attempt(limiter, formSignIn("victim%40example.com", "10.1.1.2"), 0).allowed);
    CPPUNIT_ASSERT(!attempt(limiter, formSignIn("Victim%40Example.com", "10.1.1.3"), 0).allowed);
  }

  void spellingsOfThePathAreCounted() {
    RecordingLogger logger;
    Limiter limiter = limiterWith(account(60, 2, 60), logger);
    CPPUNIT_ASSERT(attempt(limiter, signIn(kVictim, "10.0.0.1", "/api/v1/auth//SIGN-IN/email/"), 0).allowed);
    CPPUNIT_ASSERT(attempt(limiter, signIn(kVictim, "10.0.0.2", "/api/v1/auth/x/../%73ign-in/email"), 0).allowed);
    CPPUNIT_ASSERT(!attempt(limiter, signIn(kVictim, "10.0.0.3"), 0).allowed);
  }

  void clientRulesStillApplyAndTheirRefusalsAreNotCounted() {
    RecordingLogger logger;
    // Clients: 3 per minute on /sign-in*. Account: 5 unpaced, 1 paced per minute.
    Limiter limiter = limiterWith(account(60, 6, 60), logger, servicePreset(60 * kSecond, 3));
    for (int i = 0; i < 3; ++i) CPPUNIT_ASSERT(attempt(limiter, signIn(kVictim, "10.0.0.1"), i).allowed);
    for (int i = 0; i < 20; ++i) CPPUNIT_ASSERT(!attempt(limiter, signIn(kVictim, "10.0.0.1"), 10 + i).allowed);
    // The 20 refused by the client rule never reached the account count: 2 unpaced and the
    // paced one are left for other addresses.
    CPPUNIT_ASSERT(attempt(limiter, signIn(kVictim, "10.0.0.2"), 100).allowed);
    CPPUNIT_ASSERT(attempt(limiter, signIn(kVictim, "10.0.0.3"), 100).allowed);
    CPPUNIT_ASSERT(attempt(limiter, signIn(kVictim, "10.0.0.4"), 100).allowed);
    CPPUNIT_ASSERT(!attempt(limiter, signIn(kVictim, "10.0.0.5"), 100).allowed);
  }

  void storeDownFailsClosedByDefault() {
    RecordingLogger logger;
    // The client rule for sign-in switched off: only the account rule asks the store.
    std::vector<Rule> rules = servicePreset(60 * kSecond, 3);
    rules[0].enabled = false;
    Limiter closed = limiterWith(account(), logger, rules, std::make_unique<DownStore>());
    const Outcome refused = attempt(closed, signIn(kVictim, "10.0.0.1"), 0);
    CPPUNIT_ASSERT_EQUAL(503, refused.status);
    CPPUNIT_ASSERT_EQUAL(std::string(errors::RATE_LIMIT_UNAVAILABLE.code), refused.code);
    CPPUNIT_ASSERT_EQUAL(std::string("5"), refused.retryAfter);
    CPPUNIT_ASSERT_EQUAL(int64_t{1}, closed.failedClosed());
    // Without an email there is nothing to count: the store is not asked.
    crow::Request noEmail = signIn(kVictim, "10.0.0.1");
    noEmail.body = "{}";
    CPPUNIT_ASSERT(attempt(closed, noEmail, 0).allowed);

    AccountOptions open = account();
    open.failClosed = false;
    Limiter lenient = limiterWith(open, logger, rules, std::make_unique<DownStore>());
    CPPUNIT_ASSERT(attempt(lenient, signIn(kVictim, "10.0.0.1"), 0).allowed);
    CPPUNIT_ASSERT_EQUAL(int64_t{1}, lenient.failedOpen());
  }

  void oneWarningPerAccountAndWindow() {
    RecordingLogger logger;
    Limiter limiter = limiterWith(account(60, 3, 30), logger);  // 1 unpaced
    const std::string warning = "over the limit";
    for (int i = 0; i < 50; ++i) attempt(limiter, signIn(kVictim, address(i)), i * 100);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(logger.all(), size_t{1}, logger.count(warning));
    for (int i = 0; i < 50; ++i) attempt(limiter, signIn("other@example.com", address(i)), i * 100);
    CPPUNIT_ASSERT_EQUAL(size_t{2}, logger.count(warning));
    CPPUNIT_ASSERT_EQUAL(size_t{1}, logger.count(accountHash("other@example.com")));
    // The next window: throttled again, reported again (once).
    for (int i = 0; i < 50; ++i) attempt(limiter, signIn(kVictim, address(i)), 61 * kSecond + i * 100);
    CPPUNIT_ASSERT_EQUAL(size_t{3}, logger.count(warning));
    CPPUNIT_ASSERT_EQUAL(std::string::npos, logger.all().find("example.com"));
  }

  void offUnlessConfigured() {
    RecordingLogger logger;
    // LimiterSettings without an account block: off (the plugin's config turns it on).
    Limiter limiter(RuleSet(std::vector<Rule>{}), std::make_unique<MemoryStore>(), {"/api/v1/auth"}, logger);
    for (int i = 0; i < 500; ++i) CPPUNIT_ASSERT(attempt(limiter, signIn(kVictim, address(i)), 0).allowed);
    Limiter disabled = limiterWith(read("account:\n  enabled: false\n").account, logger);
    for (int i = 0; i < 500; ++i) CPPUNIT_ASSERT(attempt(disabled, signIn(kVictim, address(i)), 0).allowed);
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(AccountThrottleTest);
