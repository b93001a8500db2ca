// End to end: the real crow-auth executable with each fixture in its config. A start-up error
// must exit non-zero and print one line "crow-auth: <error>" on stderr.
#include "loader_test_support.hpp"
#include "process.hpp"

#include <crow/abi.h>

#include <Poco/Version.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

using loader_test::fixture;

namespace {

const std::string kExecutable = std::string(CROW_BUILD_DIR) + "/bin/crow-auth";

// One temporary folder per test run, removed at exit.
struct TempDir {
  std::string path = "/tmp/crow-loader-e2e-XXXXXX";
  TempDir() {
    if (mkdtemp(path.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }
};

const std::string& tempDir() {
  static TempDir dir;
  return dir.path;
}

// Writes a config whose plugins: list is `pluginEntries` (YAML flow mappings, one per plugin).
std::string writeConfig(const std::string& name, const std::vector<std::string>& pluginEntries) {
  std::string path = tempDir() + "/" + name + ".yaml";
  std::ofstream out(path);
  out << "environment: local\n"
         "baseURL: \"http://localhost:8787\"\n"
         "secret: \"loader-e2e-secret-0123456789abcdef0123456789\"\n"
         "database:\n"
         // A file URL in the temporary folder: check-config never writes it (it inits against an
         // in-memory database), and every URL form the config accepts includes this one.
         "  url: \"sqlite://" << tempDir() << "/" << name << ".db\"\n"
         "plugins:\n";
  for (const std::string& entry : pluginEntries) out << "  - " << entry << "\n";
  if (pluginEntries.empty()) out << "  []\n";
  return path;
}

std::string pathEntry(const std::string& file) { return "{path: \"" + file + "\"}"; }

crow_test::ProcessResult runCrowAuth(const std::string& command, const std::string& config) {
  if (access(kExecutable.c_str(), X_OK) != 0) CPPUNIT_FAIL("the crow-auth executable is not built: " + kExecutable);
  return crow_test::runProcess({kExecutable, command, "--config", config}, 60000);
}

std::string describe(const crow_test::ProcessResult& r) {
  std::ostringstream s;
  s << "exit " << r.exitCode << (r.timedOut ? " (timed out)" : "") << "\n--- stdout\n" << r.out << "--- stderr\n" << r.err;
  return s.str();
}

// The stderr line "crow-auth: <error>" (warnings, "crow-auth: warning: ...", are not it), or empty.
std::string errorLine(const std::string& err) {
  std::istringstream lines(err);
  std::string found;
  for (std::string line; std::getline(lines, line);)
    if (line.rfind("crow-auth: ", 0) == 0 && line.rfind("crow-auth: warning: ", 0) != 0) found = line;
  return found;
}

void expectStartupFailure(const std::string& command, const std::vector<std::string>& plugins,
                          const std::string& expected) {
  auto result = runCrowAuth(command, writeConfig(command + "-" + std::to_string(std::rand()), plugins));
  CPPUNIT_ASSERT_MESSAGE(describe(result), !result.timedOut);
  CPPUNIT_ASSERT_MESSAGE(describe(result), result.exitCode != 0);
  const std::string line = errorLine(result.err);
  CPPUNIT_ASSERT_MESSAGE("no 'crow-auth: ' line on stderr\n" + describe(result), !line.empty());
  CPPUNIT_ASSERT_MESSAGE("expected '" + expected + "' in: " + line, line.find(expected) != std::string::npos);
}

std::string hostAbi() { return std::to_string(CROW_SDK_ABI_MAJOR) + "." + std::to_string(CROW_SDK_ABI_MINOR); }

}  // namespace

class LoaderEndToEndTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(LoaderEndToEndTest);
  CPPUNIT_TEST(checkConfigAcceptsTheExample);
  CPPUNIT_TEST(checkConfigFindsTheExampleById);
  CPPUNIT_TEST(pluginsListsTheExampleWithItsRoutesAndHooks);
  CPPUNIT_TEST(refusesAFileThatIsNotALibrary);
  CPPUNIT_TEST(refusesALibraryWithoutTheEntrySymbol);
  CPPUNIT_TEST(refusesAnotherAbi);
  CPPUNIT_TEST(refusesAnotherBuildSignature);
  CPPUNIT_TEST(refusesATooSmallDescriptor);
  CPPUNIT_TEST(reportsAThrowingCreate);
  CPPUNIT_TEST(refusesAMissingDependency);
  CPPUNIT_TEST(refusesADuplicateId);
  CPPUNIT_TEST(reportsAnInitThatThrows);
  CPPUNIT_TEST(refusesADuplicateRoute);
  CPPUNIT_TEST(refusesAnUnknownPluginId);
  CPPUNIT_TEST(pluginsCommandFailsTheSameWay);
  CPPUNIT_TEST_SUITE_END();

