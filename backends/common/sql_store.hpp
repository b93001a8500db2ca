// The Store of every SQL backend: builds statements with QueryBuilder and runs them on the
// backend's connections. A backend supplies only a ConnectionSource.
#pragma once

#include "common/connection.hpp"

#include <memory>

namespace crow::sql {

class SqlStore : public Store {
 public:
  SqlStore(std::shared_ptr<ConnectionSource> source, std::vector<TableDecl> tables,
           std::shared_ptr<Dialect> dialect);
  ~SqlStore() override;

  Row create(const std::string& table, const Row& data) override;
  std::optional<Row> findOne(const std::string& table, const std::vector<Where>& where) override;
  std::vector<Row> findMany(const std::string& table, const FindOptions& options) override;
  std::optional<JoinedRow> findOneJoined(const std::string& table, const std::vector<Where>& where,
                                         const std::string& foreignKey, const std::string& joinTable,
                                         const std::string& joinField) override;
  int64_t count(const std::string& table, const std::vector<Where>& where) override;
  std::optional<Row> update(const std::string& table, const std::vector<Where>& where, const Row& patch) override;
  int64_t updateMany(const std::string& table, const std::vector<Where>& where, const Row& patch) override;
  int64_t remove(const std::string& table, const std::vector<Where>& where) override;
  std::optional<Row> increment(const std::string& table, const std::vector<Where>& where,
                               const std::map<std::string, int64_t>& deltas) override;
  void transaction(const std::function<void(Store&)>& work) override;
  bool ping() noexcept override;

 private:
  struct Shared;
  // The store bound to one transaction's connection.
  SqlStore(std::shared_ptr<Shared> shared, Executor& transaction);

  Result read(const SqlStatement& st);
  Result write(const SqlStatement& st);
  // The transaction-bound store when the calling thread is inside a transaction of this database
  // (so a call on the root store from inside transaction() joins it instead of deadlocking on
  // SQLite's single writer, or escaping the transaction on PostgreSQL).
  SqlStore* joined() const;

  std::shared_ptr<Shared> shared_;
  Executor* transaction_ = nullptr;
};

}  // namespace crow::sql
