// loadLibrary against real fixture libraries, one failure each, with the exact message.
#include "loader_test_support.hpp"

#include "plugins/descriptor_check.hpp"
#include "plugins/library_loader.hpp"
#include "plugins/library_registry.hpp"

#include <crow/plugin.hpp>

#include <Poco/Version.h>

#include <unistd.h>

using crow::host::LoadedLibrary;
using crow::host::LoadError;
using crow::host::loadLibrary;
using loader_test::fixture;
using loader_test::messageOf;

namespace {

std::string loadFailure(const std::string& path, crow_library_kind kind = CROW_KIND_PLUGIN) {
  return messageOf<LoadError>([&] { loadLibrary(path, kind); });
}

std::string hostAbi() { return std::to_string(CROW_SDK_ABI_MAJOR) + "." + std::to_string(CROW_SDK_ABI_MINOR); }

}  // namespace

class LibraryLoaderTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(LibraryLoaderTest);
  CPPUNIT_TEST(loadsTheExamplePlugin);
  CPPUNIT_TEST(loadsPluginsThatFailOnlyLater);
  CPPUNIT_TEST(makesRelativePathsAbsolute);
  CPPUNIT_TEST(keepsEveryLibraryLoaded);
  CPPUNIT_TEST(refusesAMissingFile);
  CPPUNIT_TEST(refusesADirectory);
  CPPUNIT_TEST(refusesAFileThatIsNotALibrary);
  CPPUNIT_TEST(refusesALibraryWithoutTheEntrySymbol);
  CPPUNIT_TEST(refusesAnotherAbiMajor);
  CPPUNIT_TEST(refusesANewerAbiMinor);
  CPPUNIT_TEST(refusesAnotherBuildSignature);
  CPPUNIT_TEST(refusesATooSmallDescriptor);
  CPPUNIT_TEST(refusesABackendWhereAPluginIsExpected);
  CPPUNIT_TEST(refusesAPluginWhereABackendIsExpected);
  CPPUNIT_TEST(refusesAMalformedId);
  CPPUNIT_TEST(reportsAThrowingCreate);
  CPPUNIT_TEST_SUITE_END();

 public:
  void loadsTheExamplePlugin() {
    LoadedLibrary example = loadLibrary(loader_test::examplePlugin(), CROW_KIND_PLUGIN);
    CPPUNIT_ASSERT_EQUAL(std::string("example"), example.id);
    CPPUNIT_ASSERT_EQUAL(std::string("1.0.0"), example.version);
    CPPUNIT_ASSERT_EQUAL(loader_test::examplePlugin(), example.path);
    CPPUNIT_ASSERT(example.dependsOn.empty());
    CPPUNIT_ASSERT_EQUAL(uint32_t(CROW_KIND_PLUGIN), example.kind);
    CPPUNIT_ASSERT(example.object != nullptr);
    CPPUNIT_ASSERT(example.plugin() != nullptr);
    CPPUNIT_ASSERT(example.backend() == nullptr);
    CPPUNIT_ASSERT(example.handle && example.handle->is_loaded());
    // The object is a working crow::Plugin: its schema comes back through the vtable.
    crow::SchemaBuilder schema;
    example.plugin()->declareSchema(schema);
    CPPUNIT_ASSERT_EQUAL(size_t(1), schema.tables().size());
    CPPUNIT_ASSERT_EQUAL(std::string("exampleNote"), schema.tables()[0].name);
  }

  void loadsPluginsThatFailOnlyLater() {
    // init_throws and duplicate_route are sound libraries; the app finds their faults at init.
    CPPUNIT_ASSERT_EQUAL(std::string("init_throws"), loadLibrary(fixture("init_throws"), CROW_KIND_PLUGIN).id);
    CPPUNIT_ASSERT_EQUAL(std::string("duplicate_route"), loadLibrary(fixture("duplicate_route"), CROW_KIND_PLUGIN).id);
    LoadedLibrary missing = loadLibrary(fixture("missing_dependency"), CROW_KIND_PLUGIN);
    CPPUNIT_ASSERT(missing.dependsOn == std::vector<std::string>{"no-such-plugin"});
    LoadedLibrary duplicate = loadLibrary(fixture("duplicate_id"), CROW_KIND_PLUGIN);
    CPPUNIT_ASSERT_EQUAL(std::string("example"), duplicate.id);
    CPPUNIT_ASSERT_EQUAL(std::string("9.9.9"), duplicate.version);
  }

  void makesRelativePathsAbsolute() {
    char previous[4096];
    CPPUNIT_ASSERT(getcwd(previous, sizeof previous) != nullptr);
    CPPUNIT_ASSERT_EQUAL(0, chdir(CROW_FIXTURE_DIR));
    std::string path;
    try {
      path = loadLibrary("./sub/../init_throws.so", CROW_KIND_PLUGIN).path;
    } catch (...) {
      CPPUNIT_ASSERT_EQUAL(0, chdir(previous));
      throw;
    }
    CPPUNIT_ASSERT_EQUAL(0, chdir(previous));
    CPPUNIT_ASSERT_EQUAL(fixture("init_throws"), path);
  }

  void keepsEveryLibraryLoaded() {
    size_t before = crow::host::keptLibraryCount();
    { loadLibrary(fixture("init_throws"), CROW_KIND_PLUGIN); }  // the LoadedLibrary is dropped...
    loadFailure(fixture("abi_mismatch"));                        // ...and this one is refused
    CPPUNIT_ASSERT_EQUAL(before + 2, crow::host::keptLibraryCount());
  }

  void refusesAMissingFile() {
    CPPUNIT_ASSERT_EQUAL("plugin " + fixture("no_such_file") + ": no such file", loadFailure(fixture("no_such_file")));
  }

  void refusesADirectory() {
    CPPUNIT_ASSERT_EQUAL(std::string("plugin " CROW_FIXTURE_DIR ": not a regular file"), loadFailure(CROW_FIXTURE_DIR));
  }

  void refusesAFileThatIsNotALibrary() {
    CPPUNIT_ASSERT_EQUAL("plugin " + fixture("not_a_library") + ": not a loadable shared library: invalid ELF header",
                         loadFailure(fixture("not_a_library")));
  }

  void refusesALibraryWithoutTheEntrySymbol() {
    CPPUNIT_ASSERT_EQUAL("plugin " + fixture("missing_entry") +
                             ": no entry symbol crow_plugin_entry (not a crow-auth plugin)",
                         loadFailure(fixture("missing_entry")));
  }

  void refusesAnotherAbiMajor() {
    // The fixture's create() aborts: reaching it would kill this test.
    CPPUNIT_ASSERT_EQUAL("plugin abi_mismatch (" + fixture("abi_mismatch") + "): built for SDK ABI " +
                             std::to_string(CROW_SDK_ABI_MAJOR + 1) + ".0, this host has " + hostAbi(),
                         loadFailure(fixture("abi_mismatch")));
  }

  void refusesANewerAbiMinor() {
    CPPUNIT_ASSERT_EQUAL("plugin abi_newer_minor (" + fixture("abi_newer_minor") + "): built for SDK ABI " +
                             std::to_string(CROW_SDK_ABI_MAJOR) + "." + std::to_string(CROW_SDK_ABI_MINOR + 1) +
                             ", this host has " + hostAbi(),
                         loadFailure(fixture("abi_newer_minor")));
  }

  void refusesAnotherBuildSignature() {
    CPPUNIT_ASSERT_EQUAL("plugin signature_mismatch (" + fixture("signature_mismatch") +
                             "): built with 'gcc-11;cxx11abi=0;poco=0x010A0000;sdk=0.0.9', this host expects '" +
                             CROW_BUILD_SIGNATURE(POCO_VERSION) + "'",
                         loadFailure(fixture("signature_mismatch")));
  }

  void refusesATooSmallDescriptor() {
    CPPUNIT_ASSERT_EQUAL("plugin " + fixture("struct_too_small") + ": descriptor is 16 bytes, this host needs at least " +
                             std::to_string(crow::host::kMinimalDescriptorSize) + " (built against an incompatible SDK)",
                         loadFailure(fixture("struct_too_small")));
  }

  void refusesABackendWhereAPluginIsExpected() {
    CPPUNIT_ASSERT_EQUAL("plugin wrong_kind (" + fixture("wrong_kind") + "): is a backend library (kind 2), expected a plugin",
                         loadFailure(fixture("wrong_kind")));
  }

  void refusesAPluginWhereABackendIsExpected() {
    CPPUNIT_ASSERT_EQUAL("backend example (" + loader_test::examplePlugin() +
                             "): is a plugin library (kind 1), expected a backend",
                         loadFailure(loader_test::examplePlugin(), CROW_KIND_BACKEND));
  }

  void refusesAMalformedId() {
    CPPUNIT_ASSERT_EQUAL("plugin " + fixture("bad_id") +
                             ": invalid id '../evil' (a letter, then letters, digits, '-' or '_', at most 64 characters)",
                         loadFailure(fixture("bad_id")));
  }

  void reportsAThrowingCreate() {
    CPPUNIT_ASSERT_EQUAL("plugin create_throws (" + fixture("create_throws") + "): create failed: constructor exploded",
                         loadFailure(fixture("create_throws")));
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(LibraryLoaderTest);
