// fakes.hpp - small stand-ins for the host side of the SDK, enough to unit-test a plugin without
// a host or dlopen: a config block from key/value pairs, a store of rows in memory (equality
// lookups only), a fixed clock, an outbox that keeps what is enqueued, and an InitContext that
// records what the plugin registers (with no services configured).
// Copy this file with the template; extend it as your plugin needs.
#pragma once

#include <crow/context.hpp>
#include <crow/error.hpp>

#include <algorithm>
#include <initializer_list>
#include <map>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace example_test {

/// A flat config block; values are YAML scalars written as text.
class FakeConfig final : public crow::ConfigNode {
 public:
  using crow::ConfigNode::getBool;
  using crow::ConfigNode::getInt;
  using crow::ConfigNode::getString;

  FakeConfig() = default;
  FakeConfig(std::initializer_list<std::pair<std::string, std::string>> values) : values_(values) {}

  bool has(std::string_view key) const override { return find(key) != nullptr; }
  std::vector<std::string> keys() const override {
    std::vector<std::string> out;
    for (const auto& [k, v] : values_) out.push_back(k);
    return out;
  }
  std::optional<std::string> getString(std::string_view key) const override {
    const std::string* v = find(key);
    return v ? std::optional(*v) : std::nullopt;
  }
  std::optional<int64_t> getInt(std::string_view key) const override {
    const std::string* v = find(key);
    if (!v) return std::nullopt;
    try {
      size_t used = 0;
      int64_t n = std::stoll(*v, &used);
      if (used == v->size()) return n;
    } catch (const std::exception&) {
    }
    fail(key, "must be an integer");
  }
  std::optional<double> getDouble(std::string_view key) const override {
    const std::string* v = find(key);
    return v ? std::optional(std::stod(*v)) : std::nullopt;
  }
  std::optional<bool> getBool(std::string_view key) const override {
    const std::string* v = find(key);
    if (!v) return std::nullopt;
    if (*v == "true") return true;
    if (*v == "false") return false;
    fail(key, "must be true or false");
  }
  std::optional<std::vector<std::string>> getStringList(std::string_view key) const override {
    const std::string* v = find(key);
    if (!v) return std::nullopt;
    return std::vector<std::string>{*v};
  }
  std::unique_ptr<crow::ConfigNode> child(std::string_view) const override { return nullptr; }
  std::vector<std::unique_ptr<crow::ConfigNode>> children(std::string_view) const override { return {}; }
  void allowOnly(const std::vector<std::string_view>& allowed) const override {
    for (const auto& [k, v] : values_)
      if (std::find(allowed.begin(), allowed.end(), k) == allowed.end()) fail(k, "unknown key");
  }
  [[noreturn]] void fail(std::string_view key, std::string_view message) const override {
    throw crow::ConfigError("test.yaml:1: " + std::string(key) + ": " + std::string(message));
  }

 private:
  const std::string* find(std::string_view key) const {
    for (const auto& [k, v] : values_)
      if (k == key) return &v;
    return nullptr;
  }
  std::vector<std::pair<std::string, std::string>> values_;
};

/// Rows in memory. Supports create, equality findOne/findMany/count/remove; the rest throws.
class FakeStore final : public crow::Store {
 public:
  std::map<std::string, std::vector<crow::Row>> tables;

  crow::Row create(const std::string& table, const crow::Row& data) override {
    tables[table].push_back(data);
    return data;
  }
  std::optional<crow::Row> findOne(const std::string& table, const std::vector<crow::Where>& where) override {
    for (const crow::Row& row : tables[table])
      if (matches(row, where)) return row;
    return std::nullopt;
  }
  std::vector<crow::Row> findMany(const std::string& table, const crow::FindOptions& options) override {
    std::vector<crow::Row> out;
    for (const crow::Row& row : tables[table])
      if (matches(row, options.where)) out.push_back(row);
    return out;
  }
  int64_t count(const std::string& table, const std::vector<crow::Where>& where) override {
    crow::FindOptions options;
    options.where = where;
    return static_cast<int64_t>(findMany(table, options).size());
  }
  std::optional<crow::Row> update(const std::string&, const std::vector<crow::Where>&, const crow::Row&) override {
    throw std::logic_error("FakeStore::update is not implemented");
  }
  int64_t updateMany(const std::string&, const std::vector<crow::Where>&, const crow::Row&) override {
    throw std::logic_error("FakeStore::updateMany is not implemented");
  }
  int64_t remove(const std::string& table, const std::vector<crow::Where>& where) override {
    auto& rows = tables[table];
    auto gone = std::remove_if(rows.begin(), rows.end(), [&](const crow::Row& r) { return matches(r, where); });
    int64_t n = rows.end() - gone;
    rows.erase(gone, rows.end());
    return n;
  }
  std::optional<crow::Row> increment(const std::string&, const std::vector<crow::Where>&,
                                     const std::map<std::string, int64_t>&) override {
    throw std::logic_error("FakeStore::increment is not implemented");
  }
  void transaction(const std::function<void(crow::Store&)>& work) override { work(*this); }
  bool ping() noexcept override { return true; }

