// Finding plugin and backend files by id, and the messages when they are not there.
#include "loader_test_support.hpp"

#include "plugins/plugin_resolver.hpp"

#include <crow/error.hpp>

#include <cstdlib>

using crow::host::PluginSpecRef;
using crow::host::resolvePluginFile;
using loader_test::messageOf;

namespace {

std::string buildDir() { return CROW_BUILD_DIR; }

std::string joined(const std::vector<std::string>& dirs) {
  std::string out;
  for (const auto& d : dirs) out += (out.empty() ? "" : ", ") + d;
  return out;
}

// Sets an environment variable for one scope.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const std::string& value) : name_(name) {
    if (const char* old = std::getenv(name)) previous_ = old, hadPrevious_ = true;
    setenv(name, value.c_str(), 1);
  }
  ~ScopedEnv() { hadPrevious_ ? setenv(name_, previous_.c_str(), 1) : unsetenv(name_); }

 private:
  const char* name_;
  std::string previous_;
  bool hadPrevious_ = false;
};

}  // namespace

class PluginResolverTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(PluginResolverTest);
  CPPUNIT_TEST(searchesExtraDirsThenEnvThenBesideTheExecutable);
  CPPUNIT_TEST(findsTheExampleInTheBuildTree);
  CPPUNIT_TEST(prefersEarlierDirectories);
  CPPUNIT_TEST(reportsAnUnknownIdWithTheDirectoriesSearched);
  CPPUNIT_TEST(refusesIdsThatAreNotFileNames);
  CPPUNIT_TEST(takesPathsRelativeToTheConfigFile);
  CPPUNIT_TEST(wantsExactlyOneOfIdAndPath);
  CPPUNIT_TEST(resolvesBackends);
  CPPUNIT_TEST_SUITE_END();

 public:
  void searchesExtraDirsThenEnvThenBesideTheExecutable() {
    ScopedEnv env("CROW_AUTH_PLUGIN_DIR", "/opt/crow/plugins/");
    std::vector<std::string> dirs = crow::host::pluginSearchDirs({"/etc/x/", "/etc/x"});
    CPPUNIT_ASSERT(dirs.size() >= 4);
    CPPUNIT_ASSERT_EQUAL(std::string("/etc/x"), dirs[0]);  // the duplicate is dropped
    CPPUNIT_ASSERT_EQUAL(std::string("/opt/crow/plugins"), dirs[1]);
    CPPUNIT_ASSERT_EQUAL(buildDir() + "/lib/crow-auth/plugins", dirs[2]);
    CPPUNIT_ASSERT_EQUAL(std::string("/usr/lib/crow-auth/plugins"), dirs.back());
    CPPUNIT_ASSERT_EQUAL(buildDir() + "/bin", crow::host::executableDir());
  }

  void findsTheExampleInTheBuildTree() {
    CPPUNIT_ASSERT_EQUAL(loader_test::examplePlugin(),
                         resolvePluginFile({.id = "example", .location = "c.yaml:3: plugins[0]"},
                                           crow::host::pluginSearchDirs()));
  }

  void prefersEarlierDirectories() {
    // The fixture dir holds no example.so; it holds init_throws.so, which the build tree does not.
    auto dirs = crow::host::pluginSearchDirs({CROW_FIXTURE_DIR});
    CPPUNIT_ASSERT_EQUAL(loader_test::fixture("init_throws"),
                         resolvePluginFile({.id = "init_throws", .location = "c.yaml:3: plugins[0]"}, dirs));
    CPPUNIT_ASSERT_EQUAL(loader_test::examplePlugin(),
                         resolvePluginFile({.id = "example", .location = "c.yaml:3: plugins[0]"}, dirs));
  }

  void reportsAnUnknownIdWithTheDirectoriesSearched() {
    auto dirs = crow::host::pluginSearchDirs({"/nowhere"});
    CPPUNIT_ASSERT_EQUAL("crow-auth.yaml:12: plugins[2].id: unknown plugin 'foo' (searched: " + joined(dirs) + ")",
                         messageOf<crow::ConfigError>([&] {
                           resolvePluginFile({.id = "foo", .location = "crow-auth.yaml:12: plugins[2]"}, dirs);
                         }));
    CPPUNIT_ASSERT(joined(dirs).find("/nowhere, ") == 0);
  }

  void refusesIdsThatAreNotFileNames() {
    CPPUNIT_ASSERT_EQUAL(std::string("c.yaml:4: plugins[1].id: invalid plugin id '../bin/x'"),
                         messageOf<crow::ConfigError>([] {
                           resolvePluginFile({.id = "../bin/x", .location = "c.yaml:4: plugins[1]"}, {"/tmp"});
                         }));
  }

  void takesPathsRelativeToTheConfigFile() {
    CPPUNIT_ASSERT_EQUAL(std::string("/etc/crow-auth/plugins/mine.so"),
                         resolvePluginFile({.path = "plugins/./mine.so", .location = "l", .baseDir = "/etc/crow-auth"}, {}));
    CPPUNIT_ASSERT_EQUAL(std::string("/abs/mine.so"),
                         resolvePluginFile({.path = "/abs/mine.so", .location = "l", .baseDir = "/etc/crow-auth"}, {}));
  }

  void wantsExactlyOneOfIdAndPath() {
    CPPUNIT_ASSERT_EQUAL(std::string("c.yaml:5: plugins[0]: give either id or path"),
                         messageOf<crow::ConfigError>([] {
                           resolvePluginFile({.id = "a", .path = "/a.so", .location = "c.yaml:5: plugins[0]"}, {});
                         }));
    CPPUNIT_ASSERT_EQUAL(std::string("c.yaml:5: plugins[0]: give either id or path"),
                         messageOf<crow::ConfigError>([] {
                           resolvePluginFile({.location = "c.yaml:5: plugins[0]"}, {});
                         }));
  }

  void resolvesBackends() {
    ScopedEnv env("CROW_AUTH_BACKEND_DIR", CROW_FIXTURE_DIR);
    auto dirs = crow::host::backendSearchDirs();
    CPPUNIT_ASSERT_EQUAL(std::string(CROW_FIXTURE_DIR), dirs[0]);
    CPPUNIT_ASSERT_EQUAL(buildDir() + "/lib/crow-auth/backends", dirs[1]);
    // Any file named <dialect>.so is found; loadLibrary then checks what it is.
    CPPUNIT_ASSERT_EQUAL(loader_test::fixture("wrong_kind"),
                         crow::host::resolveBackendFile("wrong_kind", dirs, "c.yaml:2: database.backend"));
    CPPUNIT_ASSERT_EQUAL("c.yaml:2: database.backend: unknown database backend 'oracle' (searched: " + joined(dirs) + ")",
                         messageOf<crow::ConfigError>([&] {
                           crow::host::resolveBackendFile("oracle", dirs, "c.yaml:2: database.backend");
                         }));
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PluginResolverTest);
