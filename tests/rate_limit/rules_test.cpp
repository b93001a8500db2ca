// Unit tests of the rate-limit plugin's pure parts: path normalisation, client keys (IPv6 /64
// grouping, every spelling of one address), rule matching, presets and the config block.
#include "client_key.hpp"
#include "options.hpp"
#include "path_normaliser.hpp"
#include "rules.hpp"

#include "config/yaml_config_node.hpp"
#include "config/yaml_tree.hpp"

#include <crow/error.hpp>

#include <cppunit/extensions/HelperMacros.h>

using namespace crow::rate_limit;

namespace {

crow::host::YamlConfigNode configOf(const std::string& yaml) {
  auto document = crow::host::parseYamlDocument(yaml, "rl.yaml", [](const std::string&) { return std::nullopt; });
  return crow::host::YamlConfigNode(document, document->root, "", 1);
}

Options read(const std::string& yaml) {
  return Options::read(configOf(yaml), "/api/v1/auth");
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

const Rule& ruleOf(const RuleSet& rules, const std::string& path) {
  const Rule* rule = rules.match(path);
  CPPUNIT_ASSERT_MESSAGE("no rule for " + path, rule != nullptr);
  return *rule;
}

}  // namespace

class PathNormaliserTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(PathNormaliserTest);
  CPPUNIT_TEST(canonicalPathsAreUnchanged);
  CPPUNIT_TEST(absurdSpellingsOfSignInAreSignIn);
  CPPUNIT_TEST(encodedSlashStaysAnEscape);
  CPPUNIT_TEST(dotSegmentsNeverClimbAboveTheRoot);
  CPPUNIT_TEST(hostileInputDoesNotCrash);
  CPPUNIT_TEST(basePathIsStripped);
  CPPUNIT_TEST_SUITE_END();

 public:
  void canonicalPathsAreUnchanged() {
    for (const char* path : {"/", "/api/v1/auth/sign-in/email", "/api/v1/auth/get-session", "/a.b/c..d/.e",
                             "/reset-password/abc123"}) {
      CPPUNIT_ASSERT_MESSAGE(path, isNormalPath(path));
      CPPUNIT_ASSERT_EQUAL(std::string(path), normalisePath(path));
    }
    for (const char* path : {"", "x", "//a", "/a/", "/A", "/a/./b", "/a/../b", "/a%2fb", "/.", "/.."})
      CPPUNIT_ASSERT_MESSAGE(path, !isNormalPath(path));
  }

  void absurdSpellingsOfSignInAreSignIn() {
    const std::string expected = "/api/v1/auth/sign-in/email";
    for (const char* path : {
             "/api/v1/auth/SIGN-IN/email/", "//api/v1/auth//sign-in//email", "/api/v1/auth/sign-in/./email",
             "/api/v1/auth/x/../sign-in/email", "/API/V1/AUTH/Sign-In/Email", "/api/v1/auth/sign-in/email/.",
             "/api/v1/auth/sign-in/email/x/..", "/api/v1/auth/%73ign-in/email", "/api/v1/auth/sign%2Din/email",
             "/api/v1/auth/sign-in/%2E/email", "/api/v1/auth/sign-in/%2e%2e/sign-in/email", "/../api/v1/auth/sign-in/email",
             "/api/v1/auth/sign-in/email///", "api/v1/auth/sign-in/email"}) {
      CPPUNIT_ASSERT_EQUAL_MESSAGE(path, expected, normalisePath(path));
    }
  }

  void encodedSlashStaysAnEscape() {
    // %2F is not a separator for the router either: the limiter must not split on it.
    CPPUNIT_ASSERT_EQUAL(std::string("/api/v1/auth/sign-in%2femail"), normalisePath("/api/v1/auth/sign-in%2Femail"));
    CPPUNIT_ASSERT_EQUAL(std::string("/a%25b"), normalisePath("/a%25b"));   // a literal '%' stays escaped
    CPPUNIT_ASSERT_EQUAL(std::string("/a%zz"), normalisePath("/a%zz"));     // a broken escape stays as sent
    CPPUNIT_ASSERT_EQUAL(std::string("/a%2"), normalisePath("/a%2"));
    CPPUNIT_ASSERT_EQUAL(std::string("/a%"), normalisePath("/a%"));
  }

