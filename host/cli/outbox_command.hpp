// cli/outbox_command.hpp - `crow-auth outbox list|replay`, once the database is open.
#pragma once

#include "cli/command_line.hpp"

#include "crow/context.hpp"
#include "crow/store.hpp"

#include <ostream>

namespace crow::host {

/// Runs the outbox verb against `store` (the crow_outbox table) and prints to `out` (results)
/// and `err` (per-id problems). Returns the exit code: 0 done, 1 an id unknown or not dead.
int runOutboxCommand(const OutboxArgs& args, crow::Store& store, const crow::Clock& clock, std::ostream& out,
                     std::ostream& err);

}  // namespace crow::host
