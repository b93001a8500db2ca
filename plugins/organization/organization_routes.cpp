// organization_routes.cpp - organizations themselves (Better Auth's routes/crud-org.ts).
#include "error_codes.hpp"
#include "input.hpp"
#include "roles.hpp"
#include "routes.hpp"
#include "shapes.hpp"

#include <crow/error.hpp>

#include <Poco/JSON/Array.h>

namespace organization {

namespace {

using shapes::Metadata;

bool isUniqueViolation(const crow::DatabaseError& e) { return e.kind() == crow::DatabaseError::Kind::Constraint; }

// membersLimit from the query: a positive integer, at most the membership limit.
int64_t membersLimit(const crow::Request& request, int64_t fallback) {
  auto raw = request.query("membersLimit");
  if (!raw || raw->empty()) return fallback;
  if (raw->size() > 9 || raw->find_first_not_of("0123456789") != std::string::npos)
    throw crow::ApiError(400, "VALIDATION_ERROR", "[query.membersLimit] Expected a positive integer");
  return std::max<int64_t>(1, std::stoll(*raw));
}

void create(Service& s, crow::Request& request, crow::Response& response) {
  auto session = s.sessions.current(request);
  // Better Auth answers an anonymous create with 401 and no body at all.
  if (!session) throw crow::ApiError(401, "", "").withoutBody();
  auto body = input::body(request);
  const std::string name = input::requiredString(*body, "name");
  input::checkName(name);
  const std::string slug = input::requiredString(*body, "slug");
  input::checkSlug(slug);
  std::optional<std::string> logo = input::optionalString(*body, "logo");
  if (logo) input::checkLogo(*logo);
  std::optional<std::string> metadata;
  if (body->has("metadata") && !body->get("metadata").isEmpty()) metadata = input::metadataText(body->get("metadata"));
  const bool keepActive = input::optionalBool(*body, "keepCurrentActiveOrganization", false);

  if (!s.options.allowUserToCreateOrganization) throw crow::ApiError(403, errors::kNotAllowedToCreate);
  const std::string userId = Service::text(session->user, "id");
  if (s.options.organizationLimit &&
      s.store.count(kMemberTable, {crow::eq("userId", userId)}) >= *s.options.organizationLimit)
    throw crow::ApiError(403, errors::kOrganizationLimit);
  // No slug look-up first: the unique index on organization.slug decides, and its violation is
  // Better Auth's ORGANIZATION_ALREADY_EXISTS below (one query less on the hot write path).

  // Everything but the writes is made before the transaction: the rows, the sync event's JSON.
  const crow::Timestamp now = s.clock.now();
  crow::Row organization{{"id", newId()}, {"name", name}, {"slug", slug}, {"createdAt", now}};
  if (logo) organization["logo"] = *logo;
  if (metadata) organization["metadata"] = *metadata;
  crow::Row member{{"id", newId()},
                   {"organizationId", organization["id"]},
                   {"userId", userId},
                   {"role", s.options.creatorRole},
                   {"createdAt", now}};
  const Sync::Prepared created = s.sync.prepareOrganizationCreated(organization, member, session->user);
  try {
    s.store.transaction([&](crow::Store& tx) {
      organization = tx.create(kOrganizationTable, organization);
      member = tx.create(kMemberTable, member);
      s.sync.write(tx, created);
      if (!keepActive) s.setActiveOrganization(tx, *session, Service::text(organization, "id"));
    });
  } catch (const crow::DatabaseError& e) {
    // A constraint failed: the slug's unique index, unless the slug is free after all (then it
    // was something else, a vanished user say, and stays an error of its own).
    if (isUniqueViolation(e) && s.findOrganizationBySlug(s.store, slug)) throw crow::ApiError(400, errors::kAlreadyExists);
    throw;
  }
  auto json = shapes::organization(organization, Metadata::ParsedOrAbsent);
  Poco::JSON::Array::Ptr members = new Poco::JSON::Array();
  members->add(shapes::member(member));
  json->set("members", members);
  sendJson(response, json);
}

void checkSlug(Service& s, crow::Request& request, crow::Response& response) {
  s.requireSession(request);
  auto body = input::body(request);
  const std::string slug = input::requiredString(*body, "slug");
  input::checkSlug(slug);
  if (s.findOrganizationBySlug(s.store, slug)) throw crow::ApiError(400, errors::kSlugTaken);
  auto json = shapes::newObject();
  json->set("status", true);
  sendJson(response, json);
}

void setActive(Service& s, crow::Request& request, crow::Response& response) {
  auto session = s.requireSession(request);
  auto body = input::body(request);
  std::optional<std::string> id = input::optionalString(*body, "organizationId");
  const std::optional<std::string> slug = input::optionalString(*body, "organizationSlug");
  if (input::isExplicitNull(*body, "organizationId") && !slug) {
    s.setActiveOrganization(s.store, session, std::nullopt);
    return sendJson(response, Poco::Dynamic::Var());
  }
  if (!id && !slug) {
    id = Service::activeOrganizationId(session);
    if (!id) return sendJson(response, Poco::Dynamic::Var());
  }
  if (!id) {
    input::checkLookup(*slug, "body.organizationSlug");
    auto org = s.findOrganizationBySlug(s.store, *slug);
    if (!org) throw crow::ApiError(400, errors::kNotFound);
    id = Service::text(*org, "id");
  }
  input::checkLookup(*id, "body.organizationId");
  const std::string userId = Service::text(session.user, "id");
  if (!s.findMember(s.store, *id, userId)) throw crow::ApiError(403, errors::kUserNotMember);
  auto org = s.findOrganization(s.store, *id);
  if (!org) throw crow::ApiError(400, errors::kNotFound);
  s.setActiveOrganization(s.store, session, *id);
  sendJson(response, shapes::organization(*org, Metadata::Raw));
}

// The organization a GET names (or the active one) that the caller belongs to; nullopt when none
// is named and none is active.
std::optional<crow::Row> readableOrganization(Service& s, const crow::Request& request,
                                              const crow::CurrentSession& session) {
  auto id = s.targetOrganization(request.query("organizationId"), request.query("organizationSlug"), session);
  if (!id) return std::nullopt;
  auto org = s.findOrganization(s.store, *id);
  if (!org) throw crow::ApiError(400, errors::kNotFound);
  if (!s.findMember(s.store, *id, Service::text(session.user, "id")))
    throw crow::ApiError(403, errors::kUserNotMember);
  return org;
}

Poco::JSON::Array::Ptr membersWithUsers(Service& s, const std::string& organizationId, int64_t limit) {
  crow::FindOptions find;
  find.where = {crow::eq("organizationId", organizationId)};
  find.sortBy = crow::SortBy{"createdAt", false};
  find.limit = limit;
  return s.membersWithUsers(s.store, s.store.findMany(kMemberTable, find));
}

void getFullOrganization(Service& s, crow::Request& request, crow::Response& response) {
  auto session = s.requireSession(request);
  auto org = readableOrganization(s, request, session);
  if (!org) return sendJson(response, Poco::Dynamic::Var());
  const std::string id = Service::text(*org, "id");
  const int64_t limit = std::min(membersLimit(request, s.options.membershipLimit), s.options.membershipLimit);
  auto json = shapes::organization(*org, Metadata::Raw);
  Poco::JSON::Array::Ptr invitations = new Poco::JSON::Array();
  crow::FindOptions find;
  find.where = {crow::eq("organizationId", id)};
  find.sortBy = crow::SortBy{"createdAt", false};
  for (const auto& inv : s.store.findMany(kInvitationTable, find)) invitations->add(shapes::invitation(inv));
  json->set("invitations", invitations);
  json->set("members", membersWithUsers(s, id, limit));
  sendJson(response, json);
}

void getOrganization(Service& s, crow::Request& request, crow::Response& response) {
  auto session = s.requireSession(request);
  auto org = readableOrganization(s, request, session);
  if (!org) return sendJson(response, Poco::Dynamic::Var());
  sendJson(response, shapes::organization(*org, Metadata::Raw));
}

void list(Service& s, crow::Request& request, crow::Response& response) {
  auto session = s.requireSession(request);
  crow::FindOptions memberFind;
  memberFind.where = {crow::eq("userId", Service::text(session.user, "id"))};
  std::vector<crow::Value> ids;
  for (const auto& m : s.store.findMany(kMemberTable, memberFind)) ids.push_back(crow::field(m, "organizationId"));
  Poco::JSON::Array::Ptr out = new Poco::JSON::Array();
  if (!ids.empty()) {
    crow::FindOptions find;
    find.where = {crow::Where{"id", crow::Op::In, {}, ids, crow::Connector::And}};
    find.sortBy = crow::SortBy{"createdAt", false};
    for (const auto& org : s.store.findMany(kOrganizationTable, find))
      out->add(shapes::organization(org, Metadata::Raw));
  }
  sendJson(response, out);
}

void update(Service& s, crow::Request& request, crow::Response& response) {
  auto session = s.requireSession(request);
  auto body = input::body(request);
  if (!body->has("data") || body->get("data").type() != typeid(Poco::JSON::Object::Ptr))
    throw crow::ApiError(400, "VALIDATION_ERROR", "[body.data] Expected object");
  auto data = body->getObject("data");
  std::optional<std::string> id = input::optionalString(*body, "organizationId");
  if (!id) id = Service::activeOrganizationId(session);
  if (!id) throw crow::ApiError(400, errors::kNotFound);
  input::checkLookup(*id, "body.organizationId");

  crow::Row patch;
  if (auto name = input::optionalString(*data, "name", "body.data")) {
    input::checkName(*name, "body.data.name");
    patch["name"] = *name;
  }
  std::optional<std::string> slug = input::optionalString(*data, "slug", "body.data");
  if (slug) {
    input::checkSlug(*slug, "body.data.slug");
    patch["slug"] = *slug;
  }
  if (data->has("logo")) {
    auto logo = input::optionalString(*data, "logo", "body.data");
    if (logo) input::checkLogo(*logo, "body.data.logo");
    patch["logo"] = logo ? crow::Value(*logo) : crow::Value(std::monostate{});
  }
  if (data->has("metadata")) {
    const Poco::Dynamic::Var m = data->get("metadata");
    patch["metadata"] = m.isEmpty() ? crow::Value(std::monostate{}) : crow::Value(input::metadataText(m, "body.data.metadata"));
  }

  auto member = s.findMember(s.store, *id, Service::text(session.user, "id"));
  if (!member) throw crow::ApiError(400, errors::kUserNotMember);
  if (!allows(Service::text(*member, "role"), "organization", "update"))
    throw crow::ApiError(403, errors::kNotAllowedToUpdate);
  if (slug) {
    auto existing = s.findOrganizationBySlug(s.store, *slug);
    if (existing && Service::text(*existing, "id") != *id) throw crow::ApiError(400, errors::kSlugTaken);
  }
  std::optional<crow::Row> org;
  try {
    s.store.transaction([&](crow::Store& tx) {
      org = patch.empty() ? s.findOrganization(tx, *id) : tx.update(kOrganizationTable, {crow::eq("id", *id)}, patch);
      if (org && !patch.empty()) s.sync.organizationUpdated(tx, *org);
    });
  } catch (const crow::DatabaseError& e) {
    if (isUniqueViolation(e)) throw crow::ApiError(400, errors::kSlugTaken);
    throw;
  }
  if (!org) throw crow::ApiError(400, errors::kNotFound);
  sendJson(response, shapes::organization(*org, Metadata::Parsed));
}

void remove(Service& s, crow::Request& request, crow::Response& response) {
  auto session = s.requireSession(request);
  auto body = input::body(request);
  const std::string id = input::requiredString(*body, "organizationId");
  input::checkLookup(id, "body.organizationId");
  auto member = s.findMember(s.store, id, Service::text(session.user, "id"));
  if (!member) throw crow::ApiError(400, errors::kUserNotMember);
  if (!allows(Service::text(*member, "role"), "organization", "delete"))
    throw crow::ApiError(403, errors::kNotAllowedToDelete);
  std::optional<crow::Row> org;
  s.store.transaction([&](crow::Store& tx) {
    org = s.findOrganization(tx, id);
    if (!org) return;
    // Explicit deletes: SQLite databases may run without foreign-key enforcement.
    tx.updateMany("session", {crow::eq("activeOrganizationId", id)}, {{"activeOrganizationId", std::monostate{}}});
    tx.remove(kInvitationTable, {crow::eq("organizationId", id)});
    tx.remove(kMemberTable, {crow::eq("organizationId", id)});
    tx.remove(kOrganizationTable, {crow::eq("id", id)});
    s.sync.organizationDeleted(tx, *org);
  });
  if (!org) throw crow::ApiError(400, errors::kNotFound);
  sendJson(response, shapes::organization(*org, Metadata::Raw));
}

void hasPermission(Service& s, crow::Request& request, crow::Response& response) {
  auto session = s.requireSession(request);
  auto body = input::body(request);
  const char* key = body->has("permissions") ? "permissions" : "permission";
  if (!body->has(key) || body->get(key).type() != typeid(Poco::JSON::Object::Ptr))
    throw crow::ApiError(400, "VALIDATION_ERROR", "[body.permissions] Expected object");
  auto permissions = body->getObject(key);
  std::optional<std::string> id = input::optionalString(*body, "organizationId");
  if (!id) id = Service::activeOrganizationId(session);
  if (!id) throw crow::ApiError(400, errors::kNoActiveOrganization);
  input::checkLookup(*id, "body.organizationId");
  auto member = s.findMember(s.store, *id, Service::text(session.user, "id"));
  if (!member) throw crow::ApiError(401, errors::kUserNotMember);  // 401, as the reference
  const std::string role = Service::text(*member, "role");
  bool success = permissions->size() > 0;
  for (const auto& [resource, actions] : *permissions) {
    if (!isKnownResource(resource)) throw crow::ApiError(400, errors::kInvalidResource);
    if (actions.type() != typeid(Poco::JSON::Array::Ptr))
      throw crow::ApiError(400, "VALIDATION_ERROR", "[body.permissions] Expected an array of actions");
    for (const auto& action : *actions.extract<Poco::JSON::Array::Ptr>()) {
      if (!action.isString())
        throw crow::ApiError(400, "VALIDATION_ERROR", "[body.permissions] Expected an array of actions");
      if (!allows(role, resource, action.extract<std::string>())) success = false;
    }
  }
  auto json = shapes::newObject();
  json->set("error", Poco::Dynamic::Var());
  json->set("success", success);
  sendJson(response, json);
}

}  // namespace

void sendJson(crow::Response& response, const Poco::Dynamic::Var& value) { response.json(value); }

void registerOrganizationRoutes(crow::InitContext& context, Service& service) {
  auto bind = [&service](void (*handler)(Service&, crow::Request&, crow::Response&)) {
    return [&service, handler](crow::Request& request, crow::Response& response) { handler(service, request, response); };
  };
  using crow::Method;
  context.route(Method::Post, "/organization/create", bind(create), {.summary = "Creates an organization"});
  context.route(Method::Post, "/organization/check-slug", bind(checkSlug), {.summary = "Checks a slug is free"});
  context.route(Method::Post, "/organization/set-active", bind(setActive), {.summary = "Sets the active organization"});
  context.route(Method::Get, "/organization/get-full-organization", bind(getFullOrganization),
                {.summary = "An organization with its members and invitations"});
  context.route(Method::Get, "/organization/get-organization", bind(getOrganization), {.summary = "An organization"});
  context.route(Method::Get, "/organization/list", bind(list), {.summary = "The caller's organizations"});
  context.route(Method::Post, "/organization/update", bind(update), {.summary = "Updates an organization"});
  context.route(Method::Post, "/organization/delete", bind(remove), {.summary = "Deletes an organization"});
  context.route(Method::Post, "/organization/has-permission", bind(hasPermission),
                {.summary = "Whether the caller's role allows the given actions"});
}

}  // namespace organization
