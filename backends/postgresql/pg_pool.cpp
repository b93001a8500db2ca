#include "pg_pool.hpp"

#include "crow/error.hpp"

#include <chrono>

namespace crow::postgresql {

PgPool::PgPool(PgTarget target, int size, int waitMs)
    : target_(std::move(target)),
      connectionString_(target_.connectionString(std::max(1, waitMs / 1000))),
      size_(static_cast<size_t>(std::max(1, size))),
      waitMs_(waitMs) {
  auto first = connect();
  idle_.push_back(std::move(first));
  open_ = 1;
}

PgPool::~PgPool() = default;

std::unique_ptr<PgConnection> PgPool::connect() {
  return std::make_unique<PgConnection>(connectionString_, target_.describe(), target_.password);
}

std::unique_ptr<PgConnection> PgPool::acquire() {
  {
    std::unique_lock lock(mutex_);
    if (!returned_.wait_for(lock, std::chrono::milliseconds(waitMs_), [&] { return !idle_.empty() || open_ < size_; }))
      throw DatabaseError(DatabaseError::Kind::Unavailable,
                          "postgresql: no free connection within " + std::to_string(waitMs_) + " ms");
    if (!idle_.empty()) {
      auto connection = std::move(idle_.back());
      idle_.pop_back();
      return connection;
    }
    ++open_;  // reserve the slot, connect outside the lock
  }
  try {
    return connect();
  } catch (...) {
    {
      std::lock_guard lock(mutex_);
      --open_;
    }
    returned_.notify_one();
    throw;
  }
}

void PgPool::release(std::unique_ptr<PgConnection> connection) {
  std::vector<std::unique_ptr<PgConnection>> stale;
  {
    std::lock_guard lock(mutex_);
    if (connection && connection->healthy()) {
      idle_.push_back(std::move(connection));
    } else {
      // One dead connection usually means all of them died (server restart): drop the idle ones
      // too, so no later caller trips over them.
      stale.swap(idle_);
      open_ -= 1 + stale.size();
    }
  }
  returned_.notify_all();
  // `stale` and `connection` close here, outside the lock.
}

sql::Result PgPool::runWithRetry(const sql::SqlStatement& statement, bool retry) {
  try {
    Lease lease(*this);
    return lease.connection->run(statement);
  } catch (const DatabaseError& e) {
    if (!retry || e.kind() != DatabaseError::Kind::Unavailable) throw;
  }
  Lease lease(*this);
  return lease.connection->run(statement);
}

sql::Result PgPool::read(const sql::SqlStatement& statement) { return runWithRetry(statement, true); }

sql::Result PgPool::write(const sql::SqlStatement& statement) { return runWithRetry(statement, false); }

void PgPool::transaction(const std::function<void(sql::Executor&)>& work) {
  Lease lease(*this);
  PgConnection& connection = *lease.connection;
  connection.begin();
  try {
    work(connection);
    connection.commit();
  } catch (...) {
    connection.rollback();
    throw;
  }
}

bool PgPool::ping() noexcept {
  try {
    runWithRetry({"SELECT 1", {}, {&sql::textColumn("ping")}}, true);
    return true;
  } catch (...) {
    return false;
  }
}

}  // namespace crow::postgresql
