// crow/hooks.hpp - the closed set of hook points the host owns.
//
// Adding a hook point is a minor ABI bump; removing one is a major bump. Hooks at one point run
// in (priority ascending, then plugin load order). A before-hook rejects by throwing ApiError:
// the first rejection wins and later hooks do not run. An after-hook cannot veto.
#pragma once

#include "crow/http.hpp"
#include "crow/store.hpp"

#include <functional>
#include <string>
#include <vector>

namespace crow {

enum class HookPoint : uint32_t {
  /// Before routing: may annotate the request (attributes) or reject it. Runs for every request,
  /// including unknown paths, when its path prefix matches.
  RequestBefore = 1,
  /// After the handler (or a rejection) produced a response: may add headers.
  RequestAfter = 2,
  /// Data hooks: fire from the Store for every writer of the table, whoever it is.
  CreateBefore = 10,  ///< may modify the new row or reject
  CreateAfter = 11,   ///< after commit
  UpdateBefore = 12,  ///< may modify the patch or reject
  UpdateAfter = 13,   ///< after commit; `row` is the updated row
  DeleteBefore = 14,  ///< may reject
  DeleteAfter = 15,   ///< after commit
};

/// "request.before", "create.after", ...
std::string_view hookPointName(HookPoint p) noexcept;

/// A request hook. Before-hooks throw ApiError to reject; after-hooks may edit the response.
using RequestHook = std::function<void(Request&, Response&)>;

/// What a data hook sees.
struct DataChange {
  const std::string& table;
  /// Create: the new row. Update: the patch (before) or the updated row (after). Delete: the
  /// deleted row when known, else empty.
  Row& row;
  /// Update/delete: the selection. Create: empty.
  const std::vector<Where>& where;
  /// The store the write goes through: bound to the write's transaction in before-hooks, so
  /// writes made here commit or roll back with it.
  Store& store;
};
using DataHook = std::function<void(DataChange&)>;

/// Where and when a request hook runs.
struct RequestHookOptions {
  int priority = 0;
  /// Runs only for paths (below the base path) that start with this; empty means every path.
  std::string pathPrefix;
};

}  // namespace crow
