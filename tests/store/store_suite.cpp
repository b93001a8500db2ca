// The Store suite: the same tests on every backend. SQLite always runs (a temporary file);
// PostgreSQL runs when CROW_TEST_POSTGRES_URL is set, and fails when CROW_REQUIRE_POSTGRES=1
// without it (tests/support/postgres.sh start gives a URL).
#include "backend_fixture.hpp"

#include "auth/core_schema.hpp"
#include "data/schema_registry.hpp"
#include "crow/error.hpp"

#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <iostream>
#include <thread>

using namespace crow;

namespace {

std::vector<TableDecl> testSchema() {
  host::SchemaRegistry registry;
  SchemaBuilder core;
  host::declareCoreSchema(core);
  registry.add("core", core.tables());
  SchemaBuilder plugin;
  plugin.table("widget")
      .field("id", FieldType::Id).primaryKey()
      .field("name", FieldType::String).required().unique()
      .field("count", FieldType::Integer)
      .field("big", FieldType::BigInt)
      .field("flag", FieldType::Boolean)
      .field("at", FieldType::Timestamp)
      .field("meta", FieldType::Json)
      .field("status", FieldType::String).required().defaultValue(std::string("new"))
      .field("ownerId", FieldType::Id).references("user", "id", OnDelete::SetNull).index();
  registry.add("test", plugin.tables());
  return registry.merged();
}

Row widget(const std::string& id, const std::string& name, int64_t count) {
  return {{"id", id}, {"name", name}, {"count", count}};
}

std::vector<std::string> ids(const std::vector<Row>& rows) {
  std::vector<std::string> out;
  for (const auto& r : rows) out.push_back(*asString(field(r, "id")));
  return out;
}

Where where(std::string f, Op op, Value v, Connector c = Connector::And) {
  Where w;
  w.field = std::move(f);
  w.op = op;
  w.value = std::move(v);
  w.connector = c;
  return w;
}

Where whereIn(std::string f, Op op, std::vector<Value> values) {
  Where w;
  w.field = std::move(f);
  w.op = op;
  w.values = std::move(values);
  return w;
}

}  // namespace

