// fakes.hpp - stand-ins for the host side: a config block with scalars and lists, and a logger
// that keeps its lines.
#pragma once

#include <crow/config.hpp>
#include <crow/error.hpp>
#include <crow/log.hpp>

#include <algorithm>
#include <map>
#include <string>
#include <variant>
#include <vector>

namespace email_domain_blocklist_test {

/// A flat config block: each key holds a scalar (YAML text) or a list of scalars.
class FakeConfig final : public crow::ConfigNode {
 public:
  using crow::ConfigNode::getBool;
  using crow::ConfigNode::getInt;
  using crow::ConfigNode::getString;
  using Entry = std::variant<std::string, std::vector<std::string>>;

  FakeConfig& set(std::string key, Entry value) {
    values_.emplace_back(std::move(key), std::move(value));
    return *this;
  }

  bool has(std::string_view key) const override { return find(key) != nullptr; }
  std::vector<std::string> keys() const override {
    std::vector<std::string> out;
    for (const auto& [k, v] : values_) out.push_back(k);
    return out;
  }
  std::optional<std::string> getString(std::string_view key) const override {
    const Entry* v = find(key);
    if (!v) return std::nullopt;
    if (auto* text = std::get_if<std::string>(v)) return *text;
    fail(key, "expected a string, got a list");
  }
  std::optional<int64_t> getInt(std::string_view key) const override {
    if (!find(key)) return std::nullopt;
    fail(key, "integers are not used by this plugin");
  }
  std::optional<double> getDouble(std::string_view key) const override {
    if (!find(key)) return std::nullopt;
    fail(key, "numbers are not used by this plugin");
  }
  std::optional<bool> getBool(std::string_view key) const override {
    const std::optional<std::string> text = getString(key);
    if (!text) return std::nullopt;
    if (*text == "true") return true;
    if (*text == "false") return false;
    fail(key, "expected true or false, got \"" + *text + "\"");
  }
  std::optional<std::vector<std::string>> getStringList(std::string_view key) const override {
    const Entry* v = find(key);
    if (!v) return std::nullopt;
    if (auto* list = std::get_if<std::vector<std::string>>(v)) return *list;
    return std::vector<std::string>{std::get<std::string>(*v)};
  }
  std::unique_ptr<crow::ConfigNode> child(std::string_view) const override { return nullptr; }
  std::vector<std::unique_ptr<crow::ConfigNode>> children(std::string_view) const override { return {}; }
  void allowOnly(const std::vector<std::string_view>& allowed) const override {
    for (const auto& [k, v] : values_)
      if (std::find(allowed.begin(), allowed.end(), k) == allowed.end()) fail(k, "unknown key");
  }
  [[noreturn]] void fail(std::string_view key, std::string_view message) const override {
    throw crow::ConfigError("test.yaml:7: plugins[0].config." + std::string(key) + ": " + std::string(message));
  }

 private:
  const Entry* find(std::string_view key) const {
    for (const auto& [k, v] : values_)
      if (k == key) return &v;
    return nullptr;
  }
  std::vector<std::pair<std::string, Entry>> values_;
};

class RecordingLogger final : public crow::Logger {
 public:
  struct Line {
    crow::LogLevel level;
    std::string message;
    crow::LogFields fields;
  };
  std::vector<Line> lines;
  void log(crow::LogLevel level, std::string_view message, const crow::LogFields& fields) override {
    lines.push_back({level, std::string(message), fields});
  }
  bool enabled(crow::LogLevel) const noexcept override { return true; }
};

}  // namespace email_domain_blocklist_test
