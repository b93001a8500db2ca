#include "util/logger.hpp"

#include "util/batched_line_writer.hpp"
#include "util/log_format.hpp"

#include <cerrno>
#include <cctype>

namespace crow::host {

namespace {

// Each thread formats into its own buffer, which keeps its capacity between lines: no allocation
// per line once warm.
std::string& lineBuffer() {
  thread_local std::string buffer;
  buffer.clear();
  return buffer;
}

void appendHeader(std::string& out, std::string_view level, std::string_view source) {
  out.append("ts=");
  appendLogTimestamp(out);
  out.append(" level=");
  out.append(level);
  appendLogField(out, "src", source);
}

}  // namespace

StderrLogger::StderrLogger(std::string source, LogLevel minLevel, int fd)
    : source_(std::move(source)), level_(minLevel), fd_(fd) {}

StderrLogger::~StderrLogger() = default;

BatchedLineWriter& StderrLogger::accessWriter() {
  std::call_once(accessWriterOnce_, [this] {
    accessWriter_ = std::make_unique<BatchedLineWriter>(fd_);
    accessWriterReady_.store(true, std::memory_order_release);
  });
  return *accessWriter_;
}

void StderrLogger::flush() noexcept {
  if (accessWriterReady_.load(std::memory_order_acquire)) accessWriter_->flush();
}

bool StderrLogger::enabled(LogLevel level) const noexcept {
  return static_cast<int>(level) >= static_cast<int>(level_.load(std::memory_order_relaxed));
}

void StderrLogger::setLevel(LogLevel level) noexcept { level_.store(level, std::memory_order_relaxed); }

LogLevel StderrLogger::level() const noexcept { return level_.load(std::memory_order_relaxed); }

std::unique_ptr<StderrLogger> StderrLogger::withSource(std::string source) const {
  return std::make_unique<StderrLogger>(std::move(source), level(), fd_);
}

void StderrLogger::log(LogLevel level, std::string_view message, const LogFields& fields) {
  if (!enabled(level)) return;
  try {
    std::string& line = lineBuffer();
    appendHeader(line, logLevelName(level), source_);
    appendLogField(line, "msg", message);
    for (const auto& [key, value] : fields) appendLogField(line, key, value);
    writeLine(line);
  } catch (...) {
    // Logging must never take a request down (bad_alloc while formatting, for instance).
  }
}

void StderrLogger::access(const AccessRecord& r) noexcept {
  try {
    std::string& line = lineBuffer();
    appendHeader(line, "info", "access");
    line.append(" msg=request");
    appendLogField(line, "method", r.method);
    appendLogField(line, "path", r.path);
    appendLogField(line, "status", r.status);
    appendLogField(line, "duration_us", r.durationMicros);
    appendLogField(line, "bytes", r.responseBytes);
    appendLogField(line, "request_id", r.requestId);
    appendLogField(line, "client", r.client);
    if (!r.owner.empty()) appendLogField(line, "owner", r.owner);
    line.push_back('\n');
    accessWriter().write(line);
  } catch (...) {
  }
}

void StderrLogger::writeLine(std::string& line) noexcept {
  line.push_back('\n');
  const char* data = line.data();
  size_t left = line.size();
  while (left > 0) {
    ssize_t n = ::write(fd_, data, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      return;  // nowhere to report a failing stderr; drop the line
    }
    data += n;
    left -= static_cast<size_t>(n);
  }
}

std::optional<LogLevel> StderrLogger::parseLevel(std::string_view name) noexcept {
  std::string lower;
  for (char c : name) lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  if (lower == "debug") return LogLevel::Debug;
  if (lower == "info") return LogLevel::Info;
  if (lower == "warn" || lower == "warning") return LogLevel::Warn;
  if (lower == "error") return LogLevel::Error;
  return std::nullopt;
}

}  // namespace crow::host