 public:
  void checkConfigAcceptsTheExample() {
    auto result = runCrowAuth("check-config", writeConfig("ok", {pathEntry(loader_test::examplePlugin())}));
    CPPUNIT_ASSERT_EQUAL_MESSAGE(describe(result), 0, result.exitCode);
  }

  void checkConfigFindsTheExampleById() {
    // The executable looks beside itself: build/bin/../lib/crow-auth/plugins/example.so.
    auto result = runCrowAuth("check-config", writeConfig("by-id", {"{id: example}"}));
    CPPUNIT_ASSERT_EQUAL_MESSAGE(describe(result), 0, result.exitCode);
  }

  void pluginsListsTheExampleWithItsRoutesAndHooks() {
    auto result = runCrowAuth("plugins", writeConfig("list", {pathEntry(loader_test::examplePlugin())}));
    CPPUNIT_ASSERT_EQUAL_MESSAGE(describe(result), 0, result.exitCode);
    for (const char* expected : {"example", "1.0.0", "GET /api/v1/auth/example/hello/:name",
                                 "POST /api/v1/auth/example/notes", "GET /api/v1/auth/example/notes/:id"})
      CPPUNIT_ASSERT_MESSAGE(std::string("missing '") + expected + "'\n" + describe(result),
                             result.out.find(expected) != std::string::npos);
  }

  void refusesAFileThatIsNotALibrary() {
    expectStartupFailure("check-config", {pathEntry(fixture("not_a_library"))},
                         "plugin " + fixture("not_a_library") + ": not a loadable shared library: invalid ELF header");
  }

  void refusesALibraryWithoutTheEntrySymbol() {
    expectStartupFailure("check-config", {pathEntry(fixture("missing_entry"))},
                         "plugin " + fixture("missing_entry") + ": no entry symbol crow_plugin_entry (not a crow-auth plugin)");
  }

  void refusesAnotherAbi() {
    expectStartupFailure("check-config", {pathEntry(fixture("abi_mismatch"))},
                         "plugin abi_mismatch (" + fixture("abi_mismatch") + "): built for SDK ABI " +
                             std::to_string(CROW_SDK_ABI_MAJOR + 1) + ".0, this host has " + hostAbi());
  }

  void refusesAnotherBuildSignature() {
    expectStartupFailure("check-config", {pathEntry(fixture("signature_mismatch"))},
                         "plugin signature_mismatch (" + fixture("signature_mismatch") +
                             "): built with 'gcc-11;cxx11abi=0;poco=0x010A0000;sdk=0.0.9', this host expects '" +
                             CROW_BUILD_SIGNATURE(POCO_VERSION) + "'");
  }

  void refusesATooSmallDescriptor() {
    expectStartupFailure("check-config", {pathEntry(fixture("struct_too_small"))},
                         "plugin " + fixture("struct_too_small") + ": descriptor is 16 bytes");
  }

  void reportsAThrowingCreate() {
    expectStartupFailure("check-config", {pathEntry(fixture("create_throws"))},
                         "plugin create_throws (" + fixture("create_throws") + "): create failed: constructor exploded");
  }

  void refusesAMissingDependency() {
    expectStartupFailure("check-config", {pathEntry(loader_test::examplePlugin()), pathEntry(fixture("missing_dependency"))},
                         "plugin missing_dependency depends on 'no-such-plugin', which is not loaded");
  }

  void refusesADuplicateId() {
    expectStartupFailure("check-config", {pathEntry(loader_test::examplePlugin()), pathEntry(fixture("duplicate_id"))},
                         "duplicate plugin id 'example' (" + loader_test::examplePlugin() + " and " +
                             fixture("duplicate_id") + ")");
  }

  void reportsAnInitThatThrows() {
    expectStartupFailure("check-config", {pathEntry(fixture("init_throws"))}, "plugin init_throws: init failed: boom");
  }

  void refusesADuplicateRoute() {
    expectStartupFailure("check-config", {pathEntry(loader_test::examplePlugin()), pathEntry(fixture("duplicate_route"))},
                         "route conflict");
  }

  void refusesAnUnknownPluginId() {
    expectStartupFailure("check-config", {"{id: no-such-plugin}"}, "unknown plugin 'no-such-plugin' (searched: ");
  }

  void pluginsCommandFailsTheSameWay() {
    expectStartupFailure("plugins", {pathEntry(fixture("abi_mismatch"))}, "built for SDK ABI ");
    expectStartupFailure("plugins", {pathEntry(loader_test::examplePlugin()), pathEntry(fixture("duplicate_route"))},
                         "route conflict");
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(LoaderEndToEndTest);
