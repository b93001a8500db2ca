// The ordered `plugins:` list and `pluginPaths:`.
#include "config/config_sections.hpp"

#include <map>

namespace crow::host::sections {

namespace {

constexpr size_t kMaxPluginIdLength = 64;

bool isPluginId(const std::string& id) {
  if (id.empty() || id.size() > kMaxPluginIdLength) return false;
  for (char c : id)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  return true;
}

}  // namespace

void readPlugins(const YamlConfigNode& root, LoadContext& context) {
  AppConfig& config = context.config;
  if (auto paths = root.getStringList("pluginPaths"))
    for (const auto& dir : *paths) config.pluginPaths.push_back(resolvePath(context, dir));

  std::map<std::string, int> idLines, pathLines;
  for (const YamlConfigNode& entry : root.childNodes("plugins")) {
    entry.allowOnly({"id", "path", "enabled", "config"});
    PluginSpec spec;
    spec.location = sourceLocation(entry.sourceName(), entry.line());
    auto id = entry.getString("id");
    auto path = entry.getString("path");
    if (id && path) entry.failHere("give either id or path, not both");
    if (!id && !path)
      entry.failHere("needs an id (a plugin name such as \"example\") or a path (to a plugin library)");

    if (id) {
      if (!isPluginId(*id))
        entry.fail("id", "\"" + *id + "\" is not a plugin id (lower-case letters, digits and '-', at most 64)");
      auto [first, inserted] = idLines.emplace(*id, entry.lineOf("id"));
      if (!inserted)
        entry.fail("id", "duplicate plugin id \"" + *id + "\" (first at line " + std::to_string(first->second) + ")");
      spec.id = *id;
    } else {
      spec.path = resolvePath(context, *path);
      auto [first, inserted] = pathLines.emplace(spec.path, entry.lineOf("path"));
      if (!inserted)
        entry.fail("path", "duplicate plugin path \"" + *path + "\" (first at line " +
                               std::to_string(first->second) + ")");
    }
    spec.enabled = entry.getBool("enabled", true);
    spec.config = pluginConfigNode(entry);
    // A disabled plugin's block is never read, so an unset variable in it must not stop start-up.
    if (spec.enabled) {
      if (auto block = entry.childNode("config")) block->checkSubstitutions();
    }
    config.plugins.push_back(std::move(spec));
  }
}

}  // namespace crow::host::sections
