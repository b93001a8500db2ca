// crow/config.hpp - a read-only view of a YAML block (a plugin's own `config:` block).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crow {

/// One YAML mapping, after `${VAR}` substitution. Every getter throws crow::ConfigError naming the
/// file, line and key when a value has the wrong type, so plugins need no error text of their own.
class ConfigNode {
 public:
  virtual ~ConfigNode();

  virtual bool has(std::string_view key) const = 0;
  /// The keys present, in file order.
  virtual std::vector<std::string> keys() const = 0;

  virtual std::optional<std::string> getString(std::string_view key) const = 0;
  virtual std::optional<int64_t> getInt(std::string_view key) const = 0;
  virtual std::optional<double> getDouble(std::string_view key) const = 0;
  virtual std::optional<bool> getBool(std::string_view key) const = 0;
  /// A sequence of scalars; a single scalar is read as a one-element list, and a scalar holding
  /// commas ("a,b") is split on them, so environment variables can fill lists.
  virtual std::optional<std::vector<std::string>> getStringList(std::string_view key) const = 0;
  /// A nested mapping, or nullptr when absent.
  virtual std::unique_ptr<ConfigNode> child(std::string_view key) const = 0;
  /// Each element of a sequence of mappings.
  virtual std::vector<std::unique_ptr<ConfigNode>> children(std::string_view key) const = 0;

  /// Fails (ConfigError at that key's line) when the block holds a key outside `allowed`.
  virtual void allowOnly(const std::vector<std::string_view>& allowed) const = 0;
  /// Throws ConfigError "<file>:<line>: <key>: <message>" for this node's key.
  [[noreturn]] virtual void fail(std::string_view key, std::string_view message) const = 0;

  // Conveniences with defaults.
  std::string getString(std::string_view key, std::string fallback) const;
  int64_t getInt(std::string_view key, int64_t fallback) const;
  bool getBool(std::string_view key, bool fallback) const;
  /// A value that must be present.
  std::string requireString(std::string_view key) const;
};

}  // namespace crow
