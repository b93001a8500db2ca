#include "plugins/plugin_resolver.hpp"

#include "plugins/descriptor_check.hpp"

#include "crow/error.hpp"

#include <boost/dll/runtime_symbol_info.hpp>
#include <boost/filesystem.hpp>

#include <algorithm>
#include <cstdlib>

namespace crow::host {
namespace fs = boost::filesystem;

namespace {

void addDir(std::vector<std::string>& dirs, const fs::path& dir) {
  if (dir.empty()) return;
  // Boost keeps a trailing separator as "/.": "/etc/x/" and "/etc/x" must compare equal.
  std::string normal = dir.lexically_normal().string();
  while (normal.size() > 2 && normal.compare(normal.size() - 2, 2, "/.") == 0) normal.resize(normal.size() - 2);
  while (normal.size() > 1 && normal.back() == '/') normal.pop_back();
  if (std::find(dirs.begin(), dirs.end(), normal) == dirs.end()) dirs.push_back(normal);
}

std::vector<std::string> searchDirs(const std::vector<std::string>& extraDirs, const char* envVar,
                                    const std::string& leaf) {
  std::vector<std::string> dirs;
  for (const std::string& dir : extraDirs) addDir(dirs, fs::absolute(dir));
  if (const char* fromEnv = std::getenv(envVar); fromEnv != nullptr && *fromEnv != '\0')
    addDir(dirs, fs::absolute(fromEnv));
  const fs::path exeDir = executableDir();
  addDir(dirs, exeDir / ".." / "lib" / "crow-auth" / leaf);
  addDir(dirs, exeDir / ".." / CROW_INSTALL_LIBDIR / "crow-auth" / leaf);
  addDir(dirs, fs::path(CROW_INSTALL_FULL_LIBDIR) / "crow-auth" / leaf);
  addDir(dirs, fs::path("/usr/lib/crow-auth") / leaf);
  return dirs;
}

std::string join(const std::vector<std::string>& dirs) {
  std::string out;
  for (const std::string& dir : dirs) out += (out.empty() ? "" : ", ") + dir;
  return out.empty() ? "no directories" : out;
}

// The first `<dir>/<name>.so` that is a regular file, or empty.
std::string findIn(const std::vector<std::string>& dirs, const std::string& name) {
  for (const std::string& dir : dirs) {
    fs::path candidate = fs::path(dir) / (name + ".so");
    boost::system::error_code ec;
    if (fs::is_regular_file(candidate, ec)) return candidate.string();
  }
  return {};
}

}  // namespace

std::string executableDir() {
  boost::dll::fs::error_code ec;
  fs::path exe = boost::dll::program_location(ec);
  if (ec || exe.empty()) exe = fs::read_symlink("/proc/self/exe", ec);
  return exe.parent_path().string();
}

std::vector<std::string> pluginSearchDirs(const std::vector<std::string>& extraDirs) {
  return searchDirs(extraDirs, "CROW_AUTH_PLUGIN_DIR", "plugins");
}

std::vector<std::string> backendSearchDirs(const std::vector<std::string>& extraDirs) {
  return searchDirs(extraDirs, "CROW_AUTH_BACKEND_DIR", "backends");
}

std::string resolvePluginFile(const PluginSpecRef& spec, const std::vector<std::string>& dirs) {
  if (spec.id.empty() == spec.path.empty())
    throw crow::ConfigError(spec.location + ": give either id or path");
  if (!spec.path.empty()) {
    fs::path path(spec.path);
    if (path.is_relative()) path = spec.baseDir.empty() ? fs::absolute(path) : fs::path(spec.baseDir) / path;
    return path.lexically_normal().string();
  }
  // An id becomes a file name; anything else (say "../x") could escape the search directories.
  if (!isWellFormedId(spec.id))
    throw crow::ConfigError(spec.location + ".id: invalid plugin id '" + spec.id + "'");
  std::string found = findIn(dirs, spec.id);
  if (found.empty())
    throw crow::ConfigError(spec.location + ".id: unknown plugin '" + spec.id + "' (searched: " + join(dirs) + ")");
  return found;
}

std::string resolveBackendFile(const std::string& dialect, const std::vector<std::string>& dirs,
                               const std::string& location) {
  if (!isWellFormedId(dialect))
    throw crow::ConfigError(location + ": invalid database backend '" + dialect + "'");
  std::string found = findIn(dirs, dialect);
  if (found.empty())
    throw crow::ConfigError(location + ": unknown database backend '" + dialect + "' (searched: " + join(dirs) + ")");
  return found;
}

}  // namespace crow::host
