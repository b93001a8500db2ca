// Bad input never crashes: malformed, binary, huge or hostile YAML gives one line and an exception.
#include "config/app_config.hpp"
#include "config/yaml_tree.hpp"
#include "config_test_support.hpp"
#include "temp_dir.hpp"

#include <cppunit/extensions/HelperMacros.h>

#include <random>

using namespace config_test;

class MalformedYamlTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(MalformedYamlTest);
  CPPUNIT_TEST(missingFileNamesTheFileAndTheReason);
  CPPUNIT_TEST(directoryIsNotAFile);
  CPPUNIT_TEST(tabIndentationIsReportedWithAHint);
  CPPUNIT_TEST(unclosedDoubleQuoteAtEndOfFile);
  CPPUNIT_TEST(unclosedSingleQuoteAtEndOfFile);
  CPPUNIT_TEST(closedQuotesWithEscapesAreFine);
  CPPUNIT_TEST(unclosedFlowSequence);
  CPPUNIT_TEST(badIndentation);
  CPPUNIT_TEST(strayCommaDoesNotHang);
  CPPUNIT_TEST(binaryFileWithNulBytes);
  CPPUNIT_TEST(randomBytesNeverCrash);
  CPPUNIT_TEST(invalidUtf8);
  CPPUNIT_TEST(utf8AndByteOrderMarkAreFine);
  CPPUNIT_TEST(emptyFile);
  CPPUNIT_TEST(commentOnlyFile);
  CPPUNIT_TEST(topLevelMustBeAMapping);
  CPPUNIT_TEST(twoDocumentsAreRefused);
  CPPUNIT_TEST(duplicateKeyNamesBothLines);
  CPPUNIT_TEST(nonScalarKeyIsRefused);
  CPPUNIT_TEST(tenMegabyteFileIsRefusedBeforeParsing);
  CPPUNIT_TEST(oversizedTextIsRefused);
  CPPUNIT_TEST(deepFlowNestingIsRefused);
  CPPUNIT_TEST(deepBlockNestingIsRefused);
  CPPUNIT_TEST(nestingWithinTheLimitIsFine);
  CPPUNIT_TEST(aliasBombIsRefused);
  CPPUNIT_TEST(selfReferencingAliasIsRefused);
  CPPUNIT_TEST(aliasesWithinBudgetWork);
  CPPUNIT_TEST_SUITE_END();

 public:
  void missingFileNamesTheFileAndTheReason() {
    TempDir dir;
    std::string path = dir.path() + "/nope.yaml";
    CPPUNIT_ASSERT_EQUAL(path + ": cannot read: No such file or directory",
                         errorOf([&] { crow::host::loadConfig(path, envFrom({})); }));
  }

  void directoryIsNotAFile() {
    TempDir dir;
    CPPUNIT_ASSERT_EQUAL(dir.path() + ": cannot read: Is a directory",
                         errorOf([&] { crow::host::loadConfig(dir.path(), envFrom({})); }));
  }

  void tabIndentationIsReportedWithAHint() {
    std::string message = loadError("server:\n\tport: 1\n");
    ASSERT_CONTAINS(message, "test.yaml:2:");
    ASSERT_CONTAINS(message, ": invalid YAML: ");
    ASSERT_CONTAINS(message, "line 2 is indented with a tab; YAML needs spaces");
  }

  void unclosedDoubleQuoteAtEndOfFile() {
    // yaml-cpp alone accepts this, swallowing the rest of the file into the string.
    CPPUNIT_ASSERT_EQUAL(std::string("test.yaml:2:9: invalid YAML: unclosed quoted string"),
                         loadError("server:\n  host: \"127.0.0.1\n  port: 1\n"));
  }

  void unclosedSingleQuoteAtEndOfFile() {
    CPPUNIT_ASSERT_EQUAL(std::string("test.yaml:1:10: invalid YAML: unclosed quoted string"),
                         loadError("baseURL: 'http://x''s\n"));
  }

  void closedQuotesWithEscapesAreFine() {
    auto config = load("server:\n  host: \"a\\\"b\"\nlogging:\n  level: 'info'\nbasePath: '/it''s'\n");
    CPPUNIT_ASSERT_EQUAL(std::string("a\"b"), config.server.host);
    CPPUNIT_ASSERT_EQUAL(std::string("/it's"), config.basePath);
  }

  void unclosedFlowSequence() {
    std::string message = loadError("server:\n  trustedProxies: [10.0.0.1, 10.0.0.2\n");
    ASSERT_CONTAINS(message, "test.yaml:");
    ASSERT_CONTAINS(message, ": invalid YAML: ");
  }

  void badIndentation() {
    std::string message = loadError("server:\n    port: 1\n  host: x\n");
    ASSERT_CONTAINS(message, "test.yaml:3:");
    ASSERT_CONTAINS(message, "invalid YAML");
  }

  void strayCommaDoesNotHang() {
    // yaml-cpp 0.7's LoadAll loops forever (allocating) on this; the event parser must not.
    CPPUNIT_ASSERT_EQUAL(std::string("test.yaml:1:1: invalid YAML: unexpected \",\""), loadError(","));
    CPPUNIT_ASSERT_EQUAL(std::string("test.yaml:3:1: invalid YAML: unexpected \",\""), loadError("# c\n\n, a\n"));
    ASSERT_CONTAINS(loadError("a: 1\n,\n"), "test.yaml:2:1: invalid YAML: ");
  }

  void binaryFileWithNulBytes() {
    TempDir dir;
    std::string binary("\x7f" "ELF\x02\x01\x01\x00\x00\x00\x00\x00", 12);
    std::string path = dir.write("crow-auth.so", binary + std::string(4096, '\0'));
    CPPUNIT_ASSERT_EQUAL(path + ":1:1: invalid YAML: control character 0x7F (is this a binary file?)",
                         errorOf([&] { crow::host::loadConfig(path, envFrom({})); }));
    CPPUNIT_ASSERT_EQUAL(std::string("test.yaml:2:4: invalid YAML: control character 0x00 (is this a binary file?)"),
                         loadError(std::string("a: 1\nb: \0x\n", 10)));
  }

  void randomBytesNeverCrash() {
    std::mt19937 random(1234);
    for (int round = 0; round < 50; ++round) {
      std::string bytes(2048, '\0');
      for (char& c : bytes) c = static_cast<char>(random() & 0xFF);
      std::string message = loadError(bytes);
      ASSERT_CONTAINS(message, "test.yaml:");
    }
    // Printable garbage reaches yaml-cpp itself and must come back as one line too.
    const std::string alphabet = "ab: -[]{}\n\"'&*!|>%@`,?#  \t";
    for (int round = 0; round < 300; ++round) {
      std::string text(512, ' ');
      for (char& c : text) c = alphabet[random() % alphabet.size()];
      try {
        load(text);
      } catch (const crow::ConfigError& e) {
        std::string message = e.what();
        CPPUNIT_ASSERT(message.find('\n') == std::string::npos);
        ASSERT_CONTAINS(message, "test.yaml");
      }
    }
  }

  void invalidUtf8() {
    CPPUNIT_ASSERT_EQUAL(std::string("test.yaml:1:17: invalid YAML: not valid UTF-8 (is this a binary file?)"),
                         loadError("environment: loc\xC3\x28l\n"));
  }

  void utf8AndByteOrderMarkAreFine() {
    auto config = load("\xEF\xBB\xBF# commentaire: été\nbasePath: /api/v1/auth\nsecrets:\n  NOTE_X: \"caf\xC3\xA9 \xF0\x9F\x94\x91\"\n");
    CPPUNIT_ASSERT_EQUAL(std::string("caf\xC3\xA9 \xF0\x9F\x94\x91"), config.secrets.at("NOTE_X"));
  }

  void emptyFile() {
    CPPUNIT_ASSERT_EQUAL(std::string("test.yaml:1: the configuration is empty; expected settings such as server:, "
                                     "database: and plugins: (see config/crow-auth.yaml)"),
                         loadError(""));
    TempDir dir;
    std::string path = dir.write("empty.yaml", "");
    ASSERT_CONTAINS(errorOf([&] { crow::host::loadConfig(path, envFrom({})); }), path + ":1: the configuration is empty");
  }

  void commentOnlyFile() { ASSERT_CONTAINS(loadError("# nothing here\n\n"), "test.yaml:1: the configuration is empty"); }

  void topLevelMustBeAMapping() {
    CPPUNIT_ASSERT_EQUAL(std::string("test.yaml:1: expected a mapping of settings at the top level (key: value lines)"),
                         loadError("- a\n- b\n"));
    ASSERT_CONTAINS(loadError("just words\n"), "expected a mapping of settings at the top level");
  }

  void twoDocumentsAreRefused() {
    CPPUNIT_ASSERT_EQUAL(std::string("test.yaml:2: expected one YAML document, found more (remove the \"---\" separator)"),
                         loadError("basePath: /a\n---\nbasePath: /b\n"));
  }

  void duplicateKeyNamesBothLines() {
    CPPUNIT_ASSERT_EQUAL(std::string("test.yaml:4: server.port: duplicate key (first at line 2)"),
                         loadError("server:\n  port: 1\n  host: x\n  port: 2\n"));
  }

  void nonScalarKeyIsRefused() {
    ASSERT_CONTAINS(loadError("? [a, b]\n: c\n"), "keys must be plain names");
  }

  void tenMegabyteFileIsRefusedBeforeParsing() {
    TempDir dir;
    std::string big;
    big.reserve(10u << 20);
    while (big.size() < (10u << 20)) big += "k" + std::to_string(big.size()) + ": value\n";
    std::string path = dir.write("big.yaml", big);
    std::string message = errorOf([&] { crow::host::loadConfig(path, envFrom({})); });
    CPPUNIT_ASSERT_EQUAL(path + ": file is too large (" + std::to_string(big.size()) + " bytes; the limit is 4194304)",
                         message);
  }

  void oversizedTextIsRefused() {
    std::string big(5u << 20, '#');
    ASSERT_CONTAINS(loadError(big), "test.yaml: file is too large (5242880 bytes; the limit is 4194304)");
    // Under the byte limit but with too many values: refused by the value budget, not the stack.
    std::string many = "secrets:\n  LIST: [";
    for (int i = 0; i < 150000; ++i) many += "1,";
    many += "1]\n";
    ASSERT_CONTAINS(loadError(many), "more than 100000 values");
  }

  void deepFlowNestingIsRefused() {
    // Deep enough to overflow a naive recursive parser; yaml-cpp stops at its own depth guard.
    std::string deep = "a: " + std::string(200000, '[') + std::string(200000, ']') + "\n";
    ASSERT_CONTAINS(loadError(deep), "test.yaml:1:");
    std::string moderate = "secrets:\n  X: " + std::string(100, '[') + std::string(100, ']') + "\n";
    ASSERT_CONTAINS(loadError(moderate), "nesting deeper than 64 levels");
  }

  void deepBlockNestingIsRefused() {
    std::string deep = "plugins:\n  - id: example\n    config:\n";
    std::string indent = "      ";
    for (int i = 0; i < 80; ++i) {
      deep += indent + "k" + std::to_string(i) + ":\n";
      indent += "  ";
    }
    deep += indent + "leaf: 1\n";
    std::string message = loadError(deep);
    ASSERT_CONTAINS(message, "test.yaml:");
    ASSERT_CONTAINS(message, ": plugins[0].config.k0.k1.");
    ASSERT_CONTAINS(message, ": nesting deeper than 64 levels");
  }

  void nestingWithinTheLimitIsFine() {
    std::string yaml = "plugins:\n  - id: example\n    config:\n      k: " + std::string(40, '[') + "1" +
                       std::string(40, ']') + "\n";
    auto config = load(yaml);
    CPPUNIT_ASSERT_EQUAL(size_t(1), config.plugins.size());
  }

  void aliasBombIsRefused() {
    std::string yaml =
        "secrets:\n"
        "  A: &a [x, x, x, x, x, x, x, x, x, x]\n"
        "  B: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        "  C: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
        "  D: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
        "  E: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
        "  F: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
        "  G: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n"
        "  H: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g, *g]\n"
        "  I: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h, *h]\n";
    ASSERT_CONTAINS(loadError(yaml), "more than 100000 values (an alias expanding too far?)");
  }

  void selfReferencingAliasIsRefused() {
    CPPUNIT_ASSERT_EQUAL(std::string("test.yaml:2: secrets.A[0]: an alias may not refer to a value that contains it"),
                         loadError("secrets:\n  A: &a [*a]\n"));
  }

  void aliasesWithinBudgetWork() {
    auto config = load(
        "services:\n"
        "  user: &svc\n"
        "    url: http://users.internal\n"
        "    apiKey: k1\n"
        "  billing: *svc\n");
    CPPUNIT_ASSERT_EQUAL(std::string("http://users.internal"), config.services.at("billing").url);
    CPPUNIT_ASSERT_EQUAL(std::string("k1"), config.secrets.at("SERVICE_API_KEY_BILLING"));
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(MalformedYamlTest);
