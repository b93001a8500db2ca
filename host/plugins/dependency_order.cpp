#include "plugins/dependency_order.hpp"

#include <algorithm>
#include <map>

namespace crow::host {
namespace {

bool contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

// Follows unmet dependencies from `start` until a plugin repeats; every plugin left over by the
// topological sort has one, so this always closes a loop.
std::string describeCycle(const std::vector<LoadedLibrary>& libraries, const std::map<std::string, size_t>& byId,
                          const std::vector<bool>& placed, size_t start) {
  std::vector<size_t> path;
  size_t node = start;
  while (std::find(path.begin(), path.end(), node) == path.end()) {
    path.push_back(node);
    for (const std::string& dependency : libraries[node].dependsOn) {
      auto it = byId.find(dependency);
      if (it != byId.end() && !placed[it->second]) {
        node = it->second;
        break;
      }
    }
  }
  std::string text = "dependency cycle: ";
  for (auto it = std::find(path.begin(), path.end(), node); it != path.end(); ++it)
    text += libraries[*it].id + " -> ";
  return text + libraries[node].id;
}

}  // namespace

std::vector<size_t> orderByDependencies(const std::vector<LoadedLibrary>& libraries,
                                        const std::vector<std::string>& builtIn) {
  std::map<std::string, size_t> byId;
  for (size_t i = 0; i < libraries.size(); ++i) {
    const LoadedLibrary& library = libraries[i];
    if (contains(builtIn, library.id))
      throw LoadError("plugin id '" + library.id + "' is reserved for the host (" + library.path + ")");
    auto [it, inserted] = byId.emplace(library.id, i);
    if (!inserted)
      throw LoadError("duplicate plugin id '" + library.id + "' (" + libraries[it->second].path + " and " +
                      library.path + ")");
  }

  // unmet[i]: how many distinct loaded plugins plugin i still waits for.
  std::vector<size_t> unmet(libraries.size(), 0);
  for (size_t i = 0; i < libraries.size(); ++i) {
    std::vector<std::string> seen;
    for (const std::string& dependency : libraries[i].dependsOn) {
      if (contains(seen, dependency)) continue;
      seen.push_back(dependency);
      if (contains(builtIn, dependency)) continue;
      if (!byId.count(dependency))
        throw LoadError("plugin " + libraries[i].id + " depends on '" + dependency + "', which is not loaded");
      ++unmet[i];
    }
  }

  // Kahn's algorithm, always taking the earliest ready plugin so ties keep the YAML order.
  std::vector<size_t> order;
  std::vector<bool> placed(libraries.size(), false);
  while (order.size() < libraries.size()) {
    size_t next = libraries.size();
    for (size_t i = 0; i < libraries.size(); ++i)
      if (!placed[i] && unmet[i] == 0) {
        next = i;
        break;
      }
    if (next == libraries.size()) {
      size_t firstLeft = std::find(placed.begin(), placed.end(), false) - placed.begin();
      throw LoadError(describeCycle(libraries, byId, placed, firstLeft));
    }
    placed[next] = true;
    order.push_back(next);
    for (size_t i = 0; i < libraries.size(); ++i) {
      if (placed[i]) continue;
      std::vector<std::string> seen;
      for (const std::string& dependency : libraries[i].dependsOn) {
        if (contains(seen, dependency)) continue;
        seen.push_back(dependency);
        if (dependency == libraries[next].id) --unmet[i];
      }
    }
  }
  return order;
}

}  // namespace crow::host