  void dotSegmentsNeverClimbAboveTheRoot() {
    CPPUNIT_ASSERT_EQUAL(std::string("/"), normalisePath("/../../.."));
    CPPUNIT_ASSERT_EQUAL(std::string("/"), normalisePath("//"));
    CPPUNIT_ASSERT_EQUAL(std::string("/b"), normalisePath("/a/../../b"));
  }

  void hostileInputDoesNotCrash() {
    const std::string slashes(100000, '/');
    CPPUNIT_ASSERT_EQUAL(std::string("/"), normalisePath(slashes));
    std::string dots;
    for (int i = 0; i < 20000; ++i) dots += "/..";
    CPPUNIT_ASSERT_EQUAL(std::string("/x"), normalisePath(dots + "/x/"));
    std::string binary = "/a";
    for (int c = 0; c < 256; ++c) binary.push_back(static_cast<char>(c));
    CPPUNIT_ASSERT(!normalisePath(binary).empty());
    std::string percents(30000, '%');
    CPPUNIT_ASSERT_EQUAL(std::string("/") + percents, normalisePath("/" + percents));
  }

  void basePathIsStripped() {
    CPPUNIT_ASSERT_EQUAL(std::string("/api/v1/auth"), normaliseBasePath("/API/v1/auth/"));
    CPPUNIT_ASSERT_EQUAL(std::string(), normaliseBasePath("/"));
    CPPUNIT_ASSERT_EQUAL(std::string(), normaliseBasePath(""));
    CPPUNIT_ASSERT(stripBasePath("/api/v1/auth/sign-in/email", "/api/v1/auth") == "/sign-in/email");
    CPPUNIT_ASSERT(stripBasePath("/api/v1/auth", "/api/v1/auth") == "/");
    CPPUNIT_ASSERT(stripBasePath("/api/v1/authx/sign-in", "/api/v1/auth") == "/api/v1/authx/sign-in");
    CPPUNIT_ASSERT(stripBasePath("/health", "/api/v1/auth") == "/health");
    CPPUNIT_ASSERT(stripBasePath("/sign-in/email", "") == "/sign-in/email");
  }
};

class ClientKeyTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(ClientKeyTest);
  CPPUNIT_TEST(ipv4IsItself);
  CPPUNIT_TEST(everySpellingOfOneIpv6AddressIsOneKey);
  CPPUNIT_TEST(oneSlash64IsOneKey);
  CPPUNIT_TEST(differentSlash64sDiffer);
  CPPUNIT_TEST(ipv4MappedIsIpv4);
  CPPUNIT_TEST(garbageIsBoundedAndMarked);
  CPPUNIT_TEST_SUITE_END();

 public:
  void ipv4IsItself() {
    CPPUNIT_ASSERT_EQUAL(std::string("203.0.113.7"), clientKey("203.0.113.7"));
    CPPUNIT_ASSERT_EQUAL(std::string("unknown"), clientKey(""));
    // Keys are remembered per thread for the last address: repeats and alternations still agree.
    for (int i = 0; i < 3; ++i) {
      CPPUNIT_ASSERT_EQUAL(std::string("203.0.113.7"), clientKey("203.0.113.7"));
      CPPUNIT_ASSERT_EQUAL(std::string("203.0.113.7"), clientKey("203.0.113.7"));
      CPPUNIT_ASSERT_EQUAL(std::string("198.51.100.1"), clientKey("::ffff:198.51.100.1"));
      CPPUNIT_ASSERT_EQUAL(std::string("unknown"), clientKey(""));
    }
  }

  void everySpellingOfOneIpv6AddressIsOneKey() {
    const std::string expected = "2001:db8:aa:bb::/64";
    for (const char* spelling :
         {"2001:db8:aa:bb:1:2:3:4", "2001:0db8:00aa:00bb:0001:0002:0003:0004", "2001:DB8:AA:BB:1:2:3:4",
          "2001:db8:aa:bb:0001:2:3:4", "[2001:db8:aa:bb:1:2:3:4]", "2001:db8:aa:bb:1:2:3:4%eth0",
          "2001:db8:aa:bb::", "2001:0DB8:00AA:00BB::0"}) {
      CPPUNIT_ASSERT_EQUAL_MESSAGE(spelling, expected, clientKey(spelling));
    }
    CPPUNIT_ASSERT_EQUAL(std::string("::/64"), clientKey("::1"));
    CPPUNIT_ASSERT_EQUAL(std::string("::/64"), clientKey("0:0:0:0:0:0:0:1"));
  }

  void oneSlash64IsOneKey() {
    const std::string first = clientKey("2001:db8:1:2::1");
    for (const char* other : {"2001:db8:1:2::2", "2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2:dead:beef::"})
      CPPUNIT_ASSERT_EQUAL_MESSAGE(other, first, clientKey(other));
  }

  void differentSlash64sDiffer() {
    CPPUNIT_ASSERT(clientKey("2001:db8:1:2::1") != clientKey("2001:db8:1:3::1"));
    CPPUNIT_ASSERT(clientKey("2001:db8:1:2::1") != clientKey("2001:db9:1:2::1"));
  }

  void ipv4MappedIsIpv4() {
    CPPUNIT_ASSERT_EQUAL(std::string("198.51.100.9"), clientKey("::ffff:198.51.100.9"));
    CPPUNIT_ASSERT_EQUAL(std::string("198.51.100.9"), clientKey("::FFFF:c633:6409"));
    CPPUNIT_ASSERT_EQUAL(std::string("198.51.100.9"), clientKey("0:0:0:0:0:ffff:198.51.100.9"));
  }

  void garbageIsBoundedAndMarked() {
    CPPUNIT_ASSERT_EQUAL(std::string("other:not-an-ip"), clientKey("not-an-ip"));
    const std::string huge(10000, 'x');
    CPPUNIT_ASSERT_EQUAL(size_t(6 + 64), clientKey(huge).size());
    CPPUNIT_ASSERT_EQUAL(std::string("other:1.2.3.4\0x", 15), clientKey(std::string("1.2.3.4\0x", 9)));
    // A text that is not an address can never take the key of one.
    CPPUNIT_ASSERT(clientKey("1.2.3.4 ") != clientKey("1.2.3.4"));
  }
};

class RulesTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(RulesTest);
  CPPUNIT_TEST(servicePresetCoversCredentialEndpointsOnly);
  CPPUNIT_TEST(betterAuthPresetHasItsSpecialRules);
  CPPUNIT_TEST(exactBeatsLongestPrefixBeatsCatchAll);
  CPPUNIT_TEST(customRuleReplacesPresetRule);
  CPPUNIT_TEST(disabledRuleExemptsItsPaths);
  CPPUNIT_TEST(credentialRulesFailClosed);
  CPPUNIT_TEST_SUITE_END();

 public:
  void servicePresetCoversCredentialEndpointsOnly() {
    RuleSet rules(servicePreset(60000, 300));
    for (const char* path : {"/sign-in/email", "/sign-in/social", "/sign-up/email", "/api-key/verify",
                             "/api-key/system-token"}) {
      const Rule& rule = ruleOf(rules, path);
      CPPUNIT_ASSERT_EQUAL(int64_t{60000}, rule.windowMs);
      CPPUNIT_ASSERT_EQUAL(int64_t{300}, rule.max);
      CPPUNIT_ASSERT(rule.failClosed);
      CPPUNIT_ASSERT(!rule.perPath);
    }
    for (const char* path : {"/get-session", "/token", "/jwks", "/api-key/verify/x", "/api-key/create", "/"})
      CPPUNIT_ASSERT_MESSAGE(path, rules.match(path) == nullptr);
  }

  void betterAuthPresetHasItsSpecialRules() {
    RuleSet rules(betterAuthPreset(10000, 100));
    const Rule& any = ruleOf(rules, "/get-session");
    CPPUNIT_ASSERT_EQUAL(std::string("*"), any.path);
    CPPUNIT_ASSERT_EQUAL(int64_t{10000}, any.windowMs);
    CPPUNIT_ASSERT_EQUAL(int64_t{100}, any.max);
    CPPUNIT_ASSERT(any.perPath);
    CPPUNIT_ASSERT(!any.failClosed);
    for (const char* path : {"/sign-in/email", "/sign-up/email", "/change-password", "/change-email"}) {
      const Rule& rule = ruleOf(rules, path);
      CPPUNIT_ASSERT_EQUAL_MESSAGE(path, int64_t{10000}, rule.windowMs);
      CPPUNIT_ASSERT_EQUAL_MESSAGE(path, int64_t{3}, rule.max);
    }
    for (const char* path : {"/request-password-reset", "/send-verification-email", "/forget-password",
                             "/email-otp/send-verification-otp", "/email-otp/request-password-reset"}) {
      const Rule& rule = ruleOf(rules, path);
      CPPUNIT_ASSERT_EQUAL_MESSAGE(path, int64_t{60000}, rule.windowMs);
      CPPUNIT_ASSERT_EQUAL_MESSAGE(path, int64_t{3}, rule.max);
    }
    // Exact rules are exact, as in Better Auth: a longer path falls back to the default.
    CPPUNIT_ASSERT_EQUAL(std::string("*"), ruleOf(rules, "/request-password-reset/x").path);
    CPPUNIT_ASSERT(ruleOf(rules, "/sign-in/email").failClosed);
    CPPUNIT_ASSERT(ruleOf(rules, "/request-password-reset").failClosed);
    CPPUNIT_ASSERT(!ruleOf(rules, "/send-verification-email").failClosed);
  }

  void exactBeatsLongestPrefixBeatsCatchAll() {
    Rule all{"*", 1000, 1};
    Rule signIn{"/sign-in*", 1000, 2};
    Rule signInEmail{"/sign-in/email*", 1000, 3};
    Rule exact{"/sign-in/email", 1000, 4};
    RuleSet rules({exact, signInEmail, all, signIn});
    CPPUNIT_ASSERT_EQUAL(int64_t{4}, ruleOf(rules, "/sign-in/email").max);
    CPPUNIT_ASSERT_EQUAL(int64_t{3}, ruleOf(rules, "/sign-in/email/x").max);
    CPPUNIT_ASSERT_EQUAL(int64_t{2}, ruleOf(rules, "/sign-in/social").max);
    CPPUNIT_ASSERT_EQUAL(int64_t{1}, ruleOf(rules, "/other").max);
  }

  void customRuleReplacesPresetRule() {
    Options options = read("rules:\n  - path: /sign-in*\n    window: 5\n    max: 2\n");
    RuleSet rules(options.rules);
    const Rule& rule = ruleOf(rules, "/sign-in/email");
    CPPUNIT_ASSERT_EQUAL(int64_t{5000}, rule.windowMs);
    CPPUNIT_ASSERT_EQUAL(int64_t{2}, rule.max);
    CPPUNIT_ASSERT(rule.failClosed);
    CPPUNIT_ASSERT_EQUAL(size_t(4), rules.rules().size());  // replaced, not added
  }

  void disabledRuleExemptsItsPaths() {
    Options options = read("preset: better-auth\nrules:\n  - path: /get-session\n    enabled: false\n");
    RuleSet rules(options.rules);
    CPPUNIT_ASSERT(rules.match("/get-session") == nullptr);
    CPPUNIT_ASSERT(rules.match("/list-sessions") != nullptr);
  }

  void credentialRulesFailClosed() {
    for (const char* path : {"/sign-in*", "/sign-up/email", "/api-key/verify", "/api-key/system-token",
                             "/change-password", "/reset-password*", "/request-password-reset"})
      CPPUNIT_ASSERT_MESSAGE(path, isCredentialPath(path));
    for (const char* path : {"*", "/get-session", "/jwks", "/token", "/organization*"})
      CPPUNIT_ASSERT_MESSAGE(path, !isCredentialPath(path));
    Options options = read("rules:\n  - path: /get-session\n  - path: /sign-in/email\n    failClosed: false\n");
    RuleSet rules(options.rules);
    CPPUNIT_ASSERT(!ruleOf(rules, "/get-session").failClosed);
    CPPUNIT_ASSERT(!ruleOf(rules, "/sign-in/email").failClosed);
    CPPUNIT_ASSERT(ruleOf(rules, "/sign-in/social").failClosed);
  }
};

class OptionsTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(OptionsTest);
  CPPUNIT_TEST(defaultsAreTheServicePolicyInMemory);
  CPPUNIT_TEST(windowAndMaxSetThePresetNumbers);
  CPPUNIT_TEST(betterAuthPresetDefaults);
  CPPUNIT_TEST(rulePathsAreNormalised);
  CPPUNIT_TEST(storesAndTheirBlocks);
  CPPUNIT_TEST(badValuesNameTheKey);
  CPPUNIT_TEST_SUITE_END();

 public:
  void defaultsAreTheServicePolicyInMemory() {
    Options options = read("{}");
    CPPUNIT_ASSERT(options.store == StoreKind::Memory);
    CPPUNIT_ASSERT_EQUAL(std::string("service"), options.preset);
    CPPUNIT_ASSERT_EQUAL(503, options.storeDownStatus);
    CPPUNIT_ASSERT_EQUAL(size_t(4), options.rules.size());
    for (const Rule& rule : options.rules) {
      CPPUNIT_ASSERT_EQUAL(int64_t{60000}, rule.windowMs);
      CPPUNIT_ASSERT_EQUAL(int64_t{300}, rule.max);
    }
  }

  void windowAndMaxSetThePresetNumbers() {
    Options options = read("window: 30\nmax: 10\n");
    for (const Rule& rule : options.rules) {
      CPPUNIT_ASSERT_EQUAL(int64_t{30000}, rule.windowMs);
      CPPUNIT_ASSERT_EQUAL(int64_t{10}, rule.max);
    }
    // A custom rule without numbers takes the top-level ones.
    Options custom = read("window: 30\nmax: 10\nrules:\n  - path: /token\n");
    RuleSet rules(custom.rules);
    CPPUNIT_ASSERT_EQUAL(int64_t{30000}, ruleOf(rules, "/token").windowMs);
    CPPUNIT_ASSERT_EQUAL(int64_t{10}, ruleOf(rules, "/token").max);
  }

  void betterAuthPresetDefaults() {
    Options options = read("preset: better-auth\n");
    RuleSet rules(options.rules);
    CPPUNIT_ASSERT_EQUAL(int64_t{10000}, ruleOf(rules, "/jwks").windowMs);
    CPPUNIT_ASSERT_EQUAL(int64_t{100}, ruleOf(rules, "/jwks").max);
    Options tuned = read("preset: better-auth\nwindow: 20\nmax: 50\n");
    RuleSet tunedRules(tuned.rules);
    CPPUNIT_ASSERT_EQUAL(int64_t{20000}, ruleOf(tunedRules, "/jwks").windowMs);
    CPPUNIT_ASSERT_EQUAL(int64_t{3}, ruleOf(tunedRules, "/sign-in/email").max);  // special rules keep theirs
  }

  void rulePathsAreNormalised() {
    CPPUNIT_ASSERT_EQUAL(std::string("/sign-in/email"), normaliseRulePath("/Sign-In//Email/", "/api/v1/auth"));
    CPPUNIT_ASSERT_EQUAL(std::string("/sign-in/email"), normaliseRulePath("/api/v1/auth/sign-in/email", "/api/v1/auth"));
    CPPUNIT_ASSERT_EQUAL(std::string("/sign-in*"), normaliseRulePath("/SIGN-IN*", "/api/v1/auth"));
    CPPUNIT_ASSERT_EQUAL(std::string("/sign-in/*"), normaliseRulePath("/sign-in/*", "/api/v1/auth"));
    CPPUNIT_ASSERT_EQUAL(std::string("*"), normaliseRulePath("*", "/api/v1/auth"));
    CPPUNIT_ASSERT_EQUAL(std::string(), normaliseRulePath("sign-in", "/api/v1/auth"));
    CPPUNIT_ASSERT_EQUAL(std::string(), normaliseRulePath("/a*b", "/api/v1/auth"));
    CPPUNIT_ASSERT_EQUAL(std::string(), normaliseRulePath("", "/api/v1/auth"));
  }

  void storesAndTheirBlocks() {
    CPPUNIT_ASSERT(read("store: database\n").store == StoreKind::Database);
    Options redis = read("store: redis\nredis:\n  url: redis://10.0.0.5:6380/2\n  poolSize: 4\n  timeoutMs: 50\n"
                         "  keyPrefix: \"x:\"\n");
    CPPUNIT_ASSERT(redis.store == StoreKind::Redis);
    CPPUNIT_ASSERT_EQUAL(std::string("redis://10.0.0.5:6380/2"), redis.redis.url);
    CPPUNIT_ASSERT_EQUAL(4, redis.redis.poolSize);
    CPPUNIT_ASSERT_EQUAL(50, redis.redis.timeoutMs);
    CPPUNIT_ASSERT_EQUAL(std::string("x:"), redis.redis.keyPrefix);
    Options memory = read("memory:\n  maxEntries: 5000\nstoreDownStatus: 429\nstoreDownRetryAfter: 7\n");
    CPPUNIT_ASSERT_EQUAL(size_t(5000), memory.memory.maxEntries);
    CPPUNIT_ASSERT_EQUAL(429, memory.storeDownStatus);
    CPPUNIT_ASSERT_EQUAL(int64_t{7}, memory.storeDownRetryAfterSeconds);
  }

  void badValuesNameTheKey() {
    auto has = [](const std::string& text, const std::string& part) {
      CPPUNIT_ASSERT_MESSAGE(text + " lacks " + part, text.find(part) != std::string::npos);
    };
    has(configError("store: mongo\n"), "store");
    has(configError("preset: nginx\n"), "preset");
    has(configError("window: 0\n"), "window");
    has(configError("max: -1\n"), "max");
    has(configError("storeDownStatus: 500\n"), "storeDownStatus");
    has(configError("typo: 1\n"), "typo");
    has(configError("rules:\n  - path: sign-in\n"), "path");
    has(configError("rules:\n  - window: 5\n"), "path");
    has(configError("rules:\n  - path: /x\n    maxx: 5\n"), "maxx");
    has(configError("redis:\n  poolSize: 0\n"), "poolSize");
    has(configError("memory:\n  maxEntries: 5\n"), "maxEntries");
    has(configError("window: 99999999\n"), "rl.yaml:");  // file and line come with every message
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PathNormaliserTest);
CPPUNIT_TEST_SUITE_REGISTRATION(ClientKeyTest);
CPPUNIT_TEST_SUITE_REGISTRATION(RulesTest);
CPPUNIT_TEST_SUITE_REGISTRATION(OptionsTest);
