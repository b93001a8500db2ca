// Shared pieces of the outbox tests: a clock the test moves, a logger that keeps its lines, and a
// fresh SQLite database with the crow_outbox table, opened through the real backend library.
#pragma once

#include "backend_fixture.hpp"

#include "crow/context.hpp"
#include "crow/log.hpp"
#include "crow/store.hpp"

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace crow::test {

class ManualClock final : public crow::Clock {
 public:
  explicit ManualClock(int64_t epochMs = 1'750'000'000'000) : now_(epochMs) {}
  crow::Timestamp now() const noexcept override { return crow::Timestamp{now_.load()}; }
  void advance(std::chrono::milliseconds by) { now_ += by.count(); }

 private:
  std::atomic<int64_t> now_;
};

class WallClock final : public crow::Clock {
 public:
  crow::Timestamp now() const noexcept override;
};

class CapturingLogger final : public crow::Logger {
 public:
  void log(crow::LogLevel level, std::string_view message, const crow::LogFields& fields) override;
  bool enabled(crow::LogLevel) const noexcept override { return true; }
  /// Every line so far, rendered as "message key=value ...".
  std::vector<std::string> lines() const;
  /// True when any line contains `text`.
  bool mentions(const std::string& text) const;

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> lines_;
};

/// A SQLite database (a temporary file) holding crow_outbox.
struct OutboxDatabase {
  TestDatabase database;
  std::shared_ptr<crow::Store> store;

  OutboxDatabase();
  /// Another backend over the same file, as a second crow-auth instance would have.
  std::shared_ptr<crow::Store> openSecondInstance();
  /// The outbox row with this id (fails the test when missing).
  crow::Row row(const std::string& id);
  int64_t countWithStatus(const std::string& status);

 private:
  std::vector<std::unique_ptr<crow::Backend>> others_;
};

std::string text(const crow::Row& row, const std::string& column);
int64_t integer(const crow::Row& row, const std::string& column);
crow::Timestamp timestamp(const crow::Row& row, const std::string& column);

}  // namespace crow::test
