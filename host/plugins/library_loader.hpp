// plugins/library_loader.hpp - opens one plugin or backend library and accepts or refuses it.
#pragma once

#include "crow/abi.h"
#include "plugins/load_error.hpp"

#include <boost/dll/shared_library.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace crow {
class Plugin;
class Backend;
}  // namespace crow

namespace crow::host {

/// A library that passed every check, with the object its descriptor's create() made.
struct LoadedLibrary {
  std::string id;       ///< plugin id or backend dialect, copied from the descriptor
  std::string version;
  std::string path;     ///< the file as opened (absolute)
  std::vector<std::string> dependsOn;
  uint32_t kind = 0;    ///< crow_library_kind
  /// crow::Plugin* or crow::Backend* from create(). Owned by the process: never deleted, because
  /// its vtable lives in the library, which is never unloaded.
  void* object = nullptr;
  /// The open library. A copy is also kept in a process-lifetime registry, so dropping this one
  /// does not unload anything.
  std::shared_ptr<boost::dll::shared_library> handle;

  /// The object as a plugin; nullptr when this is not a plugin library.
  crow::Plugin* plugin() const noexcept;
  /// The object as a backend; nullptr when this is not a backend library.
  crow::Backend* backend() const noexcept;
};

/// Opens `path` with RTLD_NOW | RTLD_LOCAL, finds `crow_plugin_entry`, checks the descriptor
/// (see checkDescriptor: size, kind, ABI, build signature, id, ...) and only then calls create().
/// Throws LoadError with one line naming the file, e.g.
///   "plugin /x/broken.so: not a loadable shared library: <dlerror reason>"
///   "plugin /x/a.so: no entry symbol crow_plugin_entry (not a crow-auth plugin)"
///   "plugin a (/x/a.so): built for SDK ABI 2.0, this host has 1.0"
///   "plugin a (/x/a.so): create failed: <what>"
/// Call it on one thread, before the server starts. The library stays loaded for good, even when
/// a check fails after it was opened.
LoadedLibrary loadLibrary(const std::string& path, crow_library_kind expectedKind);

}  // namespace crow::host
