// The host's crow::Logger: one logfmt line per call, written with a single write(2) so lines from
// different threads never interleave (writes to a pipe up to PIPE_BUF and O_APPEND files are
// atomic) and no lock sits on the request path.
//
//   ts=2024-05-01T12:00:00.123Z level=info src=organization msg="invitation sent" id=abc
#pragma once

#include "crow/log.hpp"

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unistd.h>

namespace crow::host {

class BatchedLineWriter;

/// One finished HTTP request, as the access log records it. Deliberately has no room for headers,
/// cookies, bodies or query strings: they carry tokens.
struct AccessRecord {
  std::string_view method;
  std::string_view path;  ///< without the query string
  int status = 0;
  long long durationMicros = 0;
  long long responseBytes = 0;
  std::string_view requestId;
  std::string_view client;
  std::string_view owner;  ///< plugin that owns the matched route; empty when none matched
};

class StderrLogger final : public crow::Logger {
 public:
  /// `source` names the writer (the plugin id, "server", "host"). `fd` is stderr unless a test
  /// wants the lines elsewhere; the logger does not own it.
  explicit StderrLogger(std::string source, LogLevel minLevel = LogLevel::Info, int fd = STDERR_FILENO);
  ~StderrLogger() override;

  void log(LogLevel level, std::string_view message, const LogFields& fields = {}) override;
  bool enabled(LogLevel level) const noexcept override;

  /// A logger for another source, same destination and level (one per plugin).
  std::unique_ptr<StderrLogger> withSource(std::string source) const;

  void setLevel(LogLevel level) noexcept;
  LogLevel level() const noexcept;
  const std::string& source() const noexcept { return source_; }
  int fd() const noexcept { return fd_; }

  /// Queues one access-log line (`src=access msg=request method=.. path=.. status=..`). Written
  /// whatever the level: the server decides whether there is an access log at all. Lines are
  /// batched per thread and reach the fd within 100 ms (or at flush()), whole and unmixed.
  void access(const AccessRecord& record) noexcept;
  /// Writes out queued access lines now.
  void flush() noexcept;

  /// "debug" | "info" | "warn" | "warning" | "error" (any case), else nullopt.
  static std::optional<LogLevel> parseLevel(std::string_view name) noexcept;

 private:
  void writeLine(std::string& line) noexcept;

  BatchedLineWriter& accessWriter();

  std::string source_;
  std::atomic<LogLevel> level_;
  int fd_;
  std::once_flag accessWriterOnce_;
  std::unique_ptr<BatchedLineWriter> accessWriter_;
  std::atomic<bool> accessWriterReady_{false};
};

}  // namespace crow::host
