// Units of the api-key plugin without a server: key generation and the stored hash (the test
// vector of CONTRACT.md §6), the record's key order, permission checks, and the options block read
// through the host's real YAML loader (so error lines are the ones operators see).
#include "key_material.hpp"
#include "options.hpp"
#include "permissions.hpp"
#include "record_json.hpp"

#include "config/app_config.hpp"
#include "crow/error.hpp"

#include <Poco/JSON/Parser.h>

#include <cppunit/extensions/HelperMacros.h>

#include <map>
#include <set>

namespace {

crow::host::AppConfig loadYaml(const std::string& yaml) {
  auto getenv = [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
  return crow::host::loadConfigFromString(yaml, "test.yaml", getenv);
}

struct Loaded {
  crow::host::AppConfig app;
  const crow::ConfigNode& node() const { return *app.plugins.at(0).config; }
};

Loaded loadBlock(const std::string& block) { return Loaded{loadYaml("plugins:\n  - id: api-key\n    config:\n" + block)}; }

std::string readError(const std::string& block) {
  try {
    Loaded loaded = loadBlock(block);
    apikey::Options::read(loaded.node());
  } catch (const crow::ConfigError& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

class ApiKeyUnitTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(ApiKeyUnitTest);
  CPPUNIT_TEST(hashMatchesBetterAuthsTestVector);
  CPPUNIT_TEST(keysAreLettersFromTheWholeAlphabet);
  CPPUNIT_TEST(recordHasBetterAuthsKeyOrder);
  CPPUNIT_TEST(permissionsNeedEveryAction);
  CPPUNIT_TEST(optionDefaultsAreBetterAuths);
  CPPUNIT_TEST(optionsAreReadAndChecked);
  CPPUNIT_TEST_SUITE_END();

 public:
  void hashMatchesBetterAuthsTestVector() {
    CPPUNIT_ASSERT_EQUAL(std::string("4LSIufn_aZ4WTairJRPvCXoGjZA4OO97Myr_neDjhRc"),
                         apikey::hashKey("proj_BloqiqzlmUZAuBYSWRPNVrUWHSojnEWjeSheUrJeuDfpquiqiQHyzeDDXJvoazHb"));
    // The transcript's other rows (§6 "apikey rows").
    CPPUNIT_ASSERT_EQUAL(std::string("EGT651UtcHyFWWePFKdGPBmgMRX5WFJApZoYeObJx8U"),
                         apikey::hashKey("ZiZuiXirZcbqypSwAnKTSMeuelSjYRWuEUoFFgJRPZREOkhqVgAwwrpWBOLiQYsL"));
    CPPUNIT_ASSERT_EQUAL(std::size_t(43), apikey::hashKey("").size());
    CPPUNIT_ASSERT_EQUAL(std::string("proj_B"), apikey::startOf("proj_Bloqiqzlm"));
    CPPUNIT_ASSERT_EQUAL(std::string("abc"), apikey::startOf("abc"));
  }

  void keysAreLettersFromTheWholeAlphabet() {
    std::set<char> seen;
    std::set<std::string> keys;
    for (int i = 0; i < 200; ++i) {
      const std::string key = apikey::generateKey("pk_", 64);
      CPPUNIT_ASSERT_EQUAL(std::size_t(67), key.size());
      CPPUNIT_ASSERT_EQUAL(std::string("pk_"), key.substr(0, 3));
      for (char c : key.substr(3)) {
        CPPUNIT_ASSERT_MESSAGE(key, (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
        seen.insert(c);
      }
      keys.insert(key);
    }
    CPPUNIT_ASSERT_EQUAL(std::size_t(200), keys.size());
    CPPUNIT_ASSERT_EQUAL(std::size_t(52), seen.size());
    CPPUNIT_ASSERT_EQUAL(std::size_t(64), apikey::generateKey("", 64).size());
  }

  void recordHasBetterAuthsKeyOrder() {
    crow::Row row{{"id", std::string("PpNO")},
                  {"configId", std::string("default")},
                  {"name", std::string("my \"key\"")},
                  {"start", std::string("proj_B")},
                  {"referenceId", std::string("user1")},
                  {"prefix", std::string("proj_")},
                  {"key", std::string("HASH-MUST-NOT-SHOW")},
                  {"enabled", int64_t{1}},
                  {"rateLimitEnabled", int64_t{0}},
                  {"rateLimitTimeWindow", int64_t{86400000}},
                  {"rateLimitMax", int64_t{10}},
                  {"requestCount", int64_t{0}},
                  {"expiresAt", crow::Timestamp{1'800'000'000'000}},
                  {"createdAt", std::string("2026-11-28T17:44:23.278Z")},
                  {"updatedAt", crow::Timestamp{1'700'000'000'000}},
                  {"permissions", std::string(R"({"files":["read","write"]})")},
                  {"metadata", std::string("null")}};
    std::string out;
    apikey::appendRecordJson(out, row);
    CPPUNIT_ASSERT_EQUAL(
        std::string(R"({"configId":"default","name":"my \"key\"","start":"proj_B","referenceId":"user1",)"
                    R"("prefix":"proj_","refillInterval":null,"refillAmount":null,"lastRefillAt":null,"enabled":true,)"
                    R"("rateLimitEnabled":false,"rateLimitTimeWindow":86400000,"rateLimitMax":10,"requestCount":0,)"
                    R"("remaining":null,"lastRequest":null,"expiresAt":"2027-01-15T08:00:00.000Z",)"
                    R"("createdAt":"2026-11-28T17:44:23.278Z","updatedAt":"2023-11-14T22:13:20.000Z",)"
                    R"("permissions":{"files":["read","write"]},"metadata":null,"id":"PpNO"})"),
        out);
    std::string withKey;
    const std::string plaintext = "proj_Bxyz";
    apikey::appendRecordJson(withKey, row, &plaintext);
    CPPUNIT_ASSERT(withKey.find(R"("prefix":"proj_","key":"proj_Bxyz","refillInterval")") != std::string::npos);
    // Metadata an older Better Auth stored twice stringified is unwrapped; junk reads as null.
    const auto unwrapped = apikey::storedObjectJson(std::string(R"("{\"a\":1}")"));
    CPPUNIT_ASSERT(unwrapped.has_value());
    CPPUNIT_ASSERT_EQUAL(std::string(R"({"a":1})"), *unwrapped);
    CPPUNIT_ASSERT(!apikey::storedObjectJson(std::string("{not json")).has_value());
    CPPUNIT_ASSERT(!apikey::storedObjectJson(std::string("[1]")).has_value());
  }

  void permissionsNeedEveryAction() {
    const crow::Value stored = std::string(R"({"files":["read","write"],"users":["read"]})");
    auto parse = [](const std::string& json) {
      return apikey::parsePermissions(Poco::JSON::Parser().parse(json), "body.permissions");
    };
    CPPUNIT_ASSERT(apikey::grants(stored, parse(R"({"files":["read"]})")));
    CPPUNIT_ASSERT(apikey::grants(stored, parse(R"({"files":["read","write"],"users":["read"]})")));
    CPPUNIT_ASSERT(!apikey::grants(stored, parse(R"({"files":["delete"]})")));
    CPPUNIT_ASSERT(!apikey::grants(stored, parse(R"({"files":["read"],"users":["write"]})")));
    CPPUNIT_ASSERT(!apikey::grants(stored, parse(R"({"billing":["read"]})")));
    CPPUNIT_ASSERT(!apikey::grants(crow::Value{}, parse(R"({"files":["read"]})")));
    CPPUNIT_ASSERT(!apikey::grants(std::string("null"), parse(R"({"files":["read"]})")));
    for (const char* bad : {R"(["files"])", R"({"files":"read"})", R"({"files":[1]})", "[]"}) {
      try {
        parse(bad);
        CPPUNIT_FAIL(std::string("accepted ") + bad);
      } catch (const crow::ApiError& e) {
        CPPUNIT_ASSERT_EQUAL(400, e.status());
        CPPUNIT_ASSERT_EQUAL(std::string("VALIDATION_ERROR"), e.code());
      }
    }
  }

  void optionDefaultsAreBetterAuths() {
    Loaded loaded{loadYaml("plugins:\n  - id: api-key\n")};
    const apikey::Options o = apikey::Options::read(*loaded.app.plugins.at(0).config);
    CPPUNIT_ASSERT_EQUAL(std::string("x-api-key"), o.apiKeyHeader);
    CPPUNIT_ASSERT_EQUAL(int64_t{64}, o.defaultKeyLength);
    CPPUNIT_ASSERT(o.defaultPrefix.empty());
    CPPUNIT_ASSERT_EQUAL(int64_t{1}, o.minimumPrefixLength);
    CPPUNIT_ASSERT_EQUAL(int64_t{32}, o.maximumPrefixLength);
    CPPUNIT_ASSERT_EQUAL(int64_t{1}, o.minimumNameLength);
    CPPUNIT_ASSERT_EQUAL(int64_t{32}, o.maximumNameLength);
    CPPUNIT_ASSERT(!o.requireName);
    CPPUNIT_ASSERT(o.enableMetadata);  // the deviation: organizationId lives there
    CPPUNIT_ASSERT(!o.enableSessionForAPIKeys);
    CPPUNIT_ASSERT(!o.keyExpiration.defaultExpiresInS);
    CPPUNIT_ASSERT(!o.keyExpiration.disableCustomExpiresTime);
    CPPUNIT_ASSERT_EQUAL(int64_t{1}, o.keyExpiration.minExpiresInDays);
    CPPUNIT_ASSERT_EQUAL(int64_t{365}, o.keyExpiration.maxExpiresInDays);
    CPPUNIT_ASSERT(o.rateLimit.enabled);
    CPPUNIT_ASSERT_EQUAL(int64_t{86'400'000}, o.rateLimit.timeWindowMs);
    CPPUNIT_ASSERT_EQUAL(int64_t{10}, o.rateLimit.maxRequests);
    CPPUNIT_ASSERT_EQUAL(std::size_t(4), o.organizationRoles.at("owner").size());
    CPPUNIT_ASSERT_EQUAL(std::size_t(4), o.organizationRoles.at("admin").size());
    CPPUNIT_ASSERT(o.organizationRoles.at("member").empty());
    CPPUNIT_ASSERT_EQUAL(int64_t{300}, o.systemTokenExpiresInS);
    CPPUNIT_ASSERT_EQUAL(int64_t{1000}, o.usageFlushMs);
  }

  void optionsAreReadAndChecked() {
    Loaded loaded = loadBlock(
        "      apiKeyHeader: X-My-Key\n"
        "      defaultPrefix: ck_\n"
        "      requireName: true\n"
        "      enableSessionForAPIKeys: true\n"
        "      keyExpiration:\n        defaultExpiresIn: 86400\n        maxExpiresIn: 30\n"
        "      rateLimit:\n        enabled: false\n        timeWindow: 60000\n        maxRequests: 100\n"
        "      organizationRoles:\n        owner: [create, read, update, delete]\n        member: [read]\n"
        "      systemToken:\n        expiresIn: 600\n"
        "      usageFlushMs: 250\n");
    const apikey::Options o = apikey::Options::read(loaded.node());
    CPPUNIT_ASSERT_EQUAL(std::string("x-my-key"), o.apiKeyHeader);
    CPPUNIT_ASSERT_EQUAL(std::string("ck_"), o.defaultPrefix);
    CPPUNIT_ASSERT(o.requireName);
    CPPUNIT_ASSERT(o.enableSessionForAPIKeys);
    CPPUNIT_ASSERT_EQUAL(int64_t{86400}, *o.keyExpiration.defaultExpiresInS);
    CPPUNIT_ASSERT_EQUAL(int64_t{30}, o.keyExpiration.maxExpiresInDays);
    CPPUNIT_ASSERT(!o.rateLimit.enabled);
    CPPUNIT_ASSERT_EQUAL(int64_t{60000}, o.rateLimit.timeWindowMs);
    CPPUNIT_ASSERT_EQUAL(int64_t{100}, o.rateLimit.maxRequests);
    CPPUNIT_ASSERT_EQUAL(std::size_t(2), o.organizationRoles.size());  // admin is gone: listed roles only
    CPPUNIT_ASSERT(std::set<std::string>{"read"} == o.organizationRoles.at("member"));
    CPPUNIT_ASSERT_EQUAL(int64_t{600}, o.systemTokenExpiresInS);
    CPPUNIT_ASSERT_EQUAL(int64_t{250}, o.usageFlushMs);

    const std::map<std::string, std::string> bad = {
        {"      apiKeyHeadr: x\n", "apiKeyHeadr"},
        {"      defaultKeyLength: 8\n", "defaultKeyLength"},
        {"      defaultPrefix: \"a b\"\n", "defaultPrefix"},
        {"      minimumNameLength: 40\n", "minimumNameLength"},
        {"      keyExpiration:\n        minExpiresIn: 10\n        maxExpiresIn: 5\n", "minExpiresIn"},
        {"      keyExpiration:\n        maxExpiresin: 5\n", "maxExpiresin"},
        {"      rateLimit:\n        timeWindow: 0\n", "timeWindow"},
        {"      rateLimit:\n        enabled: maybe\n", "enabled"},
        {"      organizationRoles:\n        member: [write]\n", "member"},
        {"      systemToken:\n        expiresIn: 1\n", "expiresIn"},
        {"      usageFlushMs: 5\n", "usageFlushMs"},
        {"      verifyCacheMs: 70000\n", "verifyCacheMs"},
        {"      verifyCacheMs: -1\n", "verifyCacheMs"},
    };
    for (const auto& [block, key] : bad) {
      const std::string error = readError(block);
      CPPUNIT_ASSERT_MESSAGE(block + " -> " + error, error.find("test.yaml:") != std::string::npos);
      CPPUNIT_ASSERT_MESSAGE(block + " -> " + error, error.find(key) != std::string::npos);
    }
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ApiKeyUnitTest);