template <class Target>
class StoreSuite : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(StoreSuite);
  CPPUNIT_TEST(createAndFindOneRoundTripsEveryType);
  CPPUNIT_TEST(defaultsAreAppliedOnCreate);
  CPPUNIT_TEST(everyWhereOperatorSelectsTheRightRows);
  CPPUNIT_TEST(likeOperatorsEscapeWildcards);
  CPPUNIT_TEST(nullComparisonsBecomeIsNull);
  CPPUNIT_TEST(connectorsFoldLeftToRight);
  CPPUNIT_TEST(sortLimitOffsetAndSelect);
  CPPUNIT_TEST(countUpdateUpdateManyRemove);
  CPPUNIT_TEST(incrementIsAtomicUnderConcurrency);
  CPPUNIT_TEST(transactionCommitsAndRollsBack);
  CPPUNIT_TEST(nestedTransactionsJoinTheOuterOne);
  CPPUNIT_TEST(uniqueViolationIsAConstraintError);
  CPPUNIT_TEST(timestampsCompareInTimeOrder);
  CPPUNIT_TEST(unknownTableOrColumnIsRefused);
  CPPUNIT_TEST(migratingTwicePlansNothing);
  CPPUNIT_TEST(pingAnswers);
  CPPUNIT_TEST_SUITE_END();

 public:
  void setUp() override {
    db_ = test::TestDatabase::make(Target::dialect);
    if (!db_.backend) {
      static bool told = false;
      if (!told) std::cerr << "\n[" << Target::dialect << " skipped: set CROW_TEST_POSTGRES_URL]\n";
      told = true;
      return;
    }
    db_.open();
    tables_ = testSchema();
    store_ = db_.migrateAndStore(tables_);
  }
  void tearDown() override {
    store_.reset();
    db_.backend.reset();
  }

  void createAndFindOneRoundTripsEveryType() {
    if (!store_) return;
    const Timestamp at{1795887861383};  // 2026-11-28T17:44:21.383Z
    Row created = store_->create("widget", {{"id", std::string("w1")},
                                            {"name", std::string("one")},
                                            {"count", int64_t{42}},
                                            {"big", int64_t{9007199254740993}},
                                            {"flag", true},
                                            {"at", at},
                                            {"meta", std::string(R"({"a":[1,2],"b":"x"})")}});
    CPPUNIT_ASSERT(std::holds_alternative<Timestamp>(field(created, "at")));
    auto found = store_->findOne("widget", {eq("id", std::string("w1"))});
    CPPUNIT_ASSERT(found);
    CPPUNIT_ASSERT_EQUAL(std::string("one"), std::get<std::string>(field(*found, "name")));
    CPPUNIT_ASSERT_EQUAL(int64_t{42}, std::get<int64_t>(field(*found, "count")));
    CPPUNIT_ASSERT_EQUAL(int64_t{9007199254740993}, std::get<int64_t>(field(*found, "big")));
    CPPUNIT_ASSERT_EQUAL(true, std::get<bool>(field(*found, "flag")));
    CPPUNIT_ASSERT(at == std::get<Timestamp>(field(*found, "at")));
    CPPUNIT_ASSERT_EQUAL(std::string(R"({"a":[1,2],"b":"x"})"), std::get<std::string>(field(*found, "meta")));
    CPPUNIT_ASSERT(isNull(field(*found, "ownerId")));
    // Booleans false and timestamps given as ISO text convert too.
    store_->create("widget", {{"id", std::string("w2")},
                              {"name", std::string("two")},
                              {"flag", false},
                              {"at", std::string("2026-11-28T17:44:21.383Z")}});
    auto two = store_->findOne("widget", {eq("id", std::string("w2"))});
    CPPUNIT_ASSERT_EQUAL(false, std::get<bool>(field(*two, "flag")));
    CPPUNIT_ASSERT(at == std::get<Timestamp>(field(*two, "at")));
    CPPUNIT_ASSERT(!store_->findOne("widget", {eq("id", std::string("nope"))}));
  }

  void defaultsAreAppliedOnCreate() {
    if (!store_) return;
    Row w = store_->create("widget", widget("w1", "one", 1));
    CPPUNIT_ASSERT_EQUAL(std::string("new"), std::get<std::string>(field(w, "status")));
    Row u = store_->create("user", {{"id", std::string("u1")},
                                    {"name", std::string("Ann")},
                                    {"email", std::string("ann@example.com")},
                                    {"createdAt", Timestamp{1000}},
                                    {"updatedAt", Timestamp{1000}}});
    CPPUNIT_ASSERT_EQUAL(false, std::get<bool>(field(u, "emailVerified")));
    // An explicit value wins over the default.
    Row x = store_->create("widget", {{"id", std::string("w2")}, {"name", std::string("x")}, {"status", std::string("old")}});
    CPPUNIT_ASSERT_EQUAL(std::string("old"), std::get<std::string>(field(x, "status")));
  }

  void seedFive() {
    for (int i = 1; i <= 5; ++i) store_->create("widget", widget("w" + std::to_string(i), "name" + std::to_string(i), i * 10));
  }

  std::vector<std::string> select(std::vector<Where> w) {
    FindOptions options;
    options.where = std::move(w);
    options.sortBy = SortBy{"id", false};
    return ids(store_->findMany("widget", options));
  }

  void everyWhereOperatorSelectsTheRightRows() {
    if (!store_) return;
    seedFive();
    using V = std::vector<std::string>;
    CPPUNIT_ASSERT(V({"w3"}) == select({where("count", Op::Eq, int64_t{30})}));
    CPPUNIT_ASSERT(V({"w1", "w2", "w4", "w5"}) == select({where("count", Op::Ne, int64_t{30})}));
    CPPUNIT_ASSERT(V({"w1", "w2"}) == select({where("count", Op::Lt, int64_t{30})}));
    CPPUNIT_ASSERT(V({"w1", "w2", "w3"}) == select({where("count", Op::Lte, int64_t{30})}));
    CPPUNIT_ASSERT(V({"w4", "w5"}) == select({where("count", Op::Gt, int64_t{30})}));
    CPPUNIT_ASSERT(V({"w3", "w4", "w5"}) == select({where("count", Op::Gte, int64_t{30})}));
    CPPUNIT_ASSERT(V({"w1", "w4"}) == select({whereIn("id", Op::In, {std::string("w1"), std::string("w4"), std::string("zz")})}));
    CPPUNIT_ASSERT(V({"w2", "w3", "w5"}) == select({whereIn("id", Op::NotIn, {std::string("w1"), std::string("w4")})}));
    CPPUNIT_ASSERT(V{} == select({whereIn("id", Op::In, {})}));
    CPPUNIT_ASSERT_EQUAL(size_t{5}, select({whereIn("id", Op::NotIn, {})}).size());
    CPPUNIT_ASSERT(V({"w3"}) == select({where("name", Op::Contains, std::string("me3"))}));
    CPPUNIT_ASSERT_EQUAL(size_t{5}, select({where("name", Op::StartsWith, std::string("name"))}).size());
    CPPUNIT_ASSERT(V({"w5"}) == select({where("name", Op::EndsWith, std::string("5"))}));
    // LIKE on a non-text column works too (PostgreSQL needs a cast there).
    CPPUNIT_ASSERT(V({"w1"}) == select({where("count", Op::StartsWith, std::string("1"))}));
    // Values given as text are converted to the column's type before binding.
    CPPUNIT_ASSERT(V({"w2"}) == select({where("count", Op::Eq, std::string("20"))}));
  }

  void likeOperatorsEscapeWildcards() {
    if (!store_) return;
    store_->create("widget", widget("a", "50%_off", 1));
    store_->create("widget", widget("b", "50 off", 2));
    store_->create("widget", widget("c", "5000_off", 3));
    store_->create("widget", widget("d", "back\\slash", 4));
    using V = std::vector<std::string>;
    CPPUNIT_ASSERT(V({"a"}) == select({where("name", Op::Contains, std::string("%"))}));
    CPPUNIT_ASSERT(V({"a"}) == select({where("name", Op::Contains, std::string("%_"))}));
    CPPUNIT_ASSERT(V({"a", "c"}) == select({where("name", Op::EndsWith, std::string("_off"))}));
    CPPUNIT_ASSERT(V({"d"}) == select({where("name", Op::Contains, std::string("\\"))}));
    CPPUNIT_ASSERT(V{} == select({where("name", Op::StartsWith, std::string("5_"))}));
  }

  void nullComparisonsBecomeIsNull() {
    if (!store_) return;
    store_->create("widget", widget("a", "a", 1));
    store_->create("widget", {{"id", std::string("b")}, {"name", std::string("b")}});
    using V = std::vector<std::string>;
    CPPUNIT_ASSERT(V({"b"}) == select({where("count", Op::Eq, Value{})}));
    CPPUNIT_ASSERT(V({"a"}) == select({where("count", Op::Ne, Value{})}));
  }

  void connectorsFoldLeftToRight() {
    if (!store_) return;
    seedFive();
    using V = std::vector<std::string>;
    // count = 10 AND name = name1 OR id = w5  ->  (w1) OR w5
    CPPUNIT_ASSERT(V({"w1", "w5"}) == select({where("count", Op::Eq, int64_t{10}), where("name", Op::Eq, std::string("name1")),
                                              where("id", Op::Eq, std::string("w5"), Connector::Or)}));
    // id = w1 OR id = w2 AND count > 10  ->  (w1 OR w2) AND count > 10
    CPPUNIT_ASSERT(V({"w2"}) == select({where("id", Op::Eq, std::string("w1")), where("id", Op::Eq, std::string("w2"), Connector::Or),
                                        where("count", Op::Gt, int64_t{10})}));
  }

  void sortLimitOffsetAndSelect() {
    if (!store_) return;
    seedFive();
    FindOptions options;
    options.sortBy = SortBy{"count", true};
    options.limit = 2;
    options.offset = 1;
    auto rows = store_->findMany("widget", options);
    CPPUNIT_ASSERT((std::vector<std::string>{"w4", "w3"}) == ids(rows));
    FindOptions offsetOnly;
    offsetOnly.sortBy = SortBy{"count", false};
    offsetOnly.offset = 3;
    CPPUNIT_ASSERT((std::vector<std::string>{"w4", "w5"}) == ids(store_->findMany("widget", offsetOnly)));
    FindOptions selected;
    selected.select = {"id", "count"};
    selected.where = {eq("id", std::string("w2"))};
    auto one = store_->findMany("widget", selected);
    CPPUNIT_ASSERT_EQUAL(size_t{1}, one.size());
    CPPUNIT_ASSERT_EQUAL(size_t{2}, one[0].size());
    CPPUNIT_ASSERT_EQUAL(int64_t{20}, std::get<int64_t>(field(one[0], "count")));
    CPPUNIT_ASSERT(one[0].find("name") == one[0].end());
  }

  void countUpdateUpdateManyRemove() {
    if (!store_) return;
    seedFive();
    CPPUNIT_ASSERT_EQUAL(int64_t{5}, store_->count("widget", {}));
    CPPUNIT_ASSERT_EQUAL(int64_t{2}, store_->count("widget", {where("count", Op::Gt, int64_t{30})}));
    auto updated = store_->update("widget", {eq("id", std::string("w1"))}, {{"name", std::string("first")}, {"flag", true}});
    CPPUNIT_ASSERT(updated);
    CPPUNIT_ASSERT_EQUAL(std::string("first"), std::get<std::string>(field(*updated, "name")));
    CPPUNIT_ASSERT_EQUAL(int64_t{10}, std::get<int64_t>(field(*updated, "count")));
    CPPUNIT_ASSERT(!store_->update("widget", {eq("id", std::string("none"))}, {{"name", std::string("x")}}));
    CPPUNIT_ASSERT_EQUAL(int64_t{3}, store_->updateMany("widget", {where("count", Op::Gte, int64_t{30})}, {{"status", std::string("big")}}));
    CPPUNIT_ASSERT_EQUAL(int64_t{3}, store_->count("widget", {eq("status", std::string("big"))}));
    CPPUNIT_ASSERT_EQUAL(int64_t{0}, store_->updateMany("widget", {eq("id", std::string("none"))}, {{"status", std::string("x")}}));
    CPPUNIT_ASSERT_EQUAL(int64_t{2}, store_->remove("widget", {whereIn("id", Op::In, {std::string("w4"), std::string("w5")})}));
    CPPUNIT_ASSERT_EQUAL(int64_t{0}, store_->remove("widget", {eq("id", std::string("w4"))}));
    CPPUNIT_ASSERT_EQUAL(int64_t{3}, store_->count("widget", {}));
    // Setting a column to NULL.
    auto cleared = store_->update("widget", {eq("id", std::string("w2"))}, {{"count", Value{}}});
    CPPUNIT_ASSERT(isNull(field(*cleared, "count")));
  }

  void incrementIsAtomicUnderConcurrency() {
    if (!store_) return;
    store_->create("widget", {{"id", std::string("c")}, {"name", std::string("counter")}});  // count NULL counts as 0
    std::vector<std::thread> threads;
    std::atomic<int> failures{0};
    for (int t = 0; t < 8; ++t)
      threads.emplace_back([&] {
        for (int i = 0; i < 100; ++i) {
          try {
            store_->increment("widget", {eq("id", std::string("c"))}, {{"count", 1}, {"big", 2}});
          } catch (...) {
            ++failures;
          }
        }
      });
    for (auto& t : threads) t.join();
    CPPUNIT_ASSERT_EQUAL(0, failures.load());
    auto row = store_->findOne("widget", {eq("id", std::string("c"))});
    CPPUNIT_ASSERT_EQUAL(int64_t{800}, std::get<int64_t>(field(*row, "count")));
    CPPUNIT_ASSERT_EQUAL(int64_t{1600}, std::get<int64_t>(field(*row, "big")));
    auto after = store_->increment("widget", {eq("id", std::string("c"))}, {{"count", -800}});
    CPPUNIT_ASSERT_EQUAL(int64_t{0}, std::get<int64_t>(field(*after, "count")));
    CPPUNIT_ASSERT(!store_->increment("widget", {eq("id", std::string("none"))}, {{"count", 1}}));
    CPPUNIT_ASSERT_THROW(store_->increment("widget", {eq("id", std::string("c"))}, {{"name", 1}}), DatabaseError);
  }

  void transactionCommitsAndRollsBack() {
    if (!store_) return;
    store_->transaction([&](Store& tx) {
      tx.create("widget", widget("t1", "t1", 1));
      tx.update("widget", {eq("id", std::string("t1"))}, {{"count", int64_t{2}}});
      // The transaction sees its own writes.
      CPPUNIT_ASSERT_EQUAL(int64_t{2}, std::get<int64_t>(field(*tx.findOne("widget", {eq("id", std::string("t1"))}), "count")));
    });
    CPPUNIT_ASSERT_EQUAL(int64_t{1}, store_->count("widget", {eq("id", std::string("t1"))}));
    CPPUNIT_ASSERT_THROW(store_->transaction([&](Store& tx) {
      tx.create("widget", widget("t2", "t2", 1));
      tx.remove("widget", {eq("id", std::string("t1"))});
      throw std::runtime_error("abort");
    }),
                         std::runtime_error);
    CPPUNIT_ASSERT_EQUAL(int64_t{0}, store_->count("widget", {eq("id", std::string("t2"))}));
    CPPUNIT_ASSERT_EQUAL(int64_t{1}, store_->count("widget", {eq("id", std::string("t1"))}));
    // A failing statement inside rolls back the whole transaction.
    CPPUNIT_ASSERT_THROW(store_->transaction([&](Store& tx) {
      tx.create("widget", widget("t3", "t3", 1));
      tx.create("widget", widget("t4", "t1", 1));  // duplicate name
    }),
                         DatabaseError);
    CPPUNIT_ASSERT_EQUAL(int64_t{0}, store_->count("widget", {eq("id", std::string("t3"))}));
    // The store still works after a failed transaction.
    store_->create("widget", widget("t5", "t5", 1));
    CPPUNIT_ASSERT_EQUAL(int64_t{2}, store_->count("widget", {}));
  }

  void nestedTransactionsJoinTheOuterOne() {
    if (!store_) return;
    CPPUNIT_ASSERT_THROW(store_->transaction([&](Store& tx) {
      tx.transaction([&](Store& inner) { inner.create("widget", widget("n1", "n1", 1)); });
      // Calling the root store from inside joins the transaction too (no deadlock, no escape).
      store_->create("widget", widget("n2", "n2", 1));
      store_->transaction([&](Store& inner) { inner.create("widget", widget("n3", "n3", 1)); });
      CPPUNIT_ASSERT_EQUAL(int64_t{3}, tx.count("widget", {}));
      throw std::runtime_error("roll everything back");
    }),
                         std::runtime_error);
    CPPUNIT_ASSERT_EQUAL(int64_t{0}, store_->count("widget", {}));
  }

  void uniqueViolationIsAConstraintError() {
    if (!store_) return;
    store_->create("widget", widget("u1", "same", 1));
    try {
      store_->create("widget", widget("u2", "same", 1));
      CPPUNIT_FAIL("a duplicate unique value was accepted");
    } catch (const DatabaseError& e) {
      CPPUNIT_ASSERT(e.kind() == DatabaseError::Kind::Constraint);
    }
    try {
      store_->create("widget", widget("u1", "other", 1));
      CPPUNIT_FAIL("a duplicate primary key was accepted");
    } catch (const DatabaseError& e) {
      CPPUNIT_ASSERT(e.kind() == DatabaseError::Kind::Constraint);
    }
    // The store keeps working on the same connections afterwards.
    store_->create("widget", widget("u3", "third", 1));
    CPPUNIT_ASSERT_EQUAL(int64_t{2}, store_->count("widget", {}));
  }

  void timestampsCompareInTimeOrder() {
    if (!store_) return;
    // Different digit counts in the millis and across years: text order must equal time order.
    const std::vector<int64_t> times = {946684800000, 946684800001, 946684800010, 946684800100, 1795887861383, 4102444800000};
    for (size_t i = 0; i < times.size(); ++i)
      store_->create("widget", {{"id", "t" + std::to_string(i)}, {"name", "t" + std::to_string(i)}, {"at", Timestamp{times[i]}}});
    for (size_t i = 0; i < times.size(); ++i) {
      CPPUNIT_ASSERT_EQUAL(static_cast<int64_t>(i), store_->count("widget", {where("at", Op::Lt, Timestamp{times[i]})}));
      auto row = store_->findOne("widget", {where("at", Op::Eq, Timestamp{times[i]})});
      CPPUNIT_ASSERT(row);
      CPPUNIT_ASSERT(Timestamp{times[i]} == std::get<Timestamp>(field(*row, "at")));
    }
    FindOptions latest;
    latest.sortBy = SortBy{"at", true};
    latest.limit = 1;
    CPPUNIT_ASSERT_EQUAL(std::string("t5"), ids(store_->findMany("widget", latest)).at(0));
  }

  void unknownTableOrColumnIsRefused() {
    if (!store_) return;
    auto expectOther = [](auto&& call) {
      try {
        call();
        CPPUNIT_FAIL("an unknown identifier was accepted");
      } catch (const DatabaseError& e) {
        CPPUNIT_ASSERT(e.kind() == DatabaseError::Kind::Other);
      }
    };
    expectOther([&] { store_->findOne("nope", {}); });
    expectOther([&] { store_->findOne("widget", {eq("nope", int64_t{1})}); });
    expectOther([&] { store_->create("widget", {{"id", std::string("x")}, {"name", std::string("x")}, {"evil\"; DROP", int64_t{1}}}); });
    expectOther([&] { store_->update("widget", {}, {{"nope", int64_t{1}}}); });
    FindOptions badSort;
    badSort.sortBy = SortBy{"nope", false};
    expectOther([&] { store_->findMany("widget", badSort); });
    FindOptions badSelect;
    badSelect.select = {"id", "nope"};
    expectOther([&] { store_->findMany("widget", badSelect); });
    // A value that looks like SQL is only ever data.
    store_->create("widget", widget("x", "'); DROP TABLE \"widget\"; --", 1));
    CPPUNIT_ASSERT_EQUAL(int64_t{1}, store_->count("widget", {eq("name", std::string("'); DROP TABLE \"widget\"; --"))}));
  }

  void migratingTwicePlansNothing() {
    if (!store_) return;
    CPPUNIT_ASSERT_EQUAL(size_t{0}, db_.backend->planMigration(tables_).size());
  }

  void pingAnswers() {
    if (!store_) return;
    CPPUNIT_ASSERT(store_->ping());
  }

 private:
  test::TestDatabase db_;
  std::vector<TableDecl> tables_;
  std::shared_ptr<Store> store_;
};

struct OnSqlite {
  static constexpr const char* dialect = "sqlite";
};
struct OnPostgres {
  static constexpr const char* dialect = "postgresql";
};

CPPUNIT_TEST_SUITE_REGISTRATION(StoreSuite<OnSqlite>);
CPPUNIT_TEST_SUITE_REGISTRATION(StoreSuite<OnPostgres>);
