#include "data/hooked_store.hpp"

namespace crow::host {

namespace {

using crow::HookPoint;

// The transactions the calling thread is inside: (root store, store bound to the transaction).
struct ActiveTransaction {
  const HookedStore* root;
  HookedStore* bound;
};
thread_local std::vector<ActiveTransaction> activeTransactions;

struct ActiveTransactionScope {
  ActiveTransactionScope(const HookedStore* root, HookedStore* bound) { activeTransactions.push_back({root, bound}); }
  ~ActiveTransactionScope() { activeTransactions.pop_back(); }
};

const std::vector<crow::Where> kNoWhere;

}  // namespace

HookedStore::HookedStore(std::shared_ptr<crow::Store> inner, const DataHooks& hooks, crow::Logger& logger)
    : owned_(std::move(inner)), inner_(owned_.get()), hooks_(hooks), logger_(logger), root_(this) {}

HookedStore::HookedStore(crow::Store& inner, HookedStore& root, AfterQueue& queue)
    : inner_(&inner), hooks_(root.hooks_), logger_(root.logger_), root_(&root), queue_(&queue) {}

HookedStore::~HookedStore() = default;

HookedStore* HookedStore::joined() const {
  for (auto it = activeTransactions.rbegin(); it != activeTransactions.rend(); ++it)
    if (it->root == root_) return it->bound;
  return nullptr;
}

void HookedStore::inWriteScope(const std::function<void(HookedStore&)>& write) {
  if (queue_) return write(*this);
  if (auto* bound = joined()) return write(*bound);
  transaction([&](crow::Store& bound) { write(static_cast<HookedStore&>(bound)); });
}

void HookedStore::runBefore(HookPoint point, const std::string& table, crow::Row& row,
                            const std::vector<crow::Where>& where) {
  for (const auto* entry : hooks_.at(point, table)) {
    crow::DataChange change{table, row, where, *this};
    entry->hook(change);  // a rejection (ApiError or anything else) propagates: nothing is written
  }
}

void HookedStore::runAfter(HookPoint point, const std::string& table, crow::Row& row,
                           const std::vector<crow::Where>& where) noexcept {
  for (const auto* entry : hooks_.at(point, table)) {
    try {
      crow::DataChange change{table, row, where, *root_};
      entry->hook(change);
    } catch (const std::exception& e) {
      logger_.error("data hook failed", {{"owner", entry->owner},
                                         {"hook", std::string(crow::hookPointName(point))},
                                         {"table", table},
                                         {"error", e.what()}});
    } catch (...) {
      logger_.error("data hook failed", {{"owner", entry->owner},
                                         {"hook", std::string(crow::hookPointName(point))},
                                         {"table", table},
                                         {"error", "non-standard exception"}});
    }
  }
}

void HookedStore::after(HookPoint point, const std::string& table, crow::Row row, std::vector<crow::Where> where) {
  if (!hooks_.any(point, table)) return;
  if (queue_) {
    HookedStore* root = root_;
    queue_->push_back([root, point, table, row = std::move(row), where = std::move(where)]() mutable {
      root->runAfter(point, table, row, where);
    });
    return;
  }
  root_->runAfter(point, table, row, where);
}

crow::Row HookedStore::create(const std::string& table, const crow::Row& data) {
  if (!hooks_.any(HookPoint::CreateBefore, table)) {
    if (auto* bound = queue_ ? nullptr : joined()) return bound->create(table, data);
    crow::Row created = inner_->create(table, data);
    after(HookPoint::CreateAfter, table, created, {});
    return created;
  }
  crow::Row created;
  inWriteScope([&](HookedStore& scope) {
    crow::Row row = data;
    scope.runBefore(HookPoint::CreateBefore, table, row, kNoWhere);
    created = scope.inner_->create(table, row);
    scope.after(HookPoint::CreateAfter, table, created, {});
  });
  return created;
}

std::optional<crow::Row> HookedStore::findOne(const std::string& table, const std::vector<crow::Where>& where) {
  return inner_->findOne(table, where);
}

std::optional<crow::JoinedRow> HookedStore::findOneJoined(const std::string& table,
                                                          const std::vector<crow::Where>& where,
                                                          const std::string& foreignKey, const std::string& joinTable,
                                                          const std::string& joinField) {
  return inner_->findOneJoined(table, where, foreignKey, joinTable, joinField);
}

std::vector<crow::Row> HookedStore::findMany(const std::string& table, const crow::FindOptions& options) {
  return inner_->findMany(table, options);
}

int64_t HookedStore::count(const std::string& table, const std::vector<crow::Where>& where) {
  return inner_->count(table, where);
}

std::optional<crow::Row> HookedStore::update(const std::string& table, const std::vector<crow::Where>& where,
                                             const crow::Row& patch) {
  if (!hooks_.any(HookPoint::UpdateBefore, table)) {
    if (auto* bound = queue_ ? nullptr : joined()) return bound->update(table, where, patch);
    auto updated = inner_->update(table, where, patch);
    if (updated) after(HookPoint::UpdateAfter, table, *updated, where);
    return updated;
  }
  std::optional<crow::Row> updated;
  inWriteScope([&](HookedStore& scope) {
    crow::Row row = patch;
    scope.runBefore(HookPoint::UpdateBefore, table, row, where);
    updated = scope.inner_->update(table, where, row);
    if (updated) scope.after(HookPoint::UpdateAfter, table, *updated, where);
  });
  return updated;
}

int64_t HookedStore::updateMany(const std::string& table, const std::vector<crow::Where>& where,
                                const crow::Row& patch) {
  if (!hooks_.any(HookPoint::UpdateBefore, table)) {
    if (auto* bound = queue_ ? nullptr : joined()) return bound->updateMany(table, where, patch);
    int64_t changed = inner_->updateMany(table, where, patch);
    if (changed > 0) after(HookPoint::UpdateAfter, table, patch, where);
    return changed;
  }
  int64_t changed = 0;
  inWriteScope([&](HookedStore& scope) {
    crow::Row row = patch;
    scope.runBefore(HookPoint::UpdateBefore, table, row, where);
    changed = scope.inner_->updateMany(table, where, row);
    if (changed > 0) scope.after(HookPoint::UpdateAfter, table, row, where);
  });
  return changed;
}

int64_t HookedStore::remove(const std::string& table, const std::vector<crow::Where>& where) {
  const bool before = hooks_.any(HookPoint::DeleteBefore, table);
  const bool afterHooks = hooks_.any(HookPoint::DeleteAfter, table);
  if (!before && !afterHooks) return inner_->remove(table, where);
  int64_t removed = 0;
  inWriteScope([&](HookedStore& scope) {
    crow::FindOptions options;
    options.where = where;
    auto rows = scope.inner_->findMany(table, options);
    for (auto& row : rows) scope.runBefore(HookPoint::DeleteBefore, table, row, where);
    removed = scope.inner_->remove(table, where);
    for (auto& row : rows) scope.after(HookPoint::DeleteAfter, table, std::move(row), where);
  });
  return removed;
}

std::optional<crow::Row> HookedStore::increment(const std::string& table, const std::vector<crow::Where>& where,
                                                const std::map<std::string, int64_t>& deltas) {
  if (auto* bound = queue_ ? nullptr : joined()) return bound->increment(table, where, deltas);
  auto row = inner_->increment(table, where, deltas);
  if (row) after(HookPoint::UpdateAfter, table, *row, where);
  return row;
}

void HookedStore::transaction(const std::function<void(crow::Store&)>& work) {
  // Nested calls (on the bound store, or on the root from inside the transaction) join it.
  if (queue_) return work(*this);
  if (auto* bound = joined()) return work(*bound);
  AfterQueue queue;
  inner_->transaction([&](crow::Store& innerBound) {
    queue.clear();  // a retried body starts afresh
    HookedStore bound(innerBound, *this, queue);
    ActiveTransactionScope scope(this, &bound);
    work(bound);
  });
  // Committed: now the after-hooks may see the data (and other connections can too).
  for (auto& run : queue) run();
}

bool HookedStore::ping() noexcept { return inner_->ping(); }

}  // namespace crow::host
