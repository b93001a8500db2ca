// What a backend provides to the shared Store: connections that run statements.
#pragma once

#include "common/query_builder.hpp"

#include <functional>
#include <vector>

namespace crow::sql {

/// What a statement produced: its rows (raw database values, one vector per row, in the
/// statement's column order) and how many rows it changed.
struct Result {
  std::vector<std::vector<Value>> rows;
  int64_t affected = 0;
};

/// One connection, used by one thread at a time. Prepares each distinct SQL text once and reuses
/// it. Throws DatabaseError (Kind::Constraint for constraint violations).
class Executor {
 public:
  virtual ~Executor() = default;
  virtual Result run(const SqlStatement& statement) = 0;
};

/// The database: a pool of connections.
class ConnectionSource {
 public:
  virtual ~ConnectionSource() = default;
  /// Runs a read-only statement outside any transaction.
  virtual Result read(const SqlStatement& statement) = 0;
  /// Runs a writing statement outside any transaction (it commits on its own).
  virtual Result write(const SqlStatement& statement) = 0;
  /// Runs `work` inside BEGIN ... COMMIT on one connection; rolls back and rethrows when it throws.
  virtual void transaction(const std::function<void(Executor&)>& work) = 0;
  /// One round-trip; false when the database cannot be reached.
  virtual bool ping() noexcept = 0;
};

}  // namespace crow::sql
