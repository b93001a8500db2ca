// The conveniences of crow::ConfigNode, written once on top of its virtual getters.
#include "crow/config.hpp"

namespace crow {

ConfigNode::~ConfigNode() = default;

std::string ConfigNode::getString(std::string_view key, std::string fallback) const {
  auto v = getString(key);
  return v ? *v : std::move(fallback);
}

int64_t ConfigNode::getInt(std::string_view key, int64_t fallback) const {
  auto v = getInt(key);
  return v ? *v : fallback;
}

bool ConfigNode::getBool(std::string_view key, bool fallback) const {
  auto v = getBool(key);
  return v ? *v : fallback;
}

std::string ConfigNode::requireString(std::string_view key) const {
  auto v = getString(key);
  if (!v || v->empty()) fail(key, "a value is required");
  return *v;
}

}  // namespace crow
