// crow::ConfigNode as a plugin sees it: its `config:` block, typed getters, and errors that name
// the file, the line and the full key path.
#include "config/app_config.hpp"
#include "config_test_support.hpp"

#include <cppunit/extensions/HelperMacros.h>

using namespace config_test;

namespace {

const char* kPlugins =
    "plugins:\n"                          // 1
    "  - id: first\n"                     // 2
    "  - id: second\n"                    // 3
    "    config:\n"                       // 4
    "      greeting: ${GREETING:-Hello}\n"  // 5
    "      limit: ${LIMIT:-500}\n"        // 6
    "      ratio: 0.25\n"                 // 7
    "      strict: yes\n"                 // 8
    "      quotedNumber: \"42\"\n"        // 9
    "      empty: \"\"\n"                 // 10
    "      unsetFromEnv: ${NOPE:-}\n"     // 11
    "      nothing:\n"                    // 12
    "      list: [a, b]\n"                // 13
    "      csv: ${ORIGINS:-x, y,,z}\n"    // 14
    "      single: one\n"                 // 15
    "      smtp:\n"                       // 16
    "        host: mail.local\n"          // 17
    "        port: nope\n"                // 18
    "      rules:\n"                      // 19
    "        - path: /a\n"                // 20
    "        - path: /b\n"                // 21
    "          max: 3\n";                 // 22

}  // namespace

class ConfigNodeTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(ConfigNodeTest);
  CPPUNIT_TEST(absentConfigIsAnEmptyMapping);
  CPPUNIT_TEST(scalarsAreTypedFromTheirText);
  CPPUNIT_TEST(substitutedValuesReachThePlugin);
  CPPUNIT_TEST(unsetValuesReadAsAbsent);
  CPPUNIT_TEST(keysAreInFileOrder);
  CPPUNIT_TEST(wrongTypeNamesFileLineAndPath);
  CPPUNIT_TEST(wrongTypeFromEnvironmentSaysWhere);
  CPPUNIT_TEST(stringLists);
  CPPUNIT_TEST(childAndChildrenCarryTheirPaths);
  CPPUNIT_TEST(allowOnlySuggestsTheClosestKey);
  CPPUNIT_TEST(failNamesTheKeyOrTheBlock);
  CPPUNIT_TEST(conveniencesFromTheSdk);
  CPPUNIT_TEST(nodeOutlivesTheLoadedConfig);
  CPPUNIT_TEST(missingVariableInEnabledPluginFailsAtLoad);
  CPPUNIT_TEST(missingVariableInDisabledPluginIsIgnored);
  CPPUNIT_TEST(configMustBeAMapping);
  CPPUNIT_TEST_SUITE_END();

  static std::shared_ptr<const crow::ConfigNode> second(Env env = {}) {
    return load(kPlugins, std::move(env)).plugins.at(1).config;
  }

 public:
  void absentConfigIsAnEmptyMapping() {
    auto config = load(kPlugins).plugins.at(0).config;
    CPPUNIT_ASSERT(config != nullptr);
    CPPUNIT_ASSERT(config->keys().empty());
    CPPUNIT_ASSERT(!config->has("anything"));
    CPPUNIT_ASSERT(!config->getString("anything"));
    config->allowOnly({"a"});
    CPPUNIT_ASSERT_EQUAL(std::string("test.yaml:2: plugins[0].config.x: must be set"),
                         errorOf([&] { config->fail("x", "must be set"); }));
  }

  void scalarsAreTypedFromTheirText() {
    auto config = second();
    CPPUNIT_ASSERT_EQUAL(std::string("Hello"), *config->getString("greeting"));
    CPPUNIT_ASSERT_EQUAL(int64_t(500), *config->getInt("limit"));
    CPPUNIT_ASSERT_DOUBLES_EQUAL(0.25, *config->getDouble("ratio"), 1e-12);
    CPPUNIT_ASSERT_EQUAL(true, *config->getBool("strict"));
    CPPUNIT_ASSERT_EQUAL(int64_t(42), *config->getInt("quotedNumber"));
    CPPUNIT_ASSERT_EQUAL(std::string("42"), *config->getString("quotedNumber"));
    CPPUNIT_ASSERT_EQUAL(std::string("500"), *config->getString("limit"));
    CPPUNIT_ASSERT_DOUBLES_EQUAL(500.0, *config->getDouble("limit"), 1e-12);
  }

  void substitutedValuesReachThePlugin() {
    auto config = second({{"GREETING", "Bonjour"}, {"LIMIT", "7"}});
    CPPUNIT_ASSERT_EQUAL(std::string("Bonjour"), *config->getString("greeting"));
    CPPUNIT_ASSERT_EQUAL(int64_t(7), *config->getInt("limit"));
  }

  void unsetValuesReadAsAbsent() {
    auto config = second();
    // A quoted "" is a deliberate empty string; ${NOPE:-} and a bare key are "not set".
    CPPUNIT_ASSERT(config->has("empty"));
    CPPUNIT_ASSERT_EQUAL(std::string(""), *config->getString("empty"));
    CPPUNIT_ASSERT(!config->has("unsetFromEnv"));
    CPPUNIT_ASSERT(!config->getString("unsetFromEnv"));
    CPPUNIT_ASSERT(!config->getInt("unsetFromEnv"));
    CPPUNIT_ASSERT(!config->has("nothing"));
    CPPUNIT_ASSERT(!config->getBool("nothing"));
    CPPUNIT_ASSERT(!config->has("absent"));
    CPPUNIT_ASSERT(!config->child("absent"));
    CPPUNIT_ASSERT(config->children("absent").empty());
    CPPUNIT_ASSERT(!config->getStringList("unsetFromEnv"));
  }

  void keysAreInFileOrder() {
    std::vector<std::string> expected = {"greeting", "limit", "ratio", "strict", "quotedNumber", "empty",
                                         "unsetFromEnv", "nothing", "list", "csv", "single", "smtp", "rules"};
    CPPUNIT_ASSERT(expected == second()->keys());
  }

  void wrongTypeNamesFileLineAndPath() {
    auto config = second();
    CPPUNIT_ASSERT_EQUAL(std::string("test.yaml:5: plugins[1].config.greeting: expected an integer, got \"Hello\" "
                                     "(from ${GREETING:-Hello})"),
                         errorOf([&] { config->getInt("greeting"); }));
    CPPUNIT_ASSERT_EQUAL(std::string("test.yaml:7: plugins[1].config.ratio: expected true or false, got \"0.25\""),
                         errorOf([&] { config->getBool("ratio"); }));
    CPPUNIT_ASSERT_EQUAL(std::string("test.yaml:13: plugins[1].config.list: expected a string, got a list"),
                         errorOf([&] { config->getString("list"); }));
    CPPUNIT_ASSERT_EQUAL(std::string("test.yaml:16: plugins[1].config.smtp: expected a number, got a mapping"),
                         errorOf([&] { config->getDouble("smtp"); }));
    CPPUNIT_ASSERT_EQUAL(std::string("test.yaml:15: plugins[1].config.single: expected a mapping, got \"one\""),
                         errorOf([&] { config->child("single"); }));
    CPPUNIT_ASSERT_EQUAL(std::string("test.yaml:16: plugins[1].config.smtp: expected a list, got a mapping"),
                         errorOf([&] { config->children("smtp"); }));
    CPPUNIT_ASSERT_EQUAL(std::string("test.yaml:16: plugins[1].config.smtp: expected a list of strings, got a mapping"),
                         errorOf([&] { config->getStringList("smtp"); }));
  }

  void wrongTypeFromEnvironmentSaysWhere() {
    auto config = second({{"LIMIT", "many"}});
    CPPUNIT_ASSERT_EQUAL(
        std::string("test.yaml:6: plugins[1].config.limit: expected an integer, got \"many\" (from ${LIMIT:-500})"),
        errorOf([&] { config->getInt("limit"); }));
  }

  void stringLists() {
    auto config = second();
    CPPUNIT_ASSERT((std::vector<std::string>{"a", "b"}) == *config->getStringList("list"));
    CPPUNIT_ASSERT((std::vector<std::string>{"x", "y", "z"}) == *config->getStringList("csv"));
    CPPUNIT_ASSERT((std::vector<std::string>{"one"}) == *config->getStringList("single"));
    auto fromEnv = second({{"ORIGINS", "https://a.example, https://b.example"}});
    CPPUNIT_ASSERT((std::vector<std::string>{"https://a.example", "https://b.example"}) ==
                   *fromEnv->getStringList("csv"));
    // A list element that is not a scalar is reported at its own line.
    auto nested = load("plugins:\n  - id: p\n    config:\n      l:\n        - a\n        - {b: 1}\n").plugins[0].config;
    CPPUNIT_ASSERT_EQUAL(std::string("test.yaml:6: plugins[0].config.l[1]: expected a string, got a mapping"),
                         errorOf([&] { nested->getStringList("l"); }));
  }

  void childAndChildrenCarryTheirPaths() {
    auto config = second();
    auto smtp = config->child("smtp");
    CPPUNIT_ASSERT(smtp);
    CPPUNIT_ASSERT_EQUAL(std::string("mail.local"), *smtp->getString("host"));
    CPPUNIT_ASSERT_EQUAL(std::string("test.yaml:18: plugins[1].config.smtp.port: expected an integer, got \"nope\""),
                         errorOf([&] { smtp->getInt("port"); }));
    auto rules = config->children("rules");
    CPPUNIT_ASSERT_EQUAL(size_t(2), rules.size());
    CPPUNIT_ASSERT_EQUAL(std::string("/b"), *rules[1]->getString("path"));
    CPPUNIT_ASSERT_EQUAL(int64_t(3), *rules[1]->getInt("max"));
    CPPUNIT_ASSERT_EQUAL(std::string("test.yaml:22: plugins[1].config.rules[1].max: too many"),
                         errorOf([&] { rules[1]->fail("max", "too many"); }));
    // An absent key of a list element points at the element.
    CPPUNIT_ASSERT_EQUAL(std::string("test.yaml:20: plugins[1].config.rules[0].max: a value is required"),
                         errorOf([&] { rules[0]->requireString("max"); }));
  }

  void allowOnlySuggestsTheClosestKey() {
    auto config = load("plugins:\n  - id: p\n    config:\n      greeting: hi\n      maxNoteLenght: 3\n").plugins[0].config;
    CPPUNIT_ASSERT_EQUAL(
        std::string("test.yaml:5: plugins[0].config.maxNoteLenght: unknown key (did you mean \"maxNoteLength\"?)"),
        errorOf([&] { config->allowOnly({"greeting", "maxNoteLength", "blockHeader"}); }));
    CPPUNIT_ASSERT_EQUAL(std::string("test.yaml:4: plugins[0].config.greeting: unknown key (this block takes no settings)"),
                         errorOf([&] { config->allowOnly({}); }));
    CPPUNIT_ASSERT_EQUAL(std::string("test.yaml:4: plugins[0].config.greeting: unknown key"),
                         errorOf([&] { config->allowOnly({"maxNoteLength", "somethingElse"}); }));
  }

  void failNamesTheKeyOrTheBlock() {
    auto config = second();
    CPPUNIT_ASSERT_EQUAL(std::string("test.yaml:6: plugins[1].config.limit: must be at most 100"),
                         errorOf([&] { config->fail("limit", "must be at most 100"); }));
    // An absent key: the line of the block (its `config:` key).
    CPPUNIT_ASSERT_EQUAL(std::string("test.yaml:4: plugins[1].config.apiKey: a value is required"),
                         errorOf([&] { config->requireString("apiKey"); }));
  }

  void conveniencesFromTheSdk() {
    auto config = second();
    CPPUNIT_ASSERT_EQUAL(std::string("fallback"), config->getString("unsetFromEnv", "fallback"));
    CPPUNIT_ASSERT_EQUAL(int64_t(9), config->getInt("absent", 9));
    CPPUNIT_ASSERT_EQUAL(int64_t(500), config->getInt("limit", 9));
    CPPUNIT_ASSERT_EQUAL(true, config->getBool("strict", false));
    CPPUNIT_ASSERT_EQUAL(std::string("Hello"), config->requireString("greeting"));
  }

  void nodeOutlivesTheLoadedConfig() {
    std::shared_ptr<const crow::ConfigNode> kept;
    std::unique_ptr<crow::ConfigNode> smtp;
    {
      auto config = load(kPlugins);
      kept = config.plugins.at(1).config;
      smtp = kept->child("smtp");
    }
    CPPUNIT_ASSERT_EQUAL(std::string("Hello"), *kept->getString("greeting"));
    CPPUNIT_ASSERT_EQUAL(std::string("mail.local"), *smtp->getString("host"));
    ASSERT_CONTAINS(errorOf([&] { smtp->getInt("port"); }), "test.yaml:18: plugins[1].config.smtp.port");
  }

  void missingVariableInEnabledPluginFailsAtLoad() {
    CPPUNIT_ASSERT_EQUAL(std::string("test.yaml:5: plugins[0].config.smtp.password: environment variable SMTP_PASSWORD "
                                     "is not set (write ${SMTP_PASSWORD:-default} to give a default)"),
                         loadError("plugins:\n  - id: mail\n    config:\n      smtp:\n        password: ${SMTP_PASSWORD}\n"));
  }

  void missingVariableInDisabledPluginIsIgnored() {
    auto config = load("plugins:\n  - id: mail\n    enabled: false\n    config:\n      key: ${SMTP_PASSWORD}\n");
    CPPUNIT_ASSERT_EQUAL(false, config.plugins.at(0).enabled);
    // Reading it anyway reports the variable.
    ASSERT_CONTAINS(errorOf([&] { config.plugins[0].config->getString("key"); }),
                    "test.yaml:5: plugins[0].config.key: environment variable SMTP_PASSWORD is not set");
  }

  void configMustBeAMapping() {
    CPPUNIT_ASSERT_EQUAL(std::string("test.yaml:3: plugins[0].config: expected a mapping, got \"yes\""),
                         loadError("plugins:\n  - id: p\n    config: yes\n"));
    CPPUNIT_ASSERT_EQUAL(std::string("test.yaml:3: plugins[0].config: expected a mapping, got a list"),
                         loadError("plugins:\n  - id: p\n    config: [a]\n"));
    // `config:` with nothing after it is an empty block.
    CPPUNIT_ASSERT(load("plugins:\n  - id: p\n    config:\n").plugins[0].config->keys().empty());
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ConfigNodeTest);
