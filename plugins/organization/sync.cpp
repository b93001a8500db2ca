#include "sync.hpp"

#include "service.hpp"
#include "shapes.hpp"

#include <Poco/JSON/Stringifier.h>

#include <cstdio>
#include <sstream>

namespace organization {

namespace {

Poco::JSON::Object::Ptr organizationPayload(const crow::Row& row) {
  auto o = shapes::newObject();
  o->set("id", shapes::value(row, "id"));
  o->set("name", shapes::value(row, "name"));
  o->set("slug", shapes::value(row, "slug"));
  o->set("logo", shapes::value(row, "logo"));
  o->set("metadata", shapes::parseMetadata(crow::field(row, "metadata")));
  o->set("createdAt", shapes::value(row, "createdAt"));
  return o;
}

Poco::JSON::Object::Ptr memberPayload(const crow::Row& member, const crow::Row* user) {
  auto o = shapes::member(member);
  if (user) {
    auto u = shapes::newObject();
    u->set("id", shapes::value(*user, "id"));
    u->set("email", shapes::value(*user, "email"));
    u->set("name", shapes::value(*user, "name"));
    o->set("user", u);
  }
  return o;
}

std::string text(const Poco::JSON::Object::Ptr& o) {
  std::ostringstream out;
  Poco::JSON::Stringifier::condense(o, out);
  return out.str();
}

}  // namespace

Sync::Sync(crow::Outbox& outbox, const crow::Clock& clock, SyncOptions options, bool toOrganizationService,
           bool toUserService)
    : outbox_(outbox),
      clock_(clock),
      options_(std::move(options)),
      toOrganizationService_(toOrganizationService),
      toUserService_(toUserService) {}

// Time-ordered (hex milliseconds first), then random: unique like newId(), and the outbox's
// unique index on idempotencyKey grows at its end instead of at a random page per message.
std::string eventIdAt(crow::Timestamp now) {
  char prefix[13];
  std::snprintf(prefix, sizeof prefix, "%012llx",
                static_cast<unsigned long long>(now.epochMs < 0 ? 0 : now.epochMs) & 0xFFFFFFFFFFFFull);
  return std::string(prefix, 12) + newId().substr(0, 20);
}

Sync::Prepared Sync::prepare(const std::string& organizationId, const std::string& type,
                             Poco::JSON::Object::Ptr payload) const {
  Prepared event{organizationId, type, {}, {}};
  if (!options_.enabled || (!toOrganizationService_ && !toUserService_)) return event;
  const crow::Timestamp now = clock_.now();
  event.eventId = eventIdAt(now);
  auto body = shapes::newObject();
  body->set("eventId", event.eventId);
  body->set("type", type);
  body->set("occurredAt", crow::toIsoString(now));
  body->set("organizationId", organizationId);
  for (const auto& [key, value] : *payload) body->set(key, value);
  event.json = text(body);
  return event;
}

void Sync::write(crow::Store& tx, const Prepared& event) {
  if (event.json.empty()) return;
  // One key per destination: the outbox's idempotency keys are unique across services.
  if (toOrganizationService_)
    outbox_.enqueue(tx, {"organization", options_.organizationServicePath, event.organizationId, event.type, event.json,
                         event.eventId + ".organization"});
  if (toUserService_)
    outbox_.enqueue(tx, {"user", options_.userServicePath, event.organizationId, event.type, event.json,
                         event.eventId + ".user"});
}

void Sync::send(crow::Store& tx, const std::string& organizationId, const std::string& type,
                Poco::JSON::Object::Ptr payload) {
  write(tx, prepare(organizationId, type, std::move(payload)));
}

Sync::Prepared Sync::prepareOrganizationCreated(const crow::Row& organization, const crow::Row& member,
                                                const crow::Row& user) const {
  auto p = shapes::newObject();
  p->set("organization", organizationPayload(organization));
  p->set("member", memberPayload(member, &user));
  return prepare(crow::asString(crow::field(organization, "id")).value_or(""), "organization.created", p);
}

void Sync::organizationCreated(crow::Store& tx, const crow::Row& organization, const crow::Row& member,
                               const crow::Row& user) {
  write(tx, prepareOrganizationCreated(organization, member, user));
}

void Sync::organizationUpdated(crow::Store& tx, const crow::Row& organization) {
  auto p = shapes::newObject();
  p->set("organization", organizationPayload(organization));
  send(tx, crow::asString(crow::field(organization, "id")).value_or(""), "organization.updated", p);
}

void Sync::organizationDeleted(crow::Store& tx, const crow::Row& organization) {
  auto p = shapes::newObject();
  p->set("organization", organizationPayload(organization));
  send(tx, crow::asString(crow::field(organization, "id")).value_or(""), "organization.deleted", p);
}

void Sync::memberAdded(crow::Store& tx, const crow::Row& member, const crow::Row& user) {
  auto p = shapes::newObject();
  p->set("member", memberPayload(member, &user));
  send(tx, crow::asString(crow::field(member, "organizationId")).value_or(""), "member.added", p);
}

void Sync::memberRoleUpdated(crow::Store& tx, const crow::Row& member, const std::string& previousRole) {
  auto p = shapes::newObject();
  p->set("member", memberPayload(member, nullptr));
  p->set("previousRole", previousRole);
  send(tx, crow::asString(crow::field(member, "organizationId")).value_or(""), "member.role-updated", p);
}

void Sync::memberRemoved(crow::Store& tx, const crow::Row& member, const std::string& reason) {
  auto p = shapes::newObject();
  p->set("member", memberPayload(member, nullptr));
  p->set("reason", reason);
  send(tx, crow::asString(crow::field(member, "organizationId")).value_or(""), "member.removed", p);
}

}  // namespace organization
