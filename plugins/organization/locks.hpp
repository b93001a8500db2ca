// locks.hpp - serialising the writers of one organization (shared with plugins/team-invitations).
#pragma once

#include <crow/store.hpp>

#include <string>

namespace organization {

/// Holds the organization's row lock until `tx` ends, so that check-then-insert sequences on its
/// invitations (no second pending invitation for one email, the invitation limit) run one at a
/// time per organization. The Store has no SELECT ... FOR UPDATE, so this is an update that
/// changes nothing (id = id): on PostgreSQL it takes the row lock and a concurrent one waits for
/// the commit, then sees what that transaction wrote; on SQLite the write transaction is serial
/// already. Call it first in the transaction. False when the organization does not exist.
inline bool lockOrganization(crow::Store& tx, const std::string& organizationId) {
  return tx.updateMany("organization", {crow::eq("id", organizationId)}, {{"id", organizationId}}) > 0;
}

}  // namespace organization
