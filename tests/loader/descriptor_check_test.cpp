// checkDescriptor on descriptors made in-process: every refusal, with its exact message.
#include "loader_test_support.hpp"

#include "plugins/descriptor_check.hpp"
#include "plugins/load_error.hpp"

#include <Poco/Version.h>

using crow::host::checkDescriptor;
using crow::host::LoadError;
using loader_test::messageOf;

namespace {

void* neverCalled() { return nullptr; }

crow_plugin_descriptor goodDescriptor() {
  return crow_plugin_descriptor{sizeof(crow_plugin_descriptor), CROW_SDK_ABI_MAJOR, CROW_SDK_ABI_MINOR,
                                CROW_KIND_PLUGIN, CROW_BUILD_SIGNATURE(POCO_VERSION), "good", "1.2.3",
                                nullptr, &neverCalled};
}

std::string refusal(const crow_plugin_descriptor& d, crow_library_kind kind = CROW_KIND_PLUGIN) {
  return messageOf<LoadError>([&] { checkDescriptor(&d, "/x/good.so", kind); });
}

}  // namespace

class DescriptorCheckTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(DescriptorCheckTest);
  CPPUNIT_TEST(acceptsAGoodDescriptorAndCopiesItsFields);
  CPPUNIT_TEST(acceptsALargerDescriptorFromANewerPatch);
  CPPUNIT_TEST(refusesNoDescriptor);
  CPPUNIT_TEST(refusesATooSmallDescriptor);
  CPPUNIT_TEST(refusesTheWrongKind);
  CPPUNIT_TEST(refusesAnotherAbiMajorOrANewerMinor);
  CPPUNIT_TEST(refusesAMissingOrDifferentSignature);
  CPPUNIT_TEST(refusesMissingOrMalformedIds);
  CPPUNIT_TEST(refusesAMissingVersion);
  CPPUNIT_TEST(refusesBadDependencies);
  CPPUNIT_TEST(refusesAMissingCreate);
  CPPUNIT_TEST(namesBackendsAsBackends);
  CPPUNIT_TEST(checksIdShape);
  CPPUNIT_TEST_SUITE_END();

 public:
  void acceptsAGoodDescriptorAndCopiesItsFields() {
    static const char* const deps[] = {"core", "jwt", nullptr};
    crow_plugin_descriptor d = goodDescriptor();
    d.depends_on = deps;
    crow::host::DescriptorInfo info = checkDescriptor(&d, "/x/good.so", CROW_KIND_PLUGIN);
    CPPUNIT_ASSERT_EQUAL(std::string("good"), info.id);
    CPPUNIT_ASSERT_EQUAL(std::string("1.2.3"), info.version);
    CPPUNIT_ASSERT_EQUAL(uint32_t(CROW_KIND_PLUGIN), info.kind);
    CPPUNIT_ASSERT(info.dependsOn == (std::vector<std::string>{"core", "jwt"}));
  }

  void acceptsALargerDescriptorFromANewerPatch() {
    crow_plugin_descriptor d = goodDescriptor();
    d.struct_size = sizeof(crow_plugin_descriptor) + 16;  // fields appended later are ignored
    CPPUNIT_ASSERT_EQUAL(std::string("good"), checkDescriptor(&d, "/x/good.so", CROW_KIND_PLUGIN).id);
  }

  void refusesNoDescriptor() {
    CPPUNIT_ASSERT_EQUAL(std::string("plugin /x/good.so: crow_plugin_entry returned no descriptor"),
                         messageOf<LoadError>([] { checkDescriptor(nullptr, "/x/good.so", CROW_KIND_PLUGIN); }));
  }

  void refusesATooSmallDescriptor() {
    crow_plugin_descriptor d = goodDescriptor();
    d.struct_size = 8;
    CPPUNIT_ASSERT_EQUAL("plugin /x/good.so: descriptor is 8 bytes, this host needs at least " +
                             std::to_string(crow::host::kMinimalDescriptorSize) + " (built against an incompatible SDK)",
                         refusal(d));
  }

  void refusesTheWrongKind() {
    crow_plugin_descriptor d = goodDescriptor();
    d.kind = CROW_KIND_BACKEND;
    CPPUNIT_ASSERT_EQUAL(std::string("plugin good (/x/good.so): is a backend library (kind 2), expected a plugin"),
                         refusal(d));
    d.kind = 7;
    CPPUNIT_ASSERT_EQUAL(std::string("plugin good (/x/good.so): is a library library (kind 7), expected a plugin"),
                         refusal(d));
  }

  void refusesAnotherAbiMajorOrANewerMinor() {
    const std::string host = std::to_string(CROW_SDK_ABI_MAJOR) + "." + std::to_string(CROW_SDK_ABI_MINOR);
    crow_plugin_descriptor d = goodDescriptor();
    d.abi_major = CROW_SDK_ABI_MAJOR + 1;
    d.abi_minor = 0;
    CPPUNIT_ASSERT_EQUAL("plugin good (/x/good.so): built for SDK ABI " + std::to_string(CROW_SDK_ABI_MAJOR + 1) +
                             ".0, this host has " + host,
                         refusal(d));
    d.abi_major = CROW_SDK_ABI_MAJOR - 1;
    CPPUNIT_ASSERT_EQUAL("plugin good (/x/good.so): built for SDK ABI " + std::to_string(CROW_SDK_ABI_MAJOR - 1) +
                             ".0, this host has " + host,
                         refusal(d));
    d.abi_major = CROW_SDK_ABI_MAJOR;
    d.abi_minor = CROW_SDK_ABI_MINOR + 1;
    CPPUNIT_ASSERT_EQUAL("plugin good (/x/good.so): built for SDK ABI " + std::to_string(CROW_SDK_ABI_MAJOR) + "." +
                             std::to_string(CROW_SDK_ABI_MINOR + 1) + ", this host has " + host,
                         refusal(d));
  }

  void refusesAMissingOrDifferentSignature() {
    const std::string expects = std::string(", this host expects '") + CROW_BUILD_SIGNATURE(POCO_VERSION) + "'";
    crow_plugin_descriptor d = goodDescriptor();
    d.build_signature = "clang-17;cxx11abi=1;poco=0x010C0000;sdk=0.1.0";
    CPPUNIT_ASSERT_EQUAL("plugin good (/x/good.so): built with 'clang-17;cxx11abi=1;poco=0x010C0000;sdk=0.1.0'" + expects,
                         refusal(d));
    d.build_signature = nullptr;
    CPPUNIT_ASSERT_EQUAL("plugin good (/x/good.so): built with ''" + expects, refusal(d));
    d.build_signature = "bad\nline";
    CPPUNIT_ASSERT_EQUAL("plugin good (/x/good.so): built with 'bad?line'" + expects, refusal(d));
  }

  void refusesMissingOrMalformedIds() {
    crow_plugin_descriptor d = goodDescriptor();
    d.id = nullptr;
    CPPUNIT_ASSERT_EQUAL(std::string("plugin /x/good.so: descriptor has no id"), refusal(d));
    d.id = "";
    CPPUNIT_ASSERT_EQUAL(std::string("plugin /x/good.so: descriptor has no id"), refusal(d));
    d.id = "../evil";
    CPPUNIT_ASSERT_EQUAL(std::string("plugin /x/good.so: invalid id '../evil' (a letter, then letters, digits, "
                                     "'-' or '_', at most 64 characters)"),
                         refusal(d));
  }

  void refusesAMissingVersion() {
    crow_plugin_descriptor d = goodDescriptor();
    d.version = nullptr;
    CPPUNIT_ASSERT_EQUAL(std::string("plugin good (/x/good.so): descriptor has no version"), refusal(d));
  }

  void refusesBadDependencies() {
    static const char* const bad[] = {"core", "no/such", nullptr};
    crow_plugin_descriptor d = goodDescriptor();
    d.depends_on = bad;
    CPPUNIT_ASSERT_EQUAL(std::string("plugin good (/x/good.so): invalid depends_on entry 'no/such'"), refusal(d));

    static std::vector<const char*> many(crow::host::kMaxDependencies + 1, "dep");
    if (many.back() != nullptr) many.push_back(nullptr);
    d.depends_on = many.data();
    CPPUNIT_ASSERT_EQUAL(std::string("plugin good (/x/good.so): more than 64 depends_on entries"), refusal(d));
  }

  void refusesAMissingCreate() {
    crow_plugin_descriptor d = goodDescriptor();
    d.create = nullptr;
    CPPUNIT_ASSERT_EQUAL(std::string("plugin good (/x/good.so): descriptor has no create function"), refusal(d));
  }

  void namesBackendsAsBackends() {
    crow_plugin_descriptor d = goodDescriptor();
    CPPUNIT_ASSERT_EQUAL(std::string("backend good (/x/good.so): is a plugin library (kind 1), expected a backend"),
                         refusal(d, CROW_KIND_BACKEND));
  }

  void checksIdShape() {
    using crow::host::isWellFormedId;
    CPPUNIT_ASSERT(isWellFormedId("example"));
    CPPUNIT_ASSERT(isWellFormedId("api-key"));
    CPPUNIT_ASSERT(isWellFormedId("init_throws"));
    CPPUNIT_ASSERT(isWellFormedId("twoFactor2"));
    CPPUNIT_ASSERT(!isWellFormedId(""));
    CPPUNIT_ASSERT(!isWellFormedId("9lives"));
    CPPUNIT_ASSERT(!isWellFormedId("a.b"));
    CPPUNIT_ASSERT(!isWellFormedId("a/b"));
    CPPUNIT_ASSERT(!isWellFormedId(std::string(65, 'a')));
    CPPUNIT_ASSERT(isWellFormedId(std::string(64, 'a')));
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(DescriptorCheckTest);
