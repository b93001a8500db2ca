// shapes.hpp - the JSON Better Auth sends for organizations, members and invitations, with its
// key order (CONTRACT.md §7 and the 1.7.25 transcript).
#pragma once

#include <crow/store.hpp>

#include <Poco/JSON/Object.h>

namespace organization::shapes {

/// How an organization's metadata column is sent: create/update parse it (and create leaves the
/// key out when there is none); list/set-active/get-full-organization/delete send the raw text.
enum class Metadata { Parsed, ParsedOrAbsent, Raw };

Poco::JSON::Object::Ptr newObject();
Poco::JSON::Object::Ptr organization(const crow::Row& row, Metadata metadata);
Poco::JSON::Object::Ptr member(const crow::Row& row);
/// The member plus `user: {id, name, email, image}`.
Poco::JSON::Object::Ptr memberWithUser(const crow::Row& row, const crow::Row& user);
Poco::JSON::Object::Ptr invitation(const crow::Row& row);
Poco::JSON::Object::Ptr userBrief(const crow::Row& user);

/// A column as JSON: strings, ISO dates, booleans, numbers, or null.
Poco::Dynamic::Var value(const crow::Row& row, const std::string& name);
/// Metadata text parsed into JSON (null for NULL or text that is not JSON).
Poco::Dynamic::Var parseMetadata(const crow::Value& stored);

}  // namespace organization::shapes
