// Data hooks through HookedStore, on SQLite and (with CROW_TEST_POSTGRES_URL) PostgreSQL.
#include "backend_fixture.hpp"

#include "auth/core_schema.hpp"
#include "data/data_hooks.hpp"
#include "data/hooked_store.hpp"
#include "data/schema_registry.hpp"
#include "crow/error.hpp"

#include <cppunit/extensions/HelperMacros.h>

using namespace crow;

namespace {

class RecordingLogger : public Logger {
 public:
  void log(LogLevel level, std::string_view message, const LogFields& fields) override {
    std::string line(message);
    for (const auto& [k, v] : fields) line += " " + k + "=" + v;
    lines.push_back(line);
  }
  bool enabled(LogLevel) const noexcept override { return true; }
  std::vector<std::string> lines;
};

Row user(const std::string& id, const std::string& email) {
  return {{"id", id}, {"name", std::string("N")}, {"email", email}, {"createdAt", Timestamp{1}}, {"updatedAt", Timestamp{1}}};
}

}  // namespace

template <class Target>
class HookedStoreTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(HookedStoreTest);
  CPPUNIT_TEST(beforeHooksModifyInPriorityOrder);
  CPPUNIT_TEST(aRejectingBeforeHookWritesNothing);
  CPPUNIT_TEST(beforeHookWritesShareTheTransaction);
  CPPUNIT_TEST(afterHooksRunAfterCommitOnly);
  CPPUNIT_TEST(aFailingAfterHookIsLoggedNotThrown);
  CPPUNIT_TEST(updateAndDeleteHooksSeeTheirRows);
  CPPUNIT_TEST_SUITE_END();

 public:
  void setUp() override {
    db_ = test::TestDatabase::make(Target::dialect);
    if (!db_.backend) return;
    db_.open();
    SchemaBuilder b;
    host::declareCoreSchema(b);
    host::SchemaRegistry r;
    r.add("core", b.tables());
    raw_ = db_.migrateAndStore(r.merged());
    hooks_ = std::make_unique<host::DataHooks>();
    logger_ = std::make_unique<RecordingLogger>();
  }
  void tearDown() override {
    store_.reset();
    raw_.reset();
    db_.backend.reset();
  }
  host::HookedStore& store() {
    if (!store_) store_ = std::make_unique<host::HookedStore>(raw_, *hooks_, *logger_);
    return *store_;
  }

  void beforeHooksModifyInPriorityOrder() {
    if (!raw_) return;
    std::vector<std::string> order;
    hooks_->add(HookPoint::CreateBefore, "user", [&](DataChange& c) { order.push_back("late"); c.row["name"] = std::string("late"); }, 10, "b");
    hooks_->add(HookPoint::CreateBefore, "user", [&](DataChange& c) { order.push_back("early"); c.row["name"] = std::string("early"); }, -1, "a");
    hooks_->add(HookPoint::CreateBefore, "*", [&](DataChange& c) { order.push_back("any"); c.row["image"] = std::string("img"); }, 10, "c");
    hooks_->add(HookPoint::CreateBefore, "session", [&](DataChange&) { order.push_back("session"); }, 0, "d");
    Row created = store().create("user", user("u1", "a@x.io"));
    CPPUNIT_ASSERT((std::vector<std::string>{"early", "late", "any"}) == order);
    CPPUNIT_ASSERT_EQUAL(std::string("late"), std::get<std::string>(field(created, "name")));
    CPPUNIT_ASSERT_EQUAL(std::string("img"), std::get<std::string>(field(*raw_->findOne("user", {eq("id", std::string("u1"))}), "image")));
  }

  void aRejectingBeforeHookWritesNothing() {
    if (!raw_) return;
    bool afterRan = false;
    hooks_->add(HookPoint::CreateBefore, "user", [](DataChange& c) {
      c.store.create("verification", {{"id", std::string("v1")}, {"identifier", std::string("i")}, {"value", std::string("v")},
                                      {"expiresAt", Timestamp{1}}, {"createdAt", Timestamp{1}}, {"updatedAt", Timestamp{1}}});
      if (std::get<std::string>(c.row.at("email")).ends_with("@blocked.io")) throw ApiError(400, "BLOCKED", "blocked domain");
    });
    hooks_->add(HookPoint::CreateAfter, "user", [&](DataChange&) { afterRan = true; });
    try {
      store().create("user", user("u1", "a@blocked.io"));
      CPPUNIT_FAIL("the rejection did not propagate");
    } catch (const ApiError& e) {
      CPPUNIT_ASSERT_EQUAL(400, e.status());
      CPPUNIT_ASSERT_EQUAL(std::string("BLOCKED"), e.code());
    }
    CPPUNIT_ASSERT_EQUAL(int64_t{0}, raw_->count("user", {}));
    CPPUNIT_ASSERT_EQUAL(int64_t{0}, raw_->count("verification", {}));  // the hook's own write rolled back
    CPPUNIT_ASSERT(!afterRan);
  }

  void beforeHookWritesShareTheTransaction() {
    if (!raw_) return;
    hooks_->add(HookPoint::CreateBefore, "user", [](DataChange& c) {
      c.store.create("verification", {{"id", "v-" + std::get<std::string>(c.row.at("id"))}, {"identifier", std::string("i")},
                                      {"value", std::string("v")}, {"expiresAt", Timestamp{1}}, {"createdAt", Timestamp{1}},
                                      {"updatedAt", Timestamp{1}}});
    });
    store().create("user", user("u1", "a@x.io"));
    CPPUNIT_ASSERT_EQUAL(int64_t{1}, raw_->count("verification", {}));
    // A unique violation of the user insert rolls back the hook's write.
    CPPUNIT_ASSERT_THROW(store().create("user", user("u2", "a@x.io")), DatabaseError);
    CPPUNIT_ASSERT_EQUAL(int64_t{1}, raw_->count("verification", {}));
  }

  void afterHooksRunAfterCommitOnly() {
    if (!raw_) return;
    std::vector<std::string> seen;
    hooks_->add(HookPoint::CreateAfter, "user", [&](DataChange& c) {
      // After commit the row is visible to anyone, through a fresh read.
      seen.push_back(std::get<std::string>(c.row.at("id")) + (c.store.count("user", {eq("id", c.row.at("id"))}) == 1 ? "+" : "-"));
    });
    store().transaction([&](Store& tx) {
      tx.create("user", user("u1", "a@x.io"));
      tx.create("user", user("u2", "b@x.io"));
      CPPUNIT_ASSERT(seen.empty());  // queued until commit
    });
    CPPUNIT_ASSERT((std::vector<std::string>{"u1+", "u2+"}) == seen);
    seen.clear();
    CPPUNIT_ASSERT_THROW(store().transaction([&](Store& tx) {
      tx.create("user", user("u3", "c@x.io"));
      throw std::runtime_error("rollback");
    }),
                         std::runtime_error);
    CPPUNIT_ASSERT(seen.empty());
    store().create("user", user("u4", "d@x.io"));  // outside a transaction: right after the write
    CPPUNIT_ASSERT((std::vector<std::string>{"u4+"}) == seen);
  }

  void aFailingAfterHookIsLoggedNotThrown() {
    if (!raw_) return;
    bool secondRan = false;
    hooks_->add(HookPoint::CreateAfter, "user", [](DataChange&) { throw std::runtime_error("downstream down"); }, 0, "sync");
    hooks_->add(HookPoint::CreateAfter, "user", [&](DataChange&) { secondRan = true; }, 1, "other");
    store().create("user", user("u1", "a@x.io"));
    CPPUNIT_ASSERT(secondRan);
    CPPUNIT_ASSERT_EQUAL(int64_t{1}, raw_->count("user", {}));
    CPPUNIT_ASSERT_EQUAL(size_t{1}, logger_->lines.size());
    CPPUNIT_ASSERT(logger_->lines[0].find("owner=sync") != std::string::npos);
    CPPUNIT_ASSERT(logger_->lines[0].find("downstream down") != std::string::npos);
  }

  void updateAndDeleteHooksSeeTheirRows() {
    if (!raw_) return;
    std::vector<std::string> seen;
    hooks_->add(HookPoint::UpdateBefore, "user", [&](DataChange& c) { c.row["name"] = std::string("forced"); });
    hooks_->add(HookPoint::UpdateAfter, "user", [&](DataChange& c) { seen.push_back("updated " + std::get<std::string>(c.row.at("name"))); });
    hooks_->add(HookPoint::DeleteBefore, "user", [&](DataChange& c) {
      if (std::get<std::string>(c.row.at("id")) == "keep") throw ApiError(403, "KEEP", "keep this one");
    });
    hooks_->add(HookPoint::DeleteAfter, "user", [&](DataChange& c) { seen.push_back("deleted " + std::get<std::string>(c.row.at("id"))); });
    store().create("user", user("u1", "a@x.io"));
    store().create("user", user("keep", "k@x.io"));
    auto updated = store().update("user", {eq("id", std::string("u1"))}, {{"name", std::string("asked")}});
    CPPUNIT_ASSERT_EQUAL(std::string("forced"), std::get<std::string>(field(*updated, "name")));
    CPPUNIT_ASSERT_EQUAL(int64_t{1}, store().remove("user", {eq("id", std::string("u1"))}));
    CPPUNIT_ASSERT_THROW(store().remove("user", {}), ApiError);
    CPPUNIT_ASSERT_EQUAL(int64_t{1}, raw_->count("user", {}));
    CPPUNIT_ASSERT((std::vector<std::string>{"updated forced", "deleted u1"}) == seen);
  }

 private:
  test::TestDatabase db_;
  std::shared_ptr<Store> raw_;
  std::unique_ptr<host::DataHooks> hooks_;
  std::unique_ptr<RecordingLogger> logger_;
  std::unique_ptr<host::HookedStore> store_;
};

struct HooksOnSqlite {
  static constexpr const char* dialect = "sqlite";
};
struct HooksOnPostgres {
  static constexpr const char* dialect = "postgresql";
};

CPPUNIT_TEST_SUITE_REGISTRATION(HookedStoreTest<HooksOnSqlite>);
CPPUNIT_TEST_SUITE_REGISTRATION(HookedStoreTest<HooksOnPostgres>);
