#include "plugins/library_loader.hpp"

#include "plugins/descriptor_check.hpp"
#include "plugins/library_registry.hpp"

#include <boost/filesystem.hpp>

#include <dlfcn.h>

namespace crow::host {
namespace fs = boost::filesystem;

namespace {

// Boost.DLL clears dlerror() and reports only a generic error code, so the reason is fetched by
// a second dlopen of the same file (which fails the same way).
std::string dlopenFailureReason(const std::string& path, const boost::dll::fs::error_code& ec) {
  void* raw = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (raw != nullptr) return ec.message();  // never closed: see library_registry.hpp
  const char* reason = ::dlerror();
  std::string text = reason ? reason : ec.message();
  // dlerror repeats the path ("<path>: invalid ELF header"); the message names it already.
  const std::string prefix = path + ": ";
  if (text.rfind(prefix, 0) == 0) text.erase(0, prefix.size());
  return text;
}

// True when `symbol` lives in the library at `path` itself, not in one of its dependencies (a
// dlsym on a handle also searches what the library links).
bool definedIn(const void* symbol, const std::string& path) {
  Dl_info info{};
  if (::dladdr(symbol, &info) == 0 || info.dli_fname == nullptr) return true;
  boost::system::error_code ec;
  bool same = fs::equivalent(fs::path(info.dli_fname), fs::path(path), ec);
  return ec ? true : same;
}

}  // namespace

crow::Plugin* LoadedLibrary::plugin() const noexcept {
  return kind == CROW_KIND_PLUGIN ? static_cast<crow::Plugin*>(object) : nullptr;
}

crow::Backend* LoadedLibrary::backend() const noexcept {
  return kind == CROW_KIND_BACKEND ? static_cast<crow::Backend*>(object) : nullptr;
}

LoadedLibrary loadLibrary(const std::string& requestedPath, crow_library_kind expectedKind) {
  const std::string word(kindWord(expectedKind));
  // A bare file name would make dlopen search the system paths; the loader only opens files.
  const std::string path = fs::absolute(fs::path(requestedPath)).lexically_normal().string();
  boost::system::error_code statError;
  const fs::file_status status = fs::status(path, statError);
  if (!fs::exists(status)) throw LoadError(word + " " + path + ": no such file");
  if (!fs::is_regular_file(status)) throw LoadError(word + " " + path + ": not a regular file");

  auto handle = std::make_shared<boost::dll::shared_library>();
  boost::dll::fs::error_code openError;
  handle->load(path, openError, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
  if (openError || !handle->is_loaded())
    throw LoadError(word + " " + path + ": not a loadable shared library: " + dlopenFailureReason(path, openError));
  keepLibraryForever(handle);

  if (!handle->has(CROW_ENTRY_SYMBOL) || !definedIn(&handle->get<char>(CROW_ENTRY_SYMBOL), path))
    throw LoadError(word + " " + path + ": no entry symbol " CROW_ENTRY_SYMBOL " (not a crow-auth " + word + ")");
  auto entry = handle->get<const crow_plugin_descriptor*()>(CROW_ENTRY_SYMBOL);
  // The entry is extern "C" and returns static data; nothing else in the library runs until the
  // descriptor is accepted.
  const crow_plugin_descriptor* descriptor = entry();
  DescriptorInfo info = checkDescriptor(descriptor, path, expectedKind);
  const std::string who = word + " " + info.id + " (" + path + ")";

  void* object = nullptr;
  try {
    object = descriptor->create();
  } catch (const std::exception& e) {
    throw LoadError(who + ": create failed: " + e.what());
  } catch (...) {
    throw LoadError(who + ": create failed: unknown exception");
  }
  if (object == nullptr) throw LoadError(who + ": create failed: it returned no object");
  keepObjectForever(object);

  LoadedLibrary loaded;
  loaded.id = std::move(info.id);
  loaded.version = std::move(info.version);
  loaded.path = path;
  loaded.dependsOn = std::move(info.dependsOn);
  loaded.kind = info.kind;
  loaded.object = object;
  loaded.handle = std::move(handle);
  return loaded;
}

}  // namespace crow::host
