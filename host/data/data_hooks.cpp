#include "data/data_hooks.hpp"

#include "crow/error.hpp"

#include <algorithm>

namespace crow::host {

namespace {

bool runsBefore(const DataHookEntry& a, const DataHookEntry& b) {
  return a.priority != b.priority ? a.priority < b.priority : a.order < b.order;
}

}  // namespace

void DataHooks::add(crow::HookPoint point, const std::string& table, crow::DataHook hook, int priority,
                    const std::string& owner) {
  if (point == crow::HookPoint::RequestBefore || point == crow::HookPoint::RequestAfter)
    throw crow::ConfigError("data hook of " + owner + ": " + std::string(crow::hookPointName(point)) +
                            " is a request hook point");
  if (!hook) throw crow::ConfigError("data hook of " + owner + " at " + std::string(crow::hookPointName(point)) + " is empty");
  auto& list = hooks_[{point, table.empty() ? std::string("*") : table}];
  DataHookEntry entry{point, table.empty() ? std::string("*") : table, priority, owner, std::move(hook), count_++};
  list.insert(std::upper_bound(list.begin(), list.end(), entry, runsBefore), std::move(entry));
}

bool DataHooks::any(crow::HookPoint point, const std::string& table) const {
  if (hooks_.empty()) return false;
  return hooks_.count({point, table}) > 0 || hooks_.count({point, "*"}) > 0;
}

std::vector<const DataHookEntry*> DataHooks::at(crow::HookPoint point, const std::string& table) const {
  std::vector<const DataHookEntry*> out;
  if (auto it = hooks_.find({point, table}); it != hooks_.end())
    for (const auto& e : it->second) out.push_back(&e);
  if (table != "*")
    if (auto it = hooks_.find({point, "*"}); it != hooks_.end())
      for (const auto& e : it->second) out.push_back(&e);
  std::stable_sort(out.begin(), out.end(), [](const DataHookEntry* a, const DataHookEntry* b) { return runsBefore(*a, *b); });
  return out;
}

}  // namespace crow::host
