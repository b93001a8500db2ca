// The tables the core owns, with Better Auth's names, types and encodings (CONTRACT.md §12).
#pragma once

#include "crow/schema.hpp"

namespace crow::host {

/// Declares `user`, `session`, `account`, `verification` and `jwks`, column for column as Better
/// Auth 1.7 creates them, so the SQLite DDL rendered from them is byte-identical to Better Auth's
/// and an existing Better Auth database needs no migration.
void declareCoreSchema(crow::SchemaBuilder& schema);

}  // namespace crow::host
