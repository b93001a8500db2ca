// Schema merge rules: who may declare and extend what, and the one-line errors.
#include "data/schema_registry.hpp"

#include "auth/core_schema.hpp"
#include "crow/error.hpp"

#include <cppunit/extensions/HelperMacros.h>

using namespace crow;

namespace {

std::vector<TableDecl> core() {
  SchemaBuilder b;
  host::declareCoreSchema(b);
  return b.tables();
}

std::string conflict(const std::function<void()>& f) {
  try {
    f();
  } catch (const ConfigError& e) {
    return e.what();
  }
  return {};
}

bool mentionsAll(const std::string& message, std::initializer_list<const char*> words) {
  for (const char* w : words)
    if (message.find(w) == std::string::npos) return false;
  return message.find('\n') == std::string::npos;
}

}  // namespace

class SchemaRegistryTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(SchemaRegistryTest);
  CPPUNIT_TEST(extensionsAppendColumnsWithTheirOwner);
  CPPUNIT_TEST(aTableDeclaredTwiceFails);
  CPPUNIT_TEST(aColumnRedeclaredDifferentlyFails);
  CPPUNIT_TEST(aColumnRedeclaredTheSameWayIsKeptOnce);
  CPPUNIT_TEST(aRequiredPluginColumnWithoutDefaultFails);
  CPPUNIT_TEST(extendingAnUndeclaredTableFails);
  CPPUNIT_TEST(anExtensionMayArriveBeforeItsTable);
  CPPUNIT_TEST_SUITE_END();

 public:
  void extensionsAppendColumnsWithTheirOwner() {
    host::SchemaRegistry r;
    r.add("core", core());
    SchemaBuilder p;
    p.extend("user").field("role", FieldType::String).defaultValue(std::string("user")).required();
    p.table("organization").field("id", FieldType::Id).primaryKey();
    r.add("organization", p.tables());
    auto merged = r.merged();
    CPPUNIT_ASSERT_EQUAL(size_t{6}, merged.size());
    CPPUNIT_ASSERT_EQUAL(std::string("organization"), merged[5].name);
    CPPUNIT_ASSERT_EQUAL(std::string("organization"), merged[5].owner);
    const auto& user = merged[0];
    CPPUNIT_ASSERT_EQUAL(std::string("core"), user.owner);
    CPPUNIT_ASSERT_EQUAL(std::string("role"), user.fields.back().name);
    CPPUNIT_ASSERT_EQUAL(std::string("organization"), user.fields.back().owner);
    CPPUNIT_ASSERT(user.fields.front().owner.empty());
  }

  void aTableDeclaredTwiceFails() {
    host::SchemaRegistry r;
    r.add("core", core());
    SchemaBuilder p;
    p.table("session").field("id", FieldType::Id).primaryKey();
    auto message = conflict([&] { r.add("sso", p.tables()); });
    CPPUNIT_ASSERT_MESSAGE(message, mentionsAll(message, {"\"session\"", "\"core\"", "\"sso\""}));
  }

  void aColumnRedeclaredDifferentlyFails() {
    host::SchemaRegistry r;
    r.add("core", core());
    SchemaBuilder p;
    p.extend("user").field("email", FieldType::Integer);
    auto message = conflict([&] { r.add("weird", p.tables()); });
    CPPUNIT_ASSERT_MESSAGE(message, mentionsAll(message, {"\"user\".\"email\"", "\"core\"", "\"weird\"", "type"}));
    SchemaBuilder q;
    q.extend("user").field("image", FieldType::String).required().defaultValue(std::string(""));
    message = conflict([&] { r.add("avatars", q.tables()); });
    CPPUNIT_ASSERT_MESSAGE(message, mentionsAll(message, {"\"user\".\"image\"", "\"core\"", "\"avatars\"", "required"}));
    // Between two plugins, the first plugin is named.
    SchemaBuilder a, b;
    a.extend("user").field("tier", FieldType::String);
    b.extend("user").field("tier", FieldType::Boolean);
    r.add("billing", a.tables());
    message = conflict([&] { r.add("promo", b.tables()); });
    CPPUNIT_ASSERT_MESSAGE(message, mentionsAll(message, {"\"user\".\"tier\"", "\"billing\"", "\"promo\""}));
  }

  void aColumnRedeclaredTheSameWayIsKeptOnce() {
    host::SchemaRegistry r;
    r.add("core", core());
    SchemaBuilder p;
    // Id and String are both text: the organization plugin may type it as an id.
    p.extend("session").field("activeOrganizationId", FieldType::Id);
    r.add("organization", p.tables());
    const auto merged = r.merged();
    size_t count = 0;
    for (const auto& f : merged[1].fields) count += f.name == "activeOrganizationId";
    CPPUNIT_ASSERT_EQUAL(size_t{1}, count);
  }

  void aRequiredPluginColumnWithoutDefaultFails() {
    host::SchemaRegistry r;
    r.add("core", core());
    SchemaBuilder p;
    p.extend("user").field("tenantId", FieldType::Id).required();
    auto message = conflict([&] { r.add("tenants", p.tables()); });
    CPPUNIT_ASSERT_MESSAGE(message, mentionsAll(message, {"\"user\".\"tenantId\"", "\"core\"", "\"tenants\"", "default"}));
  }

  void extendingAnUndeclaredTableFails() {
    host::SchemaRegistry r;
    r.add("core", core());
    SchemaBuilder p;
    p.extend("organization").field("plan", FieldType::String);
    r.add("billing", p.tables());
    auto message = conflict([&] { r.merged(); });
    CPPUNIT_ASSERT_MESSAGE(message, mentionsAll(message, {"\"billing\"", "\"organization\""}));
  }

  void anExtensionMayArriveBeforeItsTable() {
    host::SchemaRegistry r;
    SchemaBuilder early;
    early.extend("organization").field("plan", FieldType::String);
    r.add("billing", early.tables());
    SchemaBuilder org;
    org.table("organization").field("id", FieldType::Id).primaryKey();
    r.add("organization", org.tables());
    auto merged = r.merged();
    CPPUNIT_ASSERT_EQUAL(size_t{2}, merged[0].fields.size());
    CPPUNIT_ASSERT_EQUAL(std::string("billing"), merged[0].fields[1].owner);
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(SchemaRegistryTest);
