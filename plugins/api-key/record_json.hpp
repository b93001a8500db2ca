// record_json.hpp - an `apikey` row as Better Auth sends it (CONTRACT.md §6): its key order, dates
// as ISO strings, booleans, permissions and metadata parsed, never the hash. Written straight into
// a string because verify runs on every gateway request.
#pragma once

#include <crow/store.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace apikey {

/// Appends the record object. `plaintextKey` (create's answer only) goes after `prefix`.
void appendRecordJson(std::string& out, const crow::Row& row, const std::string* plaintextKey = nullptr);

/// Appends `text` as a JSON string literal (quotes included).
void appendJsonString(std::string& out, std::string_view text);

/// A stored JSON column read back: the compact JSON text of the object it holds (metadata that an
/// older Better Auth stored twice stringified is unwrapped), or nullopt for NULL, 'null', anything
/// unparseable or not an object.
std::optional<std::string> storedObjectJson(const crow::Value& stored);

}  // namespace apikey
