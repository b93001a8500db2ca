// crow/store.hpp - the backend-neutral data API (Better Auth's adapter, in C++).
//
// A plugin never sees SQL or a database session. It reads and writes rows of the tables that the
// host and the plugins declared (crow/schema.hpp); the backend turns each call into prepared SQL
// for its dialect and encodes values the way Better Auth stores them.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace crow {

/// A point in time, UTC, with millisecond precision (Better Auth stores dates to the ms).
struct Timestamp {
  int64_t epochMs = 0;
  friend bool operator==(const Timestamp&, const Timestamp&) = default;
  friend auto operator<=>(const Timestamp&, const Timestamp&) = default;
};

/// Formats as `YYYY-MM-DDTHH:MM:SS.sssZ` (JavaScript's toISOString) and parses that form, plus
/// the variants other writers produce (space separator, no millis, `+00:00`, epoch ms digits).
std::string toIsoString(Timestamp t);
std::optional<Timestamp> parseIsoString(std::string_view text);

/// A column value. `std::monostate` is SQL NULL. JSON columns hold their text in a std::string.
using Value = std::variant<std::monostate, bool, int64_t, double, std::string, Timestamp>;

/// A row: column name to value. Only the columns read or written are present.
using Row = std::map<std::string, Value>;

/// Value accessors that tolerate what databases hand back (0/1 for booleans, text dates, ...).
bool isNull(const Value& v) noexcept;
std::optional<std::string> asString(const Value& v);
std::optional<int64_t> asInt(const Value& v);
std::optional<bool> asBool(const Value& v);
std::optional<Timestamp> asTimestamp(const Value& v);
/// A field of a row, or a NULL value when the row lacks it.
const Value& field(const Row& row, const std::string& name);

/// Comparison operators for a where-clause (Better Auth's adapter operators).
enum class Op : uint8_t { Eq, Ne, Lt, Lte, Gt, Gte, In, NotIn, Contains, StartsWith, EndsWith };
/// How a clause joins the clauses before it: `a AND b OR c` evaluates as `(a AND b) OR c`.
enum class Connector : uint8_t { And, Or };

/// One condition. `In`/`NotIn` use `values`; every other operator uses `value`. `Eq`/`Ne` with a
/// NULL value become `IS NULL` / `IS NOT NULL`.
struct Where {
  std::string field;
  Op op = Op::Eq;
  Value value;
  std::vector<Value> values;
  Connector connector = Connector::And;
};

/// Shorthand for the common `field = value` clause.
Where eq(std::string field, Value value);

/// Ordering for findMany.
struct SortBy {
  std::string field;
  bool descending = false;
};

/// Options for findMany: filter, order, paging, and the columns to return (empty = all).
struct FindOptions {
  std::vector<Where> where;
  std::optional<SortBy> sortBy;
  std::optional<int64_t> limit;
  int64_t offset = 0;
  std::vector<std::string> select;
};

/// A row and the row of another table that one of its columns points to (many-to-one).
struct JoinedRow {
  Row row;
  Row joined;
};

/// The data API. Every method is safe to call from any request thread. Errors surface as
/// crow::DatabaseError; a unique-constraint violation has Kind::Constraint.
class Store {
 public:
  virtual ~Store();

  /// Inserts a row (the caller supplies the id) and returns it as stored.
  virtual Row create(const std::string& table, const Row& data) = 0;
  /// The first row matching `where`, or nullopt.
  virtual std::optional<Row> findOne(const std::string& table, const std::vector<Where>& where) = 0;
  /// All rows matching the options.
  virtual std::vector<Row> findMany(const std::string& table, const FindOptions& options) = 0;
  /// How many rows match.
  virtual int64_t count(const std::string& table, const std::vector<Where>& where) = 0;
  /// Updates the rows matching `where` (meant to be one) and returns the first updated row.
  virtual std::optional<Row> update(const std::string& table, const std::vector<Where>& where,
                                    const Row& patch) = 0;
  /// Updates every matching row; returns how many changed.
  virtual int64_t updateMany(const std::string& table, const std::vector<Where>& where,
                             const Row& patch) = 0;
  /// Deletes the matching rows (Better Auth's `delete`); returns how many went.
  virtual int64_t remove(const std::string& table, const std::vector<Where>& where) = 0;
  /// Atomically adds `delta` to each named integer column of the matching row (in one statement,
  /// so concurrent increments never lose an update) and returns the row afterwards.
  virtual std::optional<Row> increment(const std::string& table, const std::vector<Where>& where,
                                       const std::map<std::string, int64_t>& deltas) = 0;
  /// Runs `work` in one transaction on one connection: all of it commits or none of it does. The
  /// Store passed in is bound to that transaction; use it, not `*this`, inside `work`.
  virtual void transaction(const std::function<void(Store&)>& work) = 0;
  /// The first row of `table` matching `where`, with the row of `joinTable` whose `joinField`
  /// equals that row's `foreignKey` column (an inner join: nullopt when either is missing). SQL
  /// backends answer in one statement, which is why hot paths (get-session) use it; the default
  /// makes two findOne calls.
  virtual std::optional<JoinedRow> findOneJoined(const std::string& table, const std::vector<Where>& where,
                                                 const std::string& foreignKey, const std::string& joinTable,
                                                 const std::string& joinField = "id");
  /// One round-trip to the database; false when it is unreachable.
  virtual bool ping() noexcept = 0;
};

}  // namespace crow
