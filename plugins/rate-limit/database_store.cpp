// database_store.cpp - fixed windows in the `rateLimit` table; see database_store.hpp.
#include "database_store.hpp"

#include <crow/error.hpp>

#include <random>

namespace crow::rate_limit {

namespace {

// Under contention a hit may lose a race at each step; a few rounds settle it.
constexpr int kMaxAttempts = 5;

// Row ids like Better Auth's: 32 alphanumerics. They only need to be unique, not secret.
std::string newId() {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  thread_local std::mt19937_64 random{std::random_device{}()};
  std::uniform_int_distribution<size_t> pick(0, sizeof(kAlphabet) - 2);
  std::string id(32, '\0');
  for (char& c : id) c = kAlphabet[pick(random)];
  return id;
}

crow::Where where(std::string field, crow::Op op, int64_t value) {
  crow::Where w;
  w.field = std::move(field);
  w.op = op;
  w.value = value;
  return w;
}

int64_t intField(const crow::Row& row, const std::string& name) {
  return crow::asInt(crow::field(row, name)).value_or(0);
}

}  // namespace

void declareRateLimitTable(crow::SchemaBuilder& schema) {
  schema.table(kRateLimitTable)
      .field("id", crow::FieldType::Id).primaryKey()
      // client and rule, e.g. "203.0.113.7|/sign-in*"; bounded for dialects that index by prefix
      .field("key", crow::FieldType::String).required().unique().maxLength(255).notInput()
      .field("count", crow::FieldType::Integer).required().notInput()
      // epoch milliseconds: the start of the current window (Better Auth: its last request)
      .field("lastRequest", crow::FieldType::BigInt).required().notInput();
}

DatabaseStore::DatabaseStore(crow::Store& store) : store_(store) {}

Decision DatabaseStore::hit(const std::string& key, int64_t windowMs, int64_t max, int64_t nowMs) {
  try {
    for (int i = 0; i < kMaxAttempts; ++i) {
      bool retry = false;
      Decision decision = attempt(key, windowMs, max, nowMs, retry);
      if (!retry) return decision;
    }
  } catch (const crow::DatabaseError& e) {
    throw StoreUnavailable(std::string("rate-limit database: ") + e.what());
  }
  throw StoreUnavailable("rate-limit database: the counter kept changing under " + std::to_string(kMaxAttempts) +
                         " attempts");
}

Decision DatabaseStore::attempt(const std::string& key, int64_t windowMs, int64_t max, int64_t nowMs, bool& retry) {
  const int64_t windowOpenedAfter = nowMs - windowMs;  // a window started after this is still running

  // 1. Count the hit in a running window that has room.
  if (auto row = store_.increment(kRateLimitTable,
                                  {crow::eq("key", key), where("lastRequest", crow::Op::Gt, windowOpenedAfter),
                                   where("count", crow::Op::Lt, max)},
                                  {{"count", 1}}))
    return Decision{true, intField(*row, "count"), 0};

  // 2. Full, expired, or absent?
  if (auto row = store_.findOne(kRateLimitTable, {crow::eq("key", key)})) {
    const int64_t start = intField(*row, "lastRequest");
    const int64_t count = intField(*row, "count");
    if (start > windowOpenedAfter) {
      if (count >= max) return Decision{false, count, start + windowMs - nowMs};
      retry = true;  // someone restarted the window between our two statements
      return {};
    }
    if (auto reset = store_.update(kRateLimitTable,
                                   {crow::eq("key", key), where("lastRequest", crow::Op::Lte, windowOpenedAfter)},
                                   {{"count", int64_t{1}}, {"lastRequest", nowMs}}))
      return Decision{true, 1, 0};
    retry = true;  // another instance restarted it first
    return {};
  }

  // 3. A new key.
  try {
    store_.create(kRateLimitTable, {{"id", newId()}, {"key", key}, {"count", int64_t{1}}, {"lastRequest", nowMs}});
    return Decision{true, 1, 0};
  } catch (const crow::DatabaseError& e) {
    if (e.kind() != crow::DatabaseError::Kind::Constraint) throw;
    retry = true;  // another instance created it first
    return {};
  }
}

}  // namespace crow::rate_limit
