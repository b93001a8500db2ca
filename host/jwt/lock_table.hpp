// jwt/lock_table.hpp - a cross-instance mutex made of one row, for work that must happen once
// even when several instances (or threads) attempt it at the same moment on a shared database.
//
// runUnderLock() opens a transaction whose FIRST statement inserts the row `id = <name>` into
// `crow_lock`, runs the work, deletes the row and commits. A concurrent attempt blocks on that
// insert (the primary key: PostgreSQL/MySQL wait for the holder's transaction; SQLite's
// BEGIN IMMEDIATE waits for the writer) until the holder commits, then proceeds and sees the
// holder's committed writes. Inserting before reading matters: it makes every read in the work
// happen after the previous holder committed (READ COMMITTED, MySQL's first-read snapshot,
// SQLite's single writer). The work must therefore re-check its precondition inside the lock.
// The row never outlives its transaction, so a crashed holder leaves nothing behind.
#pragma once

#include "crow/schema.hpp"
#include "crow/store.hpp"

#include <functional>
#include <string>

namespace crow::host {

inline constexpr const char* kLockTable = "crow_lock";

/// Declares `crow_lock(id text primary key, createdAt date not null)`.
void declareLockTable(crow::SchemaBuilder& schema);

/// Runs `work` inside one transaction holding the lock `name`; `work` must use the Store it is
/// given. Exceptions from `work` roll back and propagate. Should the insert still meet a
/// leftover row (a unique-constraint error, for instance from a backend whose transactions do not
/// wait), it retries a few times and then throws crow::DatabaseError.
void runUnderLock(crow::Store& store, const std::string& name, crow::Timestamp now,
                  const std::function<void(crow::Store&)>& work);

}  // namespace crow::host
