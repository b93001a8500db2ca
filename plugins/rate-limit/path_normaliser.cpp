// path_normaliser.cpp - see path_normaliser.hpp for the rules and why they are safe.
#include "path_normaliser.hpp"

#include <vector>

namespace crow::rate_limit {

namespace {

int hexValue(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool isUnreserved(unsigned char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~';
}

char lower(char c) noexcept { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// Decodes unreserved escapes and lower-cases, in one pass; separators are untouched.
std::string decodeAndLower(std::string_view path) {
  std::string out;
  out.reserve(path.size());
  for (size_t i = 0; i < path.size(); ++i) {
    const char c = path[i];
    if (c == '%' && i + 2 < path.size()) {
      const int hi = hexValue(path[i + 1]);
      const int lo = hexValue(path[i + 2]);
      if (hi >= 0 && lo >= 0) {
        const auto decoded = static_cast<unsigned char>(hi * 16 + lo);
        if (isUnreserved(decoded)) {
          out.push_back(lower(static_cast<char>(decoded)));
        } else {
          out.push_back('%');
          out.push_back(lower(path[i + 1]));
          out.push_back(lower(path[i + 2]));
        }
        i += 2;
        continue;
      }
    }
    out.push_back(lower(c));
  }
  return out;
}

}  // namespace

bool isNormalPath(std::string_view path) noexcept {
  if (path.empty() || path.front() != '/') return false;
  if (path.size() == 1) return true;
  if (path.back() == '/') return false;
  size_t segmentStart = 1;
  for (size_t i = 1; i <= path.size(); ++i) {
    if (i == path.size() || path[i] == '/') {
      const std::string_view segment = path.substr(segmentStart, i - segmentStart);
      if (segment.empty() || segment == "." || segment == "..") return false;
      segmentStart = i + 1;
      continue;
    }
    const char c = path[i];
    if (c == '%' || (c >= 'A' && c <= 'Z')) return false;
  }
  return true;
}

std::string normalisePath(std::string_view path) {
  if (isNormalPath(path)) return std::string(path);
  const std::string decoded = decodeAndLower(path);

  // Segments as views into `decoded`; ".." pops, "" and "." vanish.
  std::vector<std::string_view> segments;
  const std::string_view text(decoded);
  size_t start = 0;
  while (start <= text.size()) {
    size_t slash = text.find('/', start);
    if (slash == std::string_view::npos) slash = text.size();
    const std::string_view segment = text.substr(start, slash - start);
    if (segment == "..") {
      if (!segments.empty()) segments.pop_back();
    } else if (!segment.empty() && segment != ".") {
      segments.push_back(segment);
    }
    start = slash + 1;
  }
  if (segments.empty()) return "/";
  std::string out;
  out.reserve(decoded.size() + 1);
  for (std::string_view segment : segments) {
    out.push_back('/');
    out.append(segment);
  }
  return out;
}

std::string normaliseBasePath(std::string_view basePath) {
  std::string out = normalisePath(basePath);
  if (out == "/") out.clear();
  return out;
}

std::string_view stripBasePath(std::string_view path, std::string_view basePath) noexcept {
  if (basePath.empty() || !path.starts_with(basePath)) return path;
  if (path.size() == basePath.size()) return "/";
  if (path[basePath.size()] != '/') return path;
  return path.substr(basePath.size());
}

}  // namespace crow::rate_limit
