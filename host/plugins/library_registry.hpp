// plugins/library_registry.hpp - keeps every loaded library, and the object it made, for the life
// of the process.
//
// Libraries are never unloaded (plugin-host-anchors §12.1): handlers, hook closures, vtables and
// exception typeinfo of a plugin live in its code, and a dlclose while any of them is reachable
// crashes. The registry is deliberately leaked so no static destructor closes a handle either.
#pragma once

#include <boost/dll/shared_library.hpp>

#include <memory>

namespace crow::host {

/// Records an open library so it is never closed (refused libraries too: their static
/// initialisers have run, and the process is about to stop anyway).
void keepLibraryForever(std::shared_ptr<boost::dll::shared_library> handle);
/// Records the object a library's create() made, so it stays reachable (and leak checkers quiet).
void keepObjectForever(void* object);

/// How many libraries were kept (tests use it).
size_t keptLibraryCount();

}  // namespace crow::host
