#include "config/yaml_config_node.hpp"

#include "config/scalar_types.hpp"
#include "config/suggest.hpp"
#include "crow/error.hpp"

#include <algorithm>

namespace crow::host {

namespace {

constexpr size_t kQuotedValueLimit = 60;

std::string describe(const YamlValue& value) {
  switch (value.kind) {
    case YamlValue::Kind::Mapping:
      return "a mapping";
    case YamlValue::Kind::Sequence:
      return "a list";
    case YamlValue::Kind::Null:
      return "nothing";
    case YamlValue::Kind::Scalar:
      break;
  }
  std::string text = value.text.size() > kQuotedValueLimit ? value.text.substr(0, kQuotedValueLimit) + "..."
                                                          : value.text;
  std::string out = "\"" + text + "\"";
  if (value.expanded) out += " (from " + value.raw + ")";
  return out;
}

std::string joinPath(const std::string& path, std::string_view key) {
  if (path.empty()) return key.empty() ? std::string("(top level)") : std::string(key);
  if (key.empty()) return path;
  return path + "." + std::string(key);
}

}  // namespace

YamlConfigNode::YamlConfigNode(std::shared_ptr<const YamlDocument> document, std::shared_ptr<const YamlValue> mapping,
                               std::string path, int line)
    : document_(std::move(document)), mapping_(std::move(mapping)), path_(std::move(path)), line_(line) {}

const YamlValue* YamlConfigNode::value(std::string_view key) const {
  const YamlEntry* entry = mapping_->find(key);
  return entry ? entry->value.get() : nullptr;
}

int YamlConfigNode::lineOf(std::string_view key) const {
  const YamlEntry* entry = mapping_->find(key);
  return entry ? entry->line : line_;
}

std::string YamlConfigNode::keyPath(std::string_view key) const { return joinPath(path_, key); }

bool YamlConfigNode::has(std::string_view key) const {
  const YamlValue* v = value(key);
  return v && !v->isUnset();
}

std::vector<std::string> YamlConfigNode::keys() const {
  std::vector<std::string> out;
  out.reserve(mapping_->entries.size());
  for (const auto& entry : mapping_->entries) out.push_back(entry.key);
  return out;
}

void YamlConfigNode::fail(std::string_view key, std::string_view message) const {
  throw crow::ConfigError(sourceLocation(sourceName(), lineOf(key)) + ": " + keyPath(key) + ": " +
                          std::string(message));
}

void YamlConfigNode::failHere(std::string_view message) const {
  throw crow::ConfigError(sourceLocation(sourceName(), line_) + ": " + joinPath(path_, "") + ": " +
                          std::string(message));
}

void YamlConfigNode::failType(std::string_view key, const YamlValue& value, std::string_view expected) const {
  fail(key, "expected " + std::string(expected) + ", got " + describe(value));
}

const YamlValue* YamlConfigNode::scalar(std::string_view key, std::string_view expected) const {
  const YamlValue* v = value(key);
  if (!v) return nullptr;
  if (v->kind == YamlValue::Kind::Mapping || v->kind == YamlValue::Kind::Sequence) failType(key, *v, expected);
  if (!v->substitutionError.empty()) fail(key, v->substitutionError);
  return v->isUnset() ? nullptr : v;
}

std::optional<std::string> YamlConfigNode::getString(std::string_view key) const {
  const YamlValue* v = scalar(key, "a string");
  if (!v) return std::nullopt;
  return v->text;
}

std::optional<int64_t> YamlConfigNode::getInt(std::string_view key) const {
  const YamlValue* v = scalar(key, "an integer");
  if (!v) return std::nullopt;
  auto number = parseInteger(v->text);
  if (!number) failType(key, *v, "an integer");
  return number;
}

std::optional<double> YamlConfigNode::getDouble(std::string_view key) const {
  const YamlValue* v = scalar(key, "a number");
  if (!v) return std::nullopt;
  auto number = parseNumber(v->text);
  if (!number) failType(key, *v, "a number");
  return number;
}

std::optional<bool> YamlConfigNode::getBool(std::string_view key) const {
  const YamlValue* v = scalar(key, "true or false");
  if (!v) return std::nullopt;
  auto flag = parseBoolean(v->text);
  if (!flag) failType(key, *v, "true or false");
  return flag;
}

std::optional<int64_t> YamlConfigNode::getByteSize(std::string_view key) const {
  const YamlValue* v = scalar(key, "a size in bytes");
  if (!v) return std::nullopt;
  auto size = parseByteSize(v->text);
  if (!size) failType(key, *v, "a size in bytes (like 1048576 or 1MiB)");
  return size;
}

std::optional<std::vector<std::string>> YamlConfigNode::getStringList(std::string_view key) const {
  const YamlValue* v = value(key);
  if (!v || v->isUnset()) {
    if (v && !v->substitutionError.empty()) fail(key, v->substitutionError);
    return std::nullopt;
  }
  if (v->kind == YamlValue::Kind::Mapping) failType(key, *v, "a list of strings");
  if (!v->substitutionError.empty()) fail(key, v->substitutionError);
  if (v->kind == YamlValue::Kind::Scalar) return splitCommaList(v->text);

  std::vector<std::string> items;
  for (size_t i = 0; i < v->items.size(); ++i) {
    const YamlValue& item = *v->items[i];
    std::string itemPath = keyPath(key) + "[" + std::to_string(i) + "]";
    auto itemError = [&](const std::string& message) {
      throw crow::ConfigError(sourceLocation(sourceName(), item.line) + ": " + itemPath + ": " + message);
    };
    if (item.kind == YamlValue::Kind::Mapping || item.kind == YamlValue::Kind::Sequence)
      itemError("expected a string, got " + describe(item));
    if (!item.substitutionError.empty()) itemError(item.substitutionError);
    if (item.isUnset()) continue;
    items.push_back(item.text);
  }
  return items;
}

std::optional<YamlConfigNode> YamlConfigNode::childNode(std::string_view key) const {
  const YamlEntry* entry = mapping_->find(key);
  if (!entry) return std::nullopt;
  const YamlValue& v = *entry->value;
  if (!v.substitutionError.empty()) fail(key, v.substitutionError);
  if (v.isUnset()) return std::nullopt;
  if (v.kind != YamlValue::Kind::Mapping) failType(key, v, "a mapping");
  return YamlConfigNode(document_, entry->value, keyPath(key), entry->line);
}

std::vector<YamlConfigNode> YamlConfigNode::childNodes(std::string_view key) const {
  std::vector<YamlConfigNode> out;
  const YamlValue* v = value(key);
  if (!v) return out;
  if (!v->substitutionError.empty()) fail(key, v->substitutionError);
  if (v->isUnset()) return out;
  if (v->kind != YamlValue::Kind::Sequence) failType(key, *v, "a list");
  for (size_t i = 0; i < v->items.size(); ++i) {
    const auto& item = v->items[i];
    std::string itemPath = keyPath(key) + "[" + std::to_string(i) + "]";
    if (item->kind != YamlValue::Kind::Mapping)
      throw crow::ConfigError(sourceLocation(sourceName(), item->line) + ": " + itemPath +
                              ": expected a mapping, got " + describe(*item));
    out.emplace_back(document_, item, itemPath, item->line);
  }
  return out;
}

std::unique_ptr<crow::ConfigNode> YamlConfigNode::child(std::string_view key) const {
  auto node = childNode(key);
  if (!node) return nullptr;
  return std::make_unique<YamlConfigNode>(std::move(*node));
}

std::vector<std::unique_ptr<crow::ConfigNode>> YamlConfigNode::children(std::string_view key) const {
  std::vector<std::unique_ptr<crow::ConfigNode>> out;
  for (auto& node : childNodes(key)) out.push_back(std::make_unique<YamlConfigNode>(std::move(node)));
  return out;
}

void YamlConfigNode::allowOnly(const std::vector<std::string_view>& allowed) const {
  for (const auto& entry : mapping_->entries) {
    if (std::find(allowed.begin(), allowed.end(), entry.key) != allowed.end()) continue;
    std::string message = allowed.empty() ? "unknown key (this block takes no settings)"
                                          : "unknown key" + didYouMean(entry.key, allowed);
    fail(entry.key, message);
  }
}

void YamlConfigNode::checkSubstitutions() const { throwFirstSubstitutionError(*document_, *mapping_, path_); }

std::shared_ptr<const crow::ConfigNode> blockNode(const YamlConfigNode& parent, std::string_view key) {
  if (auto block = parent.childNode(key)) return std::make_shared<YamlConfigNode>(std::move(*block));
  auto empty = std::make_shared<YamlValue>();
  empty->kind = YamlValue::Kind::Mapping;
  empty->line = parent.lineOf(key);
  return std::make_shared<YamlConfigNode>(parent.document(), empty, parent.keyPath(key), empty->line);
}

std::shared_ptr<const crow::ConfigNode> pluginConfigNode(const YamlConfigNode& entry) {
  return blockNode(entry, "config");
}

}  // namespace crow::host
