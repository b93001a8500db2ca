#include "common/sql_store.hpp"

#include <algorithm>
#include <iterator>
#include <utility>

namespace crow::sql {

struct SqlStore::Shared {
  std::shared_ptr<ConnectionSource> source;
  std::shared_ptr<Dialect> dialect;
  Catalog catalog;
  QueryBuilder builder;
  Shared(std::shared_ptr<ConnectionSource> s, std::vector<TableDecl> tables, std::shared_ptr<Dialect> d)
      : source(std::move(s)), dialect(std::move(d)), catalog(std::move(tables)), builder(catalog, *dialect) {}
};

namespace {

// The transactions the calling thread is inside, innermost last: (database, bound store).
struct ActiveTransaction {
  const void* database;
  SqlStore* store;
};
thread_local std::vector<ActiveTransaction> activeTransactions;

struct ActiveTransactionScope {
  ActiveTransactionScope(const void* database, SqlStore* store) { activeTransactions.push_back({database, store}); }
  ~ActiveTransactionScope() { activeTransactions.pop_back(); }
};

}  // namespace

SqlStore::SqlStore(std::shared_ptr<ConnectionSource> source, std::vector<TableDecl> tables,
                   std::shared_ptr<Dialect> dialect)
    : shared_(std::make_shared<Shared>(std::move(source), std::move(tables), std::move(dialect))) {}

SqlStore::SqlStore(std::shared_ptr<Shared> shared, Executor& transaction)
    : shared_(std::move(shared)), transaction_(&transaction) {}

SqlStore::~SqlStore() = default;

SqlStore* SqlStore::joined() const {
  for (auto it = activeTransactions.rbegin(); it != activeTransactions.rend(); ++it)
    if (it->database == shared_.get()) return it->store;
  return nullptr;
}

Result SqlStore::read(const SqlStatement& st) {
  if (transaction_) return transaction_->run(st);
  if (auto* tx = joined()) return tx->transaction_->run(st);
  return shared_->source->read(st);
}

Result SqlStore::write(const SqlStatement& st) {
  if (transaction_) return transaction_->run(st);
  if (auto* tx = joined()) return tx->transaction_->run(st);
  return shared_->source->write(st);
}

Row SqlStore::create(const std::string& table, const Row& data) {
  auto st = shared_->builder.insert(table, data);
  auto result = write(st);
  if (result.rows.empty()) return data;
  return QueryBuilder::decodeRow(st.columns, std::move(result.rows.front()), st.columnsByName);
}

std::optional<Row> SqlStore::findOne(const std::string& table, const std::vector<Where>& where) {
  FindOptions options;
  options.where = where;
  options.limit = 1;
  auto st = shared_->builder.select(table, options);
  auto result = read(st);
  if (result.rows.empty()) return std::nullopt;
  return QueryBuilder::decodeRow(st.columns, std::move(result.rows.front()), st.columnsByName);
}

std::optional<JoinedRow> SqlStore::findOneJoined(const std::string& table, const std::vector<Where>& where,
                                                 const std::string& foreignKey, const std::string& joinTable,
                                                 const std::string& joinField) {
  size_t split = 0;
  auto st = shared_->builder.selectJoined(table, where, foreignKey, joinTable, joinField, split);
  auto result = read(st);
  if (result.rows.empty()) return std::nullopt;
  auto& raw = result.rows.front();
  std::vector<Value> second(std::make_move_iterator(raw.begin() + static_cast<std::ptrdiff_t>(std::min(split, raw.size()))),
                            std::make_move_iterator(raw.end()));
  raw.resize(std::min(split, raw.size()));
  const std::vector<const FieldDecl*> firstColumns(st.columns.begin(), st.columns.begin() + static_cast<std::ptrdiff_t>(split));
  const std::vector<const FieldDecl*> secondColumns(st.columns.begin() + static_cast<std::ptrdiff_t>(split), st.columns.end());
  return JoinedRow{QueryBuilder::decodeRow(firstColumns, std::move(raw), st.firstColumnsByName),
                   QueryBuilder::decodeRow(secondColumns, std::move(second), st.secondColumnsByName)};
}

std::vector<Row> SqlStore::findMany(const std::string& table, const FindOptions& options) {
  auto st = shared_->builder.select(table, options);
  auto result = read(st);
  std::vector<Row> rows;
  rows.reserve(result.rows.size());
  for (auto& raw : result.rows) rows.push_back(QueryBuilder::decodeRow(st.columns, std::move(raw), st.columnsByName));
  return rows;
}

int64_t SqlStore::count(const std::string& table, const std::vector<Where>& where) {
  auto st = shared_->builder.count(table, where);
  auto result = read(st);
  if (result.rows.empty() || result.rows.front().empty()) return 0;
  return asInt(result.rows.front().front()).value_or(0);
}

std::optional<Row> SqlStore::update(const std::string& table, const std::vector<Where>& where, const Row& patch) {
  if (patch.empty()) return findOne(table, where);
  auto st = shared_->builder.update(table, where, patch, true);
  auto result = write(st);
  if (result.rows.empty()) return std::nullopt;
  return QueryBuilder::decodeRow(st.columns, std::move(result.rows.front()), st.columnsByName);
}

int64_t SqlStore::updateMany(const std::string& table, const std::vector<Where>& where, const Row& patch) {
  if (patch.empty()) return 0;
  return write(shared_->builder.update(table, where, patch, false)).affected;
}

int64_t SqlStore::remove(const std::string& table, const std::vector<Where>& where) {
  return write(shared_->builder.remove(table, where)).affected;
}

std::optional<Row> SqlStore::increment(const std::string& table, const std::vector<Where>& where,
                                       const std::map<std::string, int64_t>& deltas) {
  auto st = shared_->builder.increment(table, where, deltas);
  auto result = write(st);
  if (result.rows.empty()) return std::nullopt;
  return QueryBuilder::decodeRow(st.columns, std::move(result.rows.front()), st.columnsByName);
}

void SqlStore::transaction(const std::function<void(Store&)>& work) {
  // Nested calls join the transaction already open: there is one commit, the outermost.
  if (transaction_) return work(*this);
  if (auto* tx = joined()) return work(*tx);
  shared_->source->transaction([&](Executor& connection) {
    SqlStore bound(shared_, connection);
    ActiveTransactionScope scope(shared_.get(), &bound);
    work(bound);
  });
}

bool SqlStore::ping() noexcept { return shared_->source->ping(); }

}  // namespace crow::sql
