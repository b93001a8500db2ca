// A pool of PostgreSQL connections that heals itself.
//
// Connections are made on demand up to the pool size. A connection found broken (the server
// restarted, the network dropped) is discarded together with every idle one, since they share
// the cause; the next call connects afresh. A read that failed on a stale connection is retried
// once on a new one; a write is not (it might have committed before the connection dropped).
#pragma once

#include "pg_connection.hpp"
#include "pg_url.hpp"

#include <condition_variable>
#include <mutex>
#include <vector>

namespace crow::postgresql {

class PgPool final : public sql::ConnectionSource {
 public:
  /// Connects once, so a wrong URL or a refusing server fails open() with a clear message.
  PgPool(PgTarget target, int size, int waitMs);
  ~PgPool() override;

  sql::Result read(const sql::SqlStatement& statement) override;
  sql::Result write(const sql::SqlStatement& statement) override;
  void transaction(const std::function<void(sql::Executor&)>& work) override;
  bool ping() noexcept override;

  /// Runs `work` on one pooled connection outside any transaction.
  template <class Work>
  auto withConnection(Work&& work) {
    Lease lease(*this);
    return work(*lease.connection);
  }

 private:
  struct Lease {
    explicit Lease(PgPool& pool) : pool(pool), connection(pool.acquire()) {}
    ~Lease() { pool.release(std::move(connection)); }
    PgPool& pool;
    std::unique_ptr<PgConnection> connection;
  };
  std::unique_ptr<PgConnection> acquire();
  void release(std::unique_ptr<PgConnection> connection);
  std::unique_ptr<PgConnection> connect();
  sql::Result runWithRetry(const sql::SqlStatement& statement, bool retry);

  const PgTarget target_;
  const std::string connectionString_;
  const size_t size_;
  const int waitMs_;
  std::mutex mutex_;
  std::condition_variable returned_;
  std::vector<std::unique_ptr<PgConnection>> idle_;
  size_t open_ = 0;  // connections in use or idle
};

}  // namespace crow::postgresql
