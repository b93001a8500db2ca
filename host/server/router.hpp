// Maps (method, absolute path) to the handler a plugin registered.
//
// Matching is exact, like Better Auth's router: a trailing slash, an empty segment (`//`) or a
// different case does not match, and a wrong method is the same as an unknown path. Literal paths
// are found with one hash lookup; paths with `:name` segments are tried afterwards, and where two
// patterns both fit, the one with a literal segment at the earliest differing position wins.
//
// Routes are added during start-up on one thread; match() is then called concurrently and takes
// no lock.
#pragma once

#include "crow/context.hpp"
#include "crow/http.hpp"

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace crow::host {

struct RouteEntry {
  crow::Method method = crow::Method::Get;
  std::string path;  ///< absolute, as registered ("/api/v1/auth/reset-password/:token")
  crow::RouteHandler handler;
  std::string owner;  ///< plugin id (or "core")
  crow::RouteOptions options;
};

class Router {
 public:
  struct Match {
    const RouteEntry* route = nullptr;
    std::map<std::string, std::string> params;
  };

  /// Registers a route. Throws crow::ConfigError for a malformed path (not starting with '/',
  /// an empty segment, a `:` without a name, a repeated parameter name, '?' or '#') and for a
  /// method+path another owner already has ("route conflict: GET /x registered by plugin a and
  /// plugin b"); two paths that differ only in parameter names count as the same.
  void add(crow::Method method, const std::string& fullPath, crow::RouteHandler handler,
           const std::string& owner, crow::RouteOptions options = {});

  /// The route for this method and path (no query string), or nullopt (the server answers 404).
  std::optional<Match> match(crow::Method method, std::string_view path) const;

  /// Every route in registration order (for `crow-auth plugins`).
  std::vector<RouteEntry> routes() const;
  std::size_t size() const noexcept { return entries_.size(); }

 private:
  struct Segment {
    std::string text;  ///< literal text, or the parameter name
    bool isParam = false;
  };
  struct Pattern {
    std::vector<Segment> segments;
    const RouteEntry* route = nullptr;
  };
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
  };
  using LiteralMap = std::unordered_map<std::string, const RouteEntry*, Hash, std::equal_to<>>;

  static constexpr std::size_t kMethodSlots = 6;  // crow::Method values are 1..5
  static std::size_t slot(crow::Method m) noexcept { return static_cast<std::size_t>(m) % kMethodSlots; }

  std::vector<std::unique_ptr<RouteEntry>> entries_;
  std::array<LiteralMap, kMethodSlots> literals_;
  std::array<std::vector<Pattern>, kMethodSlots> patterns_;
  /// "GET /a/:/b" -> owner, for conflict detection.
  std::map<std::string, std::string> shapes_;
};

}  // namespace crow::host