 private:
  static bool matches(const crow::Row& row, const std::vector<crow::Where>& where) {
    for (const crow::Where& w : where) {
      if (w.op != crow::Op::Eq || w.connector != crow::Connector::And)
        throw std::logic_error("FakeStore supports only AND-ed equality");
      if (!(crow::field(row, w.field) == w.value)) return false;
    }
    return true;
  }
};

class FixedClock final : public crow::Clock {
 public:
  crow::Timestamp time{1767225600000};  // 2026-01-01T00:00:00.000Z
  crow::Timestamp now() const noexcept override { return time; }
};

class RecordingLogger final : public crow::Logger {
 public:
  std::vector<std::string> lines;
  void log(crow::LogLevel, std::string_view message, const crow::LogFields&) override { lines.emplace_back(message); }
  bool enabled(crow::LogLevel) const noexcept override { return true; }
};

/// Keeps every enqueued message in memory instead of writing it to a table.
class RecordingOutbox final : public crow::Outbox {
 public:
  std::vector<crow::OutboundMessage> messages;
  std::string enqueue(crow::Store&, const crow::OutboundMessage& message) override {
    messages.push_back(message);
    return "message-" + std::to_string(messages.size());
  }
};

/// Records every route and hook the plugin registers, so a test can call them directly.
/// No one is signed in: every request is anonymous.
class AnonymousSessions final : public crow::Sessions {
 public:
  std::optional<crow::CurrentSession> current(const crow::Request&) override { return std::nullopt; }
  crow::CurrentSession require(const crow::Request&) override {
    throw crow::ApiError(401, "UNAUTHORIZED", "Unauthorized");
  }
  void addSource(std::string, crow::SessionSource) override {}
};

class FakeInitContext final : public crow::InitContext {
 public:
  struct Route {
    crow::Method method;
    std::string path;
    crow::RouteHandler handler;
    crow::RouteOptions options;
  };
  struct Hook {
    crow::HookPoint point;
    crow::RequestHook hook;
    crow::RequestHookOptions options;
  };

  explicit FakeInitContext(std::string pluginId, FakeConfig config = {})
      : pluginId_(std::move(pluginId)), config_(std::move(config)) {
    settings_.basePath = "/api/v1/auth";
    settings_.baseURL = "http://localhost:3000";
    settings_.environment = "local";
  }

  const std::string& pluginId() const noexcept override { return pluginId_; }
  const crow::ConfigNode& config() const override { return config_; }
  const crow::Settings& settings() const noexcept override { return settings_; }
  std::optional<std::string> secret(std::string_view) const override { return std::nullopt; }
  std::optional<crow::ServiceEndpoint> service(std::string_view) const override { return std::nullopt; }
  crow::Store& store() override { return store_; }
  crow::Logger& logger() override { return logger_; }
  const crow::Clock& clock() const override { return clock_; }

  void route(crow::Method method, const std::string& path, crow::RouteHandler handler,
             crow::RouteOptions options) override {
    routes.push_back({method, path, std::move(handler), std::move(options)});
  }
  void onRequest(crow::HookPoint point, crow::RequestHook hook, crow::RequestHookOptions options) override {
    requestHooks.push_back({point, std::move(hook), std::move(options)});
  }
  void onData(crow::HookPoint point, const std::string& table, crow::DataHook, int) override {
    dataHooks.emplace_back(point, table);
  }
  crow::ServiceClient* serviceClient(std::string_view) override { return nullptr; }
  crow::Outbox& outbox() override { return outbox_; }
  /// Looks `presentedKey` up in inboundKeys (a plain compare: the host's is constant-time).
  std::optional<std::string> inboundCaller(std::string_view presentedKey) const override {
    if (presentedKey.empty()) return std::nullopt;
    for (const auto& [caller, key] : inboundKeys)
      if (key == presentedKey) return caller;
    return std::nullopt;
  }
  /// Nobody is signed in: current() is always nullopt and require() throws 401.
  crow::Sessions& sessions() override { return sessions_; }
  crow::TokenSigner* tokenSigner() override { return nullptr; }

  /// The handler registered for method and path; fails when there is none.
  const crow::RouteHandler& handler(crow::Method method, const std::string& path) const {
    for (const Route& r : routes)
      if (r.method == method && r.path == path) return r.handler;
    throw std::logic_error("no route " + std::string(crow::methodName(method)) + " " + path);
  }

  std::vector<Route> routes;
  std::vector<Hook> requestHooks;
  std::vector<std::pair<crow::HookPoint, std::string>> dataHooks;
  /// {caller, key} pairs inboundCaller() answers from (the top-level `inboundKeys:` of a host).
  std::vector<std::pair<std::string, std::string>> inboundKeys;
  FakeStore& fakeStore() { return store_; }
  FixedClock& fixedClock() { return clock_; }
  RecordingLogger& recordingLogger() { return logger_; }
  RecordingOutbox& recordingOutbox() { return outbox_; }

 private:
  std::string pluginId_;
  FakeConfig config_;
  crow::Settings settings_;
  FakeStore store_;
  FixedClock clock_;
  RecordingLogger logger_;
  RecordingOutbox outbox_;
  AnonymousSessions sessions_;
};

}  // namespace example_test
