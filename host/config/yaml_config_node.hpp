// config/yaml_config_node.hpp - crow::ConfigNode over a parsed YAML mapping.
//
// Used for a plugin's own `config:` block and, by the loader, for the whole file, so every setting
// fails the same way: "<file>:<line>: <key.path>: <message>". A node shares ownership of its
// document and stays valid for as long as anyone holds it.
#pragma once

#include "config/yaml_tree.hpp"
#include "crow/config.hpp"

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crow::host {

class YamlConfigNode final : public crow::ConfigNode {
 public:
  /// `mapping` must be a Mapping or Null (read as an empty mapping) inside `document`; `path` is
  /// its key path ("plugins[1].config", "" for the root); `line` locates it when it has no keys.
  YamlConfigNode(std::shared_ptr<const YamlDocument> document, std::shared_ptr<const YamlValue> mapping,
                 std::string path, int line);

  /// "Set" means present with a value: `key:` alone, and `key: ${VAR:-}` with VAR unset or
  /// empty, count as not set.
  bool has(std::string_view key) const override;
  std::vector<std::string> keys() const override;
  /// Not set reads as nullopt. Numbers and booleans are read from their text, so "8787" and
  /// 8787 are the same integer; a mapping or list where a scalar belongs fails.
  std::optional<std::string> getString(std::string_view key) const override;
  std::optional<int64_t> getInt(std::string_view key) const override;
  std::optional<double> getDouble(std::string_view key) const override;
  std::optional<bool> getBool(std::string_view key) const override;
  std::optional<std::vector<std::string>> getStringList(std::string_view key) const override;
  std::unique_ptr<crow::ConfigNode> child(std::string_view key) const override;
  std::vector<std::unique_ptr<crow::ConfigNode>> children(std::string_view key) const override;
  void allowOnly(const std::vector<std::string_view>& allowed) const override;
  [[noreturn]] void fail(std::string_view key, std::string_view message) const override;

  using crow::ConfigNode::getBool;
  using crow::ConfigNode::getInt;
  using crow::ConfigNode::getString;

  // Host-side extras (concrete types, for the loader).
  std::optional<YamlConfigNode> childNode(std::string_view key) const;
  std::vector<YamlConfigNode> childNodes(std::string_view key) const;
  /// A byte count ("1048576", "1MiB", "512k").
  std::optional<int64_t> getByteSize(std::string_view key) const;
  /// The raw value of a key (after substitution), or nullptr when absent.
  const YamlValue* value(std::string_view key) const;
  /// The line of a key, or of this mapping when the key is absent.
  int lineOf(std::string_view key) const;
  /// "server.port" for key "port" of node "server".
  std::string keyPath(std::string_view key) const;
  const std::string& path() const { return path_; }
  int line() const { return line_; }
  const std::string& sourceName() const { return document_->sourceName; }
  const std::shared_ptr<const YamlDocument>& document() const { return document_; }
  /// Fails at this node itself (used for list elements): "<file>:<line>: plugins[2]: <message>".
  [[noreturn]] void failHere(std::string_view message) const;
  /// Throws any pending `${VAR}` error anywhere below this node.
  void checkSubstitutions() const;

 private:
  // The scalar at `key` with its substitution checked, or nullptr when not set.
  const YamlValue* scalar(std::string_view key, std::string_view expected) const;
  [[noreturn]] void failType(std::string_view key, const YamlValue& value, std::string_view expected) const;

  std::shared_ptr<const YamlDocument> document_;
  std::shared_ptr<const YamlValue> mapping_;
  std::string path_;
  int line_;
};

/// The ConfigNode for a plugin entry's `config:` value: a mapping, or an empty one when absent.
/// Fails at `path` when the value is a scalar or a list.
std::shared_ptr<const crow::ConfigNode> pluginConfigNode(const YamlConfigNode& entry);
/// The mapping under `key` as a free-standing ConfigNode, or an empty mapping when absent: for
/// blocks whose owner (a plugin, the auth core) validates its own keys.
std::shared_ptr<const crow::ConfigNode> blockNode(const YamlConfigNode& parent, std::string_view key);

}  // namespace crow::host
