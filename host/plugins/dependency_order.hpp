// plugins/dependency_order.hpp - the order plugins are initialised in.
#pragma once

#include "plugins/library_loader.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace crow::host {

/// Indices into `libraries` in initialisation order: every plugin after the plugins it depends on,
/// and otherwise in the given (YAML) order. Throws LoadError for
///   "duplicate plugin id 'a' (/x/a.so and /y/a.so)"
///   "plugin b depends on 'a', which is not loaded"
///   "dependency cycle: a -> b -> a"   (read "a depends on b, which depends on a")
/// `builtIn` lists ids the host itself provides (for example "core" if the core is not a plugin):
/// depending on them is always satisfied, and no library may take such an id.
std::vector<size_t> orderByDependencies(const std::vector<LoadedLibrary>& libraries,
                                        const std::vector<std::string>& builtIn = {});

}  // namespace crow::host
