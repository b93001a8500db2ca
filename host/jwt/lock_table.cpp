#include "jwt/lock_table.hpp"

#include "crow/error.hpp"

#include <chrono>
#include <thread>

namespace crow::host {

void declareLockTable(crow::SchemaBuilder& schema) {
  schema.table(kLockTable)
      .field("id", crow::FieldType::Id).primaryKey().maxLength(191)
      .field("createdAt", crow::FieldType::Timestamp).required();
}

void runUnderLock(crow::Store& store, const std::string& name, crow::Timestamp now,
                  const std::function<void(crow::Store&)>& work) {
  constexpr int kAttempts = 5;
  for (int attempt = 1;; ++attempt) {
    bool locked = false;
    try {
      store.transaction([&](crow::Store& tx) {
        tx.create(kLockTable, {{"id", name}, {"createdAt", now}});
        locked = true;
        work(tx);
        tx.remove(kLockTable, {crow::eq("id", name)});
      });
      return;
    } catch (const crow::DatabaseError& e) {
      // Only a collision on the lock row itself is retried; the work's own errors propagate.
      if (locked || e.kind() != crow::DatabaseError::Kind::Constraint || attempt == kAttempts) throw;
      std::this_thread::sleep_for(std::chrono::milliseconds(20 * attempt));
    }
  }
}

}  // namespace crow::host
