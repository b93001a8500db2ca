#include "plugins/library_registry.hpp"

#include <mutex>
#include <vector>

namespace crow::host {
namespace {

struct Registry {
  std::mutex mutex;
  std::vector<std::shared_ptr<boost::dll::shared_library>> libraries;
  std::vector<void*> objects;
};

Registry& registry() {
  static Registry* instance = new Registry();  // leaked on purpose: see the header
  return *instance;
}

}  // namespace

void keepLibraryForever(std::shared_ptr<boost::dll::shared_library> handle) {
  Registry& r = registry();
  std::lock_guard lock(r.mutex);
  r.libraries.push_back(std::move(handle));
}

void keepObjectForever(void* object) {
  Registry& r = registry();
  std::lock_guard lock(r.mutex);
  r.objects.push_back(object);
}

size_t keptLibraryCount() {
  Registry& r = registry();
  std::lock_guard lock(r.mutex);
  return r.libraries.size();
}

}  // namespace crow::host
