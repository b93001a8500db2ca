// The Store every plugin and the core get: the backend's Store with the data hooks around it.
//
// Before-hooks run inside the write: when the caller is inside transaction() they run in that
// transaction; otherwise a write that has before-hooks opens one, so anything a hook writes
// through DataChange::store commits or rolls back with the write. A before-hook may edit the row
// (create) or patch (update) and may reject by throwing: the exception (ApiError included)
// propagates unchanged and nothing is written.
// After-hooks run after commit: inside transaction() they are queued and run once the outermost
// transaction commits, and dropped when it rolls back. An exception in an after-hook is logged
// with the hook's owner and never propagates.
//
// What after-hooks see: create -> the created row; update -> the updated row; updateMany -> the
// patch (the rows are not read back); increment -> the row afterwards (update.after);
// delete -> each deleted row (read before the delete, only when delete hooks exist).
#pragma once

#include "data/data_hooks.hpp"

#include "crow/log.hpp"
#include "crow/store.hpp"

#include <functional>
#include <memory>
#include <vector>

namespace crow::host {

class HookedStore : public crow::Store {
 public:
  HookedStore(std::shared_ptr<crow::Store> inner, const DataHooks& hooks, crow::Logger& logger);
  ~HookedStore() override;

  crow::Row create(const std::string& table, const crow::Row& data) override;
  std::optional<crow::Row> findOne(const std::string& table, const std::vector<crow::Where>& where) override;
  std::vector<crow::Row> findMany(const std::string& table, const crow::FindOptions& options) override;
  std::optional<crow::JoinedRow> findOneJoined(const std::string& table, const std::vector<crow::Where>& where,
                                               const std::string& foreignKey, const std::string& joinTable,
                                               const std::string& joinField) override;
  int64_t count(const std::string& table, const std::vector<crow::Where>& where) override;
  std::optional<crow::Row> update(const std::string& table, const std::vector<crow::Where>& where,
                                  const crow::Row& patch) override;
  int64_t updateMany(const std::string& table, const std::vector<crow::Where>& where, const crow::Row& patch) override;
  int64_t remove(const std::string& table, const std::vector<crow::Where>& where) override;
  std::optional<crow::Row> increment(const std::string& table, const std::vector<crow::Where>& where,
                                     const std::map<std::string, int64_t>& deltas) override;
  void transaction(const std::function<void(crow::Store&)>& work) override;
  bool ping() noexcept override;

 private:
  using AfterQueue = std::vector<std::function<void()>>;
  // The store bound to one transaction of `root`.
  HookedStore(crow::Store& inner, HookedStore& root, AfterQueue& queue);

  // Runs `write` with the store it must use: this one inside a transaction, else a transaction
  // opened for it.
  void inWriteScope(const std::function<void(HookedStore&)>& write);
  void runBefore(crow::HookPoint point, const std::string& table, crow::Row& row, const std::vector<crow::Where>& where);
  // Runs the after-hooks now, or queues them until the transaction commits.
  void after(crow::HookPoint point, const std::string& table, crow::Row row, std::vector<crow::Where> where);
  void runAfter(crow::HookPoint point, const std::string& table, crow::Row& row,
                const std::vector<crow::Where>& where) noexcept;
  HookedStore* joined() const;

  std::shared_ptr<crow::Store> owned_;  // the backend's store (root only)
  crow::Store* inner_;
  const DataHooks& hooks_;
  crow::Logger& logger_;
  HookedStore* root_;            // this, or the root of the transaction this store is bound to
  AfterQueue* queue_ = nullptr;  // set inside a transaction
};

}  // namespace crow::host
