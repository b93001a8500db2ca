#include "shapes.hpp"

#include <Poco/Exception.h>
#include <Poco/JSON/Parser.h>

namespace organization::shapes {

Poco::JSON::Object::Ptr newObject() { return new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER); }

Poco::Dynamic::Var value(const crow::Row& row, const std::string& name) {
  const crow::Value& v = crow::field(row, name);
  if (crow::isNull(v)) return {};
  if (auto t = std::get_if<crow::Timestamp>(&v)) return crow::toIsoString(*t);
  if (auto s = std::get_if<std::string>(&v)) return *s;
  if (auto b = std::get_if<bool>(&v)) return *b;
  if (auto i = std::get_if<int64_t>(&v)) return *i;
  if (auto d = std::get_if<double>(&v)) return *d;
  return {};
}

namespace {

Poco::Dynamic::Var date(const crow::Row& row, const std::string& name) {
  if (auto t = crow::asTimestamp(crow::field(row, name))) return crow::toIsoString(*t);
  return value(row, name);
}

}  // namespace

Poco::Dynamic::Var parseMetadata(const crow::Value& stored) {
  auto text = crow::asString(stored);
  if (!text || text->empty()) return {};
  try {
    return Poco::JSON::Parser().parse(*text);
  } catch (const Poco::Exception&) {
    return {};
  }
}

Poco::JSON::Object::Ptr organization(const crow::Row& row, Metadata metadata) {
  auto o = newObject();
  o->set("name", value(row, "name"));
  o->set("slug", value(row, "slug"));
  o->set("logo", value(row, "logo"));
  o->set("createdAt", date(row, "createdAt"));
  const crow::Value& stored = crow::field(row, "metadata");
  switch (metadata) {
    case Metadata::Raw: o->set("metadata", value(row, "metadata")); break;
    case Metadata::Parsed: o->set("metadata", parseMetadata(stored)); break;
    case Metadata::ParsedOrAbsent:
      if (!crow::isNull(stored)) o->set("metadata", parseMetadata(stored));
      break;
  }
  o->set("id", value(row, "id"));
  return o;
}

Poco::JSON::Object::Ptr member(const crow::Row& row) {
  auto o = newObject();
  o->set("organizationId", value(row, "organizationId"));
  o->set("userId", value(row, "userId"));
  o->set("role", value(row, "role"));
  o->set("createdAt", date(row, "createdAt"));
  o->set("id", value(row, "id"));
  return o;
}

Poco::JSON::Object::Ptr userBrief(const crow::Row& user) {
  auto o = newObject();
  o->set("id", value(user, "id"));
  o->set("name", value(user, "name"));
  o->set("email", value(user, "email"));
  o->set("image", value(user, "image"));
  return o;
}

Poco::JSON::Object::Ptr memberWithUser(const crow::Row& row, const crow::Row& user) {
  auto o = member(row);
  o->set("user", userBrief(user));
  return o;
}

Poco::JSON::Object::Ptr invitation(const crow::Row& row) {
  auto o = newObject();
  o->set("organizationId", value(row, "organizationId"));
  o->set("email", value(row, "email"));
  o->set("role", value(row, "role"));
  o->set("status", value(row, "status"));
  o->set("expiresAt", date(row, "expiresAt"));
  o->set("createdAt", date(row, "createdAt"));
  o->set("inviterId", value(row, "inviterId"));
  o->set("id", value(row, "id"));
  return o;
}

}  // namespace organization::shapes
