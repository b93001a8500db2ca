// orderByDependencies: topological order with YAML order for ties, and every refusal.
#include "loader_test_support.hpp"

#include "plugins/dependency_order.hpp"

using crow::host::LoadedLibrary;
using crow::host::LoadError;
using crow::host::orderByDependencies;
using loader_test::messageOf;

namespace {

LoadedLibrary library(std::string id, std::vector<std::string> dependsOn = {}) {
  LoadedLibrary l;
  l.path = "/p/" + id + ".so";
  l.id = std::move(id);
  l.dependsOn = std::move(dependsOn);
  l.kind = CROW_KIND_PLUGIN;
  return l;
}

std::vector<std::string> orderedIds(const std::vector<LoadedLibrary>& libraries,
                                    const std::vector<std::string>& builtIn = {}) {
  std::vector<std::string> ids;
  for (size_t i : orderByDependencies(libraries, builtIn)) ids.push_back(libraries.at(i).id);
  return ids;
}

std::string refusal(const std::vector<LoadedLibrary>& libraries, const std::vector<std::string>& builtIn = {}) {
  return messageOf<LoadError>([&] { orderByDependencies(libraries, builtIn); });
}

using Ids = std::vector<std::string>;

}  // namespace

class DependencyOrderTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(DependencyOrderTest);
  CPPUNIT_TEST(keepsYamlOrderWithoutDependencies);
  CPPUNIT_TEST(putsDependenciesFirst);
  CPPUNIT_TEST(breaksTiesByYamlOrder);
  CPPUNIT_TEST(toleratesRepeatedDependencies);
  CPPUNIT_TEST(acceptsBuiltInDependencies);
  CPPUNIT_TEST(handlesNothing);
  CPPUNIT_TEST(refusesDuplicateIds);
  CPPUNIT_TEST(refusesARealDuplicateOfTheExample);
  CPPUNIT_TEST(refusesAMissingDependency);
  CPPUNIT_TEST(refusesTheRealMissingDependencyFixture);
  CPPUNIT_TEST(refusesCycles);
  CPPUNIT_TEST(refusesTakingABuiltInId);
  CPPUNIT_TEST_SUITE_END();

 public:
  void keepsYamlOrderWithoutDependencies() {
    CPPUNIT_ASSERT(orderedIds({library("c"), library("a"), library("b")}) == (Ids{"c", "a", "b"}));
  }

  void putsDependenciesFirst() {
    CPPUNIT_ASSERT(orderedIds({library("c", {"b"}), library("a"), library("b", {"a"})}) == (Ids{"a", "b", "c"}));
    CPPUNIT_ASSERT(orderedIds({library("org", {"core2", "jwt"}), library("jwt"), library("core2")}) ==
                   (Ids{"jwt", "core2", "org"}));
  }

  void breaksTiesByYamlOrder() {
    // x and y both wait for base; once it is placed they keep their YAML order.
    CPPUNIT_ASSERT(orderedIds({library("y", {"base"}), library("x", {"base"}), library("base"), library("z")}) ==
                   (Ids{"base", "y", "x", "z"}));
  }

  void toleratesRepeatedDependencies() {
    CPPUNIT_ASSERT(orderedIds({library("b", {"a", "a"}), library("a")}) == (Ids{"a", "b"}));
  }

  void acceptsBuiltInDependencies() {
    CPPUNIT_ASSERT(orderedIds({library("b", {"core", "a"}), library("a", {"core"})}, {"core"}) == (Ids{"a", "b"}));
  }

  void handlesNothing() { CPPUNIT_ASSERT(orderByDependencies({}).empty()); }

  void refusesDuplicateIds() {
    std::vector<LoadedLibrary> libraries{library("a"), library("b"), library("a")};
    libraries[2].path = "/y/a.so";
    CPPUNIT_ASSERT_EQUAL(std::string("duplicate plugin id 'a' (/p/a.so and /y/a.so)"), refusal(libraries));
  }

  void refusesARealDuplicateOfTheExample() {
    std::vector<LoadedLibrary> libraries;
    libraries.push_back(crow::host::loadLibrary(loader_test::examplePlugin(), CROW_KIND_PLUGIN));
    libraries.push_back(crow::host::loadLibrary(loader_test::fixture("duplicate_id"), CROW_KIND_PLUGIN));
    CPPUNIT_ASSERT_EQUAL("duplicate plugin id 'example' (" + loader_test::examplePlugin() + " and " +
                             loader_test::fixture("duplicate_id") + ")",
                         refusal(libraries));
  }

  void refusesAMissingDependency() {
    CPPUNIT_ASSERT_EQUAL(std::string("plugin b depends on 'a', which is not loaded"),
                         refusal({library("c"), library("b", {"a"})}));
  }

  void refusesTheRealMissingDependencyFixture() {
    std::vector<LoadedLibrary> libraries;
    libraries.push_back(crow::host::loadLibrary(loader_test::examplePlugin(), CROW_KIND_PLUGIN));
    libraries.push_back(crow::host::loadLibrary(loader_test::fixture("missing_dependency"), CROW_KIND_PLUGIN));
    CPPUNIT_ASSERT_EQUAL(std::string("plugin missing_dependency depends on 'no-such-plugin', which is not loaded"),
                         refusal(libraries));
  }

  void refusesCycles() {
    CPPUNIT_ASSERT_EQUAL(std::string("dependency cycle: a -> b -> a"),
                         refusal({library("a", {"b"}), library("b", {"a"})}));
    CPPUNIT_ASSERT_EQUAL(std::string("dependency cycle: a -> a"), refusal({library("a", {"a"})}));
    // z is not on the cycle, it only waits for it: the message shows the loop itself.
    CPPUNIT_ASSERT_EQUAL(std::string("dependency cycle: a -> b -> c -> a"),
                         refusal({library("ok"), library("z", {"a"}), library("a", {"b"}), library("b", {"c"}),
                                  library("c", {"a"})}));
  }

  void refusesTakingABuiltInId() {
    CPPUNIT_ASSERT_EQUAL(std::string("plugin id 'core' is reserved for the host (/p/core.so)"),
                         refusal({library("core")}, {"core"}));
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(DependencyOrderTest);
