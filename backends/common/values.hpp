// Conversions between what callers and databases hand over and a column's declared type.
#pragma once

#include "crow/schema.hpp"
#include "crow/store.hpp"

namespace crow::sql {

/// A caller's value as the declared type wants it: Timestamp for Timestamp columns (from a
/// Timestamp, ISO text or epoch ms), bool for Boolean, int64 for Integer/BigInt, text for
/// Id/String/Json. NULL stays NULL. A value that cannot be converted throws
/// DatabaseError(Kind::Other) naming the column.
Value toLogical(const FieldDecl& field, const Value& value);

/// A value read from the database as the declared type wants it. Lenient: text that does not
/// parse as the declared type is returned as text rather than failing the whole read.
Value fromDatabase(const FieldDecl& field, Value raw);

/// `%`, `_` and the escape character `\` escaped for `LIKE ... ESCAPE '\'`.
std::string escapeLike(const std::string& text);

}  // namespace crow::sql
