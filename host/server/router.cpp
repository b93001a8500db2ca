#include "server/router.hpp"

#include "crow/error.hpp"

#include <set>

namespace crow::host {

namespace {

bool validParamName(std::string_view name) noexcept {
  if (name.empty()) return false;
  for (unsigned char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'))
      return false;
  return true;
}

// Splits "/a/b" into {"a","b"}; "/" into {}. Returns false for a path that cannot be a route.
bool splitPath(std::string_view path, std::vector<std::string_view>& out) {
  out.clear();
  if (path.empty() || path.front() != '/') return false;
  if (path == "/") return true;
  std::string_view rest = path.substr(1);
  while (true) {
    const size_t slash = rest.find('/');
    out.push_back(rest.substr(0, slash));
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }
  return true;
}

// Walks the segments of `path` (which starts with '/'), calling fn(index, segment) until fn
// returns false. Returns the number of segments seen, or -1 when fn stopped early.
template <typename Fn>
long forEachSegment(std::string_view path, Fn&& fn) {
  long index = 0;
  std::string_view rest = path.substr(1);
  while (true) {
    const size_t slash = rest.find('/');
    if (!fn(index, rest.substr(0, slash))) return -1;
    ++index;
    if (slash == std::string_view::npos) return index;
    rest.remove_prefix(slash + 1);
  }
}

}  // namespace

void Router::add(crow::Method method, const std::string& fullPath, crow::RouteHandler handler,
                 const std::string& owner, crow::RouteOptions options) {
  const std::string name = std::string(crow::methodName(method)) + " " + fullPath;
  std::vector<std::string_view> parts;
  if (fullPath.find_first_of("?#") != std::string::npos || !splitPath(fullPath, parts))
    throw crow::ConfigError("invalid route path: " + name + " (registered by plugin " + owner + ")");

  std::vector<Segment> segments;
  std::set<std::string_view> paramNames;
  std::string shape = std::string(crow::methodName(method)) + " ";
  bool hasParam = false;
  for (std::string_view part : parts) {
    if (part.empty())
      throw crow::ConfigError("invalid route path: " + name + " has an empty segment (registered by plugin " +
                              owner + ")");
    Segment segment;
    if (part.front() == ':') {
      std::string_view paramName = part.substr(1);
      if (!validParamName(paramName) || !paramNames.insert(paramName).second)
        throw crow::ConfigError("invalid route path: " + name + " has a bad parameter name (registered by plugin " +
                                owner + ")");
      segment.isParam = true;
      segment.text = std::string(paramName);
      shape += "/:";
      hasParam = true;
    } else {
      segment.text = std::string(part);
      shape += "/";
      shape += part;
    }
    segments.push_back(std::move(segment));
  }
  if (parts.empty()) shape += "/";

  auto [it, inserted] = shapes_.emplace(shape, owner);
  if (!inserted)
    throw crow::ConfigError("route conflict: " + name + " registered by plugin " + it->second + " and plugin " + owner);

  auto entry = std::make_unique<RouteEntry>();
  entry->method = method;
  entry->path = fullPath;
  entry->handler = std::move(handler);
  entry->owner = owner;
  entry->options = std::move(options);
  const RouteEntry* stored = entry.get();
  entries_.push_back(std::move(entry));

  if (hasParam)
    patterns_[slot(method)].push_back(Pattern{std::move(segments), stored});
  else
    literals_[slot(method)].emplace(fullPath, stored);
}

std::optional<Router::Match> Router::match(crow::Method method, std::string_view path) const {
  if (path.empty() || path.front() != '/') return std::nullopt;
  const std::size_t s = slot(method);

  const LiteralMap& literals = literals_[s];
  if (auto it = literals.find(path); it != literals.end()) return Match{it->second, {}};

  const Pattern* best = nullptr;
  std::uint64_t bestRank = 0;
  for (const Pattern& pattern : patterns_[s]) {
    // Rank: one bit per literal segment, earlier segments weigh more, so "/a/b/:x" beats "/a/:y/c"
    // for "/a/b/c" whatever the registration order.
    std::uint64_t rank = 0;
    const auto& segments = pattern.segments;
    const long seen = forEachSegment(path, [&](long index, std::string_view part) {
      if (static_cast<std::size_t>(index) >= segments.size() || part.empty()) return false;
      const Segment& segment = segments[static_cast<std::size_t>(index)];
      if (segment.isParam) return true;
      if (part != segment.text) return false;
      if (index < 64) rank |= std::uint64_t{1} << (63 - index);
      return true;
    });
    if (seen < 0 || static_cast<std::size_t>(seen) != segments.size()) continue;
    if (!best || rank > bestRank) {
      best = &pattern;
      bestRank = rank;
    }
  }
  if (!best) return std::nullopt;

  Match match{best->route, {}};
  forEachSegment(path, [&](long index, std::string_view part) {
    const Segment& segment = best->segments[static_cast<std::size_t>(index)];
    if (segment.isParam) match.params.emplace(segment.text, std::string(part));
    return true;
  });
  return match;
}

std::vector<RouteEntry> Router::routes() const {
  std::vector<RouteEntry> out;
  out.reserve(entries_.size());
  for (const auto& entry : entries_) out.push_back(*entry);
  return out;
}

}  // namespace crow::host
