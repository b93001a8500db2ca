// The request.before / request.after hooks plugins register, in run order (priority ascending,
// then registration order).
//
// Hooks are added during start-up on one thread; runBefore/runAfter are then called concurrently
// and take no lock.
#pragma once

#include "crow/hooks.hpp"
#include "crow/http.hpp"

#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

namespace crow::host {

struct RequestHookEntry {
  crow::HookPoint point = crow::HookPoint::RequestBefore;
  crow::RequestHook hook;
  crow::RequestHookOptions options;
  std::string owner;  ///< plugin id
};

/// A hook threw something other than crow::ApiError. The server answers 500 with an empty body
/// and logs `hook of plugin <owner> failed: <what>`; the client never sees `what`.
class HookFailure : public std::runtime_error {
 public:
  HookFailure(std::string owner, const std::string& what);
  const std::string& owner() const noexcept { return owner_; }

 private:
  std::string owner_;
};

class RequestHooks {
 public:
  /// Throws crow::ConfigError for a point other than RequestBefore/RequestAfter or an empty hook.
  void add(crow::HookPoint point, crow::RequestHook hook, crow::RequestHookOptions options,
           const std::string& owner);

  /// Runs the before-hooks whose pathPrefix `request.path` starts with. A crow::ApiError
  /// propagates as is (the first rejection wins: later hooks do not run); any other exception
  /// becomes HookFailure.
  void runBefore(crow::Request& request, crow::Response& response) const;
  /// The same for after-hooks, which see the response the handler (or a rejection) produced.
  void runAfter(crow::Request& request, crow::Response& response) const;

  /// Before-hooks then after-hooks, each in run order.
  std::vector<RequestHookEntry> list() const;
  bool empty() const noexcept { return before_.empty() && after_.empty(); }

 private:
  static void run(const std::vector<RequestHookEntry>& hooks, crow::Request& request, crow::Response& response);

  std::vector<RequestHookEntry> before_;
  std::vector<RequestHookEntry> after_;
};

}  // namespace crow::host
