#include "server/request_hooks.hpp"

#include "crow/error.hpp"

#include <Poco/Exception.h>

#include <algorithm>

namespace crow::host {

HookFailure::HookFailure(std::string owner, const std::string& what)
    : std::runtime_error(what), owner_(std::move(owner)) {}

void RequestHooks::add(crow::HookPoint point, crow::RequestHook hook, crow::RequestHookOptions options,
                       const std::string& owner) {
  if (point != crow::HookPoint::RequestBefore && point != crow::HookPoint::RequestAfter)
    throw crow::ConfigError("plugin " + owner + ": " + std::string(crow::hookPointName(point)) +
                            " is not a request hook point");
  if (!hook) throw crow::ConfigError("plugin " + owner + ": empty request hook");
  auto& list = point == crow::HookPoint::RequestBefore ? before_ : after_;
  // After every hook of the same or lower priority: equal priorities keep registration order.
  auto at = std::upper_bound(list.begin(), list.end(), options.priority,
                             [](int priority, const RequestHookEntry& e) { return priority < e.options.priority; });
  list.insert(at, RequestHookEntry{point, std::move(hook), std::move(options), owner});
}

void RequestHooks::runBefore(crow::Request& request, crow::Response& response) const {
  run(before_, request, response);
}

void RequestHooks::runAfter(crow::Request& request, crow::Response& response) const {
  run(after_, request, response);
}

void RequestHooks::run(const std::vector<RequestHookEntry>& hooks, crow::Request& request, crow::Response& response) {
  for (const RequestHookEntry& entry : hooks) {
    const std::string& prefix = entry.options.pathPrefix;
    if (!prefix.empty() && request.path.compare(0, prefix.size(), prefix) != 0) continue;
    try {
      entry.hook(request, response);
    } catch (const crow::ApiError&) {
      throw;
    } catch (const Poco::Exception& e) {
      throw HookFailure(entry.owner, e.displayText());
    } catch (const std::exception& e) {
      throw HookFailure(entry.owner, e.what());
    } catch (...) {
      throw HookFailure(entry.owner, "unknown exception");
    }
  }
}

std::vector<RequestHookEntry> RequestHooks::list() const {
  std::vector<RequestHookEntry> out(before_);
  out.insert(out.end(), after_.begin(), after_.end());
  return out;
}

}  // namespace crow::host
