// The data hooks plugins register (create/update/delete, before/after, per table).
//
// Registration happens during start-up on one thread; afterwards the registry is only read, from
// any request thread, without locking.
#pragma once

#include "crow/hooks.hpp"

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace crow::host {

struct DataHookEntry {
  crow::HookPoint point;
  std::string table;  ///< a table name, or "*" for every table
  int priority = 0;
  std::string owner;  ///< the plugin id (or "core"), for logs
  crow::DataHook hook;
  size_t order = 0;   ///< registration order, the tie-breaker after priority
};

class DataHooks {
 public:
  /// Registers `hook` at a create/update/delete point for `table` ("*" = every table). Throws
  /// crow::ConfigError for a request hook point.
  void add(crow::HookPoint point, const std::string& table, crow::DataHook hook, int priority = 0,
           const std::string& owner = "core");
  /// The hooks to run at `point` for `table`, by priority ascending, then registration order.
  std::vector<const DataHookEntry*> at(crow::HookPoint point, const std::string& table) const;
  /// Whether any hook is registered at `point` for `table` (cheap; the write path asks first).
  bool any(crow::HookPoint point, const std::string& table) const;

 private:
  std::map<std::pair<crow::HookPoint, std::string>, std::vector<DataHookEntry>> hooks_;
  size_t count_ = 0;
};

}  // namespace crow::host
