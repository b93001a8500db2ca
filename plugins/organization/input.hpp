// input.hpp - reading and checking what clients send. Every failure is a 400 in Better Auth's
// zod shape: {"code":"VALIDATION_ERROR","message":"[body.<field>] <why>"}, never a 500.
#pragma once

#include <crow/http.hpp>

#include <Poco/JSON/Object.h>

#include <optional>
#include <string>

namespace organization::input {

/// The JSON body (Better Auth's 400/415 errors from crow::Request::json).
Poco::JSON::Object::Ptr body(const crow::Request& request);

/// A string field: nullopt when absent or null; 400 when present with another type.
std::optional<std::string> optionalString(const Poco::JSON::Object& object, const std::string& key,
                                          const std::string& where = "body");
/// A string field that must be present and non-empty.
std::string requiredString(const Poco::JSON::Object& object, const std::string& key, const std::string& where = "body");
/// A boolean field (absent: fallback).
bool optionalBool(const Poco::JSON::Object& object, const std::string& key, bool fallback);
/// True when the key is present with the JSON value null.
bool isExplicitNull(const Poco::JSON::Object& object, const std::string& key);

/// A slug for a new or renamed organization: 1 to 64 of [a-z0-9-], not starting or ending with
/// '-'. Better Auth accepts any non-empty string; existing slugs are still found by lookups.
void checkSlug(const std::string& slug, const std::string& field = "body.slug");
/// An organization name: 1 to 256 bytes of valid UTF-8 without control characters.
void checkName(const std::string& name, const std::string& field = "body.name");
/// A logo URL or text: at most 2048 bytes, no control characters.
void checkLogo(const std::string& logo, const std::string& field = "body.logo");
/// Metadata: a JSON object, at most 8 levels deep and 16 KiB serialised; returns its JSON text.
std::string metadataText(const Poco::Dynamic::Var& value, const std::string& field = "body.metadata");
/// An email address (at most 254 bytes, one '@', no spaces/controls), returned lower-cased.
std::string email(const std::string& value, const std::string& field = "body.email");
/// An id-like lookup value (ids, slugs from clients): bounded so a 10 KB value never reaches SQL.
void checkLookup(const std::string& value, const std::string& field);

}  // namespace organization::input
