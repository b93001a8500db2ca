#include "util/log_format.hpp"

#include <charconv>
#include <chrono>
#include <ctime>

namespace crow::host {

namespace {

bool needsQuoting(std::string_view value) noexcept {
  if (value.empty()) return true;
  for (unsigned char c : value)
    if (c <= ' ' || c == '"' || c == '=' || c == '\\' || c >= 0x7f) return true;
  return false;
}

bool isKeyChar(unsigned char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.' || c == '-';
}

constexpr char kHex[] = "0123456789abcdef";

}  // namespace

void appendLogValue(std::string& out, std::string_view value) {
  if (!needsQuoting(value)) {
    out.append(value);
    return;
  }
  out.push_back('"');
  for (unsigned char c : value) {
    switch (c) {
      case '"': out.append("\\\""); break;
      case '\\': out.append("\\\\"); break;
      case '\n': out.append("\\n"); break;
      case '\r': out.append("\\r"); break;
      case '\t': out.append("\\t"); break;
      default:
        // Printable ASCII and UTF-8 continuation/lead bytes pass; other control bytes are shown
        // as \xNN so a terminal escape sequence in a path cannot reach the operator's screen.
        if (c < 0x20 || c == 0x7f) {
          out.append("\\x");
          out.push_back(kHex[c >> 4]);
          out.push_back(kHex[c & 0xf]);
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  out.push_back('"');
}

void appendLogField(std::string& out, std::string_view key, std::string_view value) {
  out.push_back(' ');
  if (key.empty()) out.push_back('_');
  for (unsigned char c : key) out.push_back(isKeyChar(c) ? static_cast<char>(c) : '_');
  out.push_back('=');
  appendLogValue(out, value);
}

void appendLogField(std::string& out, std::string_view key, long long value) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  appendLogField(out, key, std::string_view(buf, static_cast<size_t>(end - buf)));
}

void appendLogTimestamp(std::string& out) {
  using namespace std::chrono;
  const auto now = system_clock::now();
  const auto ms = duration_cast<milliseconds>(now.time_since_epoch()).count();
  const std::time_t seconds = static_cast<std::time_t>(ms / 1000);

  // "YYYY-MM-DDTHH:MM:SS" for the current second, cached per thread.
  thread_local std::time_t cachedSecond = -1;
  thread_local char cached[20];
  if (seconds != cachedSecond) {
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    std::strftime(cached, sizeof cached, "%Y-%m-%dT%H:%M:%S", &tm);
    cachedSecond = seconds;
  }
  out.append(cached, 19);
  const int millis = static_cast<int>(ms % 1000);
  out.push_back('.');
  out.push_back(static_cast<char>('0' + millis / 100));
  out.push_back(static_cast<char>('0' + millis / 10 % 10));
  out.push_back(static_cast<char>('0' + millis % 10));
  out.push_back('Z');
}

std::string_view logLevelName(LogLevel level) noexcept {
  switch (level) {
    case LogLevel::Debug: return "debug";
    case LogLevel::Info: return "info";
    case LogLevel::Warn: return "warn";
    case LogLevel::Error: return "error";
  }
  return "info";
}

}  // namespace crow::host
