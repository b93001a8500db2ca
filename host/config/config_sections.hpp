// config/config_sections.hpp - the readers of each part of crow-auth.yaml (internal to the loader).
#pragma once

#include "config/app_config.hpp"
#include "config/yaml_config_node.hpp"

#include <string>

namespace crow::host::sections {

/// Shared by the readers: where relative paths start, and the warnings collected so far.
struct LoadContext {
  AppConfig& config;
  std::string baseDir;  ///< the config file's directory ("" for the working directory)
  bool prod() const { return config.environment == "prod"; }
  void warn(const YamlConfigNode& node, std::string_view key, const std::string& message) const {
    config.warnings.push_back(sourceLocation(node.sourceName(), node.lineOf(key)) + ": " + node.keyPath(key) +
                              ": " + message);
  }
};

/// An integer setting within [min, max]; `fallback` when not set.
int64_t readIntInRange(const YamlConfigNode& node, std::string_view key, int64_t min, int64_t max,
                       int64_t fallback);
/// An absolute path for a relative one, taken from the config file's directory.
std::string resolvePath(const LoadContext& context, const std::string& path);

void readServer(const YamlConfigNode& root, LoadContext& context);
void readDatabase(const YamlConfigNode& root, LoadContext& context);
void readLogging(const YamlConfigNode& root, LoadContext& context);
/// `outbox:` (outbox_section.cpp).
void readOutbox(const YamlConfigNode& root, LoadContext& context);
void readPlugins(const YamlConfigNode& root, LoadContext& context);
/// services, inboundKeys, urls, socialProviders, secrets, trustedOrigins.
void readIntegrations(const YamlConfigNode& root, LoadContext& context);
/// `secret`, with the environment's policy (fatal in prod, a warning elsewhere).
void readSecret(const YamlConfigNode& root, LoadContext& context);

}  // namespace crow::host::sections
