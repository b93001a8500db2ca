#include "protected_paths.hpp"

namespace service_auth {

namespace {

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// `prefix` is `path` or a whole-segment prefix of it ("/a/b" covers "/a/b" and "/a/b/c", not
// "/a/bc"). Both normalised.
bool underPrefix(std::string_view path, std::string_view prefix) {
  if (prefix == "/") return true;
  return path.starts_with(prefix) && (path.size() == prefix.size() || path[prefix.size()] == '/');
}

}  // namespace

std::string normalisePath(std::string_view path) {
  std::string decoded;
  decoded.reserve(path.size());
  for (size_t i = 0; i < path.size(); ++i) {
    char c = path[i];
    if (c == '%' && i + 2 < path.size()) {
      const int high = hexValue(path[i + 1]);
      const int low = hexValue(path[i + 2]);
      if (high >= 0 && low >= 0) {
        c = static_cast<char>(high * 16 + low);
        i += 2;
      }
    }
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c == '\\') c = '/';
    decoded += c;
  }

  std::vector<std::string_view> segments;
  std::string_view rest = decoded;
  while (!rest.empty()) {
    const size_t slash = rest.find('/');
    const std::string_view segment = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash + 1);
    if (segment.empty() || segment == ".") continue;
    if (segment == "..") {
      if (!segments.empty()) segments.pop_back();
      continue;
    }
    segments.push_back(segment);
  }
  if (segments.empty()) return "/";
  std::string out;
  out.reserve(decoded.size());
  for (std::string_view segment : segments) {
    out += '/';
    out += segment;
  }
  return out;
}

ProtectedPaths::ProtectedPaths(const std::vector<std::string>& prefixes, std::string_view basePath)
    : basePath_(normalisePath(basePath)) {
  if (basePath_ == "/") basePath_.clear();
  for (const std::string& prefix : prefixes) prefixes_.push_back(normalisePath(prefix));
}

bool ProtectedPaths::coversRelative(std::string_view normalised) const {
  for (const std::string& prefix : prefixes_)
    if (underPrefix(normalised, prefix)) return true;
  return false;
}

bool ProtectedPaths::covers(std::string_view rawPath) const {
  const std::string path = normalisePath(rawPath);
  if (coversRelative(path)) return true;
  if (basePath_.empty() || !underPrefix(path, basePath_)) return false;
  const std::string_view below = std::string_view(path).substr(basePath_.size());
  return coversRelative(below.empty() ? std::string_view("/") : below);
}

}  // namespace service_auth
