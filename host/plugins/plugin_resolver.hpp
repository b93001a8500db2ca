// plugins/plugin_resolver.hpp - turns a YAML `plugins[i]` entry (an id or a path) or a database
// dialect into the library file to load.
#pragma once

#include <string>
#include <vector>

namespace crow::host {

/// Where plugin libraries are looked for, in order: `extraDirs` (from config), $CROW_AUTH_PLUGIN_DIR
/// when set, `<exe dir>/../lib/crow-auth/plugins` (the build tree and the installed layout; also
/// under the platform libdir, e.g. lib/x86_64-linux-gnu), then `/usr/lib/crow-auth/plugins`.
/// Duplicates are dropped, first place wins.
std::vector<std::string> pluginSearchDirs(const std::vector<std::string>& extraDirs = {});

/// The same for backends: `.../lib/crow-auth/backends` and $CROW_AUTH_BACKEND_DIR.
std::vector<std::string> backendSearchDirs(const std::vector<std::string>& extraDirs = {});

/// The directory of the running executable.
std::string executableDir();

/// What a YAML entry names: a plugin `id` or an explicit `path` (one of the two).
struct PluginSpecRef {
  std::string id{};
  std::string path{};
  /// Where the entry is, for messages: "crow-auth.yaml:12: plugins[2]".
  std::string location{};
  /// A relative `path` is taken relative to this directory (the config file's); empty means the
  /// working directory.
  std::string baseDir{};
};

/// The file for a plugin entry: its `path` (made absolute), or the first existing `<dir>/<id>.so`
/// among `searchDirs`. Throws crow::ConfigError
///   "<location>.id: unknown plugin 'foo' (searched: dir1, dir2)"
/// when no directory has it, and "<location>: give either id or path" when neither or both are set.
/// An explicit path is not checked here; loadLibrary reports a missing file.
std::string resolvePluginFile(const PluginSpecRef& spec, const std::vector<std::string>& searchDirs);

/// The file for a backend dialect: the first existing `<dir>/<dialect>.so`. Throws crow::ConfigError
///   "<location>: unknown database backend 'foo' (searched: dir1, dir2)".
/// `location` is e.g. "crow-auth.yaml:3: database.backend".
std::string resolveBackendFile(const std::string& dialect, const std::vector<std::string>& searchDirs,
                               const std::string& location);

}  // namespace crow::host
