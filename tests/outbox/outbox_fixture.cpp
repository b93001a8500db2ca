#include "outbox_fixture.hpp"

#include "outbox/outbox.hpp"
#include "outbox/outbox_table.hpp"

#include <cppunit/extensions/HelperMacros.h>

namespace crow::test {

crow::Timestamp WallClock::now() const noexcept {
  using namespace std::chrono;
  return crow::Timestamp{duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count()};
}

void CapturingLogger::log(crow::LogLevel, std::string_view message, const crow::LogFields& fields) {
  std::string line(message);
  for (const auto& [key, value] : fields) line += " " + key + "=" + value;
  std::lock_guard lock(mutex_);
  lines_.push_back(std::move(line));
}

std::vector<std::string> CapturingLogger::lines() const {
  std::lock_guard lock(mutex_);
  return lines_;
}

bool CapturingLogger::mentions(const std::string& text) const {
  for (const auto& line : lines())
    if (line.find(text) != std::string::npos) return true;
  return false;
}

namespace {

std::vector<crow::TableDecl> outboxTables() {
  crow::SchemaBuilder schema;
  crow::host::declareOutboxSchema(schema);
  auto tables = schema.tables();
  for (auto& table : tables) table.owner = "core";
  return tables;
}

}  // namespace

OutboxDatabase::OutboxDatabase() : database(TestDatabase::make("sqlite")) {
  database.open(4);
  store = database.migrateAndStore(outboxTables());
}

std::shared_ptr<crow::Store> OutboxDatabase::openSecondInstance() {
  auto backend = loadBackend("sqlite");
  crow::BackendOptions options;
  options.url = database.url;
  options.poolSize = 4;
  options.busyTimeoutMs = 10000;
  backend->open(options);
  auto second = backend->store(outboxTables());
  others_.push_back(std::move(backend));
  return second;
}

crow::Row OutboxDatabase::row(const std::string& id) {
  auto found = store->findOne(crow::host::outbox_table::kTable, {crow::eq("id", id)});
  CPPUNIT_ASSERT_MESSAGE("outbox row " + id + " exists", found.has_value());
  return *found;
}

int64_t OutboxDatabase::countWithStatus(const std::string& status) {
  return store->count(crow::host::outbox_table::kTable, {crow::eq("status", status)});
}

std::string text(const crow::Row& row, const std::string& column) {
  return crow::asString(crow::field(row, column)).value_or("");
}

int64_t integer(const crow::Row& row, const std::string& column) {
  return crow::asInt(crow::field(row, column)).value_or(-1);
}

crow::Timestamp timestamp(const crow::Row& row, const std::string& column) {
  auto t = crow::asTimestamp(crow::field(row, column));
  CPPUNIT_ASSERT_MESSAGE(column + " is a timestamp", t.has_value());
  return *t;
}

}  // namespace crow::test
