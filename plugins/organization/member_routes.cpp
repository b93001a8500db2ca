// member_routes.cpp - members of an organization (Better Auth's routes/crud-members.ts).
#include "error_codes.hpp"
#include "input.hpp"
#include "roles.hpp"
#include "routes.hpp"
#include "shapes.hpp"

#include <crow/error.hpp>

#include <Poco/JSON/Array.h>

#include <algorithm>

namespace organization {

namespace {

[[noreturn]] void invalidQuery(const std::string& name, const std::string& why) {
  throw crow::ApiError(400, "VALIDATION_ERROR", "[query." + name + "] " + why);
}

int64_t queryInt(const crow::Request& request, const std::string& name, int64_t fallback) {
  auto raw = request.query(name);
  if (!raw || raw->empty()) return fallback;
  if (raw->size() > 9 || raw->find_first_not_of("0123456789") != std::string::npos)
    invalidQuery(name, "Expected a non-negative integer");
  return std::stoll(*raw);
}

std::string oneOf(const crow::Request& request, const std::string& name, std::initializer_list<std::string_view> allowed,
                  std::string fallback) {
  auto raw = request.query(name);
  if (!raw || raw->empty()) return fallback;
  if (std::find(allowed.begin(), allowed.end(), *raw) == allowed.end()) invalidQuery(name, "Invalid value");
  return *raw;
}

std::optional<std::string> bodyOrganization(const Poco::JSON::Object& body, const crow::CurrentSession& session) {
  auto id = input::optionalString(body, "organizationId");
  if (!id) id = Service::activeOrganizationId(session);
  if (id) input::checkLookup(*id, "body.organizationId");
  return id;
}

void listMembers(Service& s, crow::Request& request, crow::Response& response) {
  auto session = s.requireSession(request);
  auto orgId = s.targetOrganization(request.query("organizationId"), request.query("organizationSlug"), session);
  if (!orgId) throw crow::ApiError(400, errors::kNoActiveOrganization);
  if (!s.findMember(s.store, *orgId, Service::text(session.user, "id")))
    throw crow::ApiError(403, errors::kNotAMember);

  std::vector<crow::Where> where{crow::eq("organizationId", *orgId)};
  if (auto field = request.query("filterField"); field && !field->empty()) {
    const std::string f = oneOf(request, "filterField", {"id", "userId", "role", "createdAt"}, "");
    const std::string op = oneOf(request, "filterOperator", {"eq", "ne", "lt", "lte", "gt", "gte", "contains"}, "eq");
    const std::string value = request.query("filterValue").value_or("");
    input::checkLookup(value, "query.filterValue");
    static const std::map<std::string, crow::Op> ops{{"eq", crow::Op::Eq},   {"ne", crow::Op::Ne},   {"lt", crow::Op::Lt},
                                                     {"lte", crow::Op::Lte}, {"gt", crow::Op::Gt},   {"gte", crow::Op::Gte},
                                                     {"contains", crow::Op::Contains}};
    crow::Value v = value;
    if (f == "createdAt") {
      auto t = crow::parseIsoString(value);
      if (!t) invalidQuery("filterValue", "Expected an ISO date");
      v = *t;
    }
    where.push_back(crow::Where{f, ops.at(op), v, {}, crow::Connector::And});
  }
  crow::FindOptions find;
  find.where = where;
  find.sortBy = crow::SortBy{oneOf(request, "sortBy", {"createdAt", "role", "userId", "id"}, "createdAt"),
                             oneOf(request, "sortDirection", {"asc", "desc"}, "asc") == "desc"};
  find.limit = std::min(queryInt(request, "limit", s.options.membershipLimit), s.options.membershipLimit);
  find.offset = queryInt(request, "offset", 0);
  const auto members = s.store.findMany(kMemberTable, find);
  const int64_t total = s.store.count(kMemberTable, where);

  Poco::JSON::Array::Ptr list = s.membersWithUsers(s.store, members);
  auto json = shapes::newObject();
  json->set("members", list);
  json->set("total", total);
  sendJson(response, json);
}

void removeMember(Service& s, crow::Request& request, crow::Response& response) {
  auto session = s.requireSession(request);
  auto body = input::body(request);
  const std::string target = input::requiredString(*body, "memberIdOrEmail");
  input::checkLookup(target, "body.memberIdOrEmail");
  auto orgId = bodyOrganization(*body, session);
  if (!orgId) throw crow::ApiError(400, errors::kNoActiveOrganization);
  auto caller = s.findMember(s.store, *orgId, Service::text(session.user, "id"));
  if (!caller) throw crow::ApiError(400, errors::kMemberNotFound);

  std::optional<crow::Row> toRemove;
  if (target.find('@') != std::string::npos) {
    std::string email = target;
    for (char& c : email)
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (auto user = s.store.findOne("user", {crow::eq("email", email)}))
      toRemove = s.findMember(s.store, *orgId, Service::text(*user, "id"));
  } else {
    // Scoped to the organization: a member id from another organization is simply not found.
    toRemove = s.store.findOne(kMemberTable, {crow::eq("id", target), crow::eq("organizationId", *orgId)});
  }
  if (!toRemove) throw crow::ApiError(400, errors::kMemberNotFound);
  const std::string callerRole = Service::text(*caller, "role");
  const bool targetIsOwner = hasRole(Service::text(*toRemove, "role"), s.options.creatorRole);
  // Better Auth answers a missing permission here with 401, not 403.
  if (targetIsOwner && !hasRole(callerRole, s.options.creatorRole))
    throw crow::ApiError(401, errors::kNotAllowedToDeleteMember);
  if (!allows(callerRole, "member", "delete")) throw crow::ApiError(401, errors::kNotAllowedToDeleteMember);

  s.store.transaction([&](crow::Store& tx) {
    if (targetIsOwner && s.countOwners(tx, *orgId) <= 1) throw crow::ApiError(400, errors::kOnlyOwner);
    if (tx.remove(kMemberTable, {crow::eq("id", Service::text(*toRemove, "id"))}) == 0)
      throw crow::ApiError(400, errors::kMemberNotFound);
    s.clearActiveOrganizationFor(tx, Service::text(*toRemove, "userId"), *orgId);
    s.sync.memberRemoved(tx, *toRemove, "removed");
  });
  auto json = shapes::newObject();
  json->set("member", shapes::member(*toRemove));
  sendJson(response, json);
}

void updateMemberRole(Service& s, crow::Request& request, crow::Response& response) {
  auto session = s.requireSession(request);
  auto body = input::body(request);
  const std::string memberId = input::requiredString(*body, "memberId");
  input::checkLookup(memberId, "body.memberId");
  if (!body->has("role")) throw crow::ApiError(400, "VALIDATION_ERROR", "[body.role] Role is required");
  const std::string role = parseRoleInput(body->get("role"));
  auto orgId = bodyOrganization(*body, session);
  if (!orgId) throw crow::ApiError(400, errors::kNoActiveOrganization);
  auto caller = s.findMember(s.store, *orgId, Service::text(session.user, "id"));
  if (!caller) throw crow::ApiError(400, errors::kMemberNotFound);
  const std::string callerRole = Service::text(*caller, "role");
  if (!allows(callerRole, "member", "update")) throw crow::ApiError(403, errors::kNotAllowedToUpdateMember);
  auto target = s.store.findOne(kMemberTable, {crow::eq("id", memberId), crow::eq("organizationId", *orgId)});
  if (!target) throw crow::ApiError(400, errors::kMemberNotFound);
  const std::string previousRole = Service::text(*target, "role");
  const bool callerIsOwner = hasRole(callerRole, s.options.creatorRole);
  const bool targetIsOwner = hasRole(previousRole, s.options.creatorRole);
  const bool becomesOwner = hasRole(role, s.options.creatorRole);
  // Only an owner may touch an owner or make one.
  if ((targetIsOwner || becomesOwner) && !callerIsOwner) throw crow::ApiError(403, errors::kNotAllowedToUpdateMember);

  std::optional<crow::Row> updated;
  s.store.transaction([&](crow::Store& tx) {
    if (targetIsOwner && !becomesOwner && s.countOwners(tx, *orgId) <= 1)
      throw crow::ApiError(400, errors::kWithoutOwner);
    updated = tx.update(kMemberTable, {crow::eq("id", memberId), crow::eq("organizationId", *orgId)}, {{"role", role}});
    if (!updated) throw crow::ApiError(400, errors::kMemberNotFound);
    if (previousRole != role) s.sync.memberRoleUpdated(tx, *updated, previousRole);
  });
  sendJson(response, shapes::member(*updated));
}

void leave(Service& s, crow::Request& request, crow::Response& response) {
  auto session = s.requireSession(request);
  auto body = input::body(request);
  const std::string orgId = input::requiredString(*body, "organizationId");
  input::checkLookup(orgId, "body.organizationId");
  const std::string userId = Service::text(session.user, "id");
  auto member = s.findMember(s.store, orgId, userId);
  if (!member) throw crow::ApiError(400, errors::kMemberNotFound);
  const bool isOwner = hasRole(Service::text(*member, "role"), s.options.creatorRole);
  s.store.transaction([&](crow::Store& tx) {
    if (isOwner && s.countOwners(tx, orgId) <= 1) throw crow::ApiError(400, errors::kOnlyOwner);
    if (tx.remove(kMemberTable, {crow::eq("id", Service::text(*member, "id"))}) == 0)
      throw crow::ApiError(400, errors::kMemberNotFound);
    s.clearActiveOrganizationFor(tx, userId, orgId);
    s.sync.memberRemoved(tx, *member, "left");
  });
  sendJson(response, shapes::memberWithUser(*member, session.user));
}

void getActiveMember(Service& s, crow::Request& request, crow::Response& response) {
  auto session = s.requireSession(request);
  auto orgId = Service::activeOrganizationId(session);
  if (!orgId) throw crow::ApiError(400, errors::kNoActiveOrganization);
  auto member = s.findMember(s.store, *orgId, Service::text(session.user, "id"));
  if (!member) throw crow::ApiError(400, errors::kMemberNotFound);
  sendJson(response, shapes::memberWithUser(*member, session.user));
}

void getActiveMemberRole(Service& s, crow::Request& request, crow::Response& response) {
  auto session = s.requireSession(request);
  auto orgId = s.targetOrganization(request.query("organizationId"), request.query("organizationSlug"), session);
  if (!orgId) throw crow::ApiError(400, errors::kNoActiveOrganization);
  auto member = s.findMember(s.store, *orgId, Service::text(session.user, "id"));
  if (!member) throw crow::ApiError(403, errors::kNotAMember);
  if (auto userId = request.query("userId"); userId && !userId->empty()) {
    input::checkLookup(*userId, "query.userId");
    member = s.findMember(s.store, *orgId, *userId);
    if (!member) throw crow::ApiError(400, errors::kMemberNotFound);
  }
  auto json = shapes::newObject();
  json->set("role", Service::text(*member, "role"));
  sendJson(response, json);
}

// Better Auth's addMember is server-only (404 over HTTP). Here a service holding an inbound key
// (`inboundKeys:`, presented as X-Service-API-Key) may call it; anyone else gets the same 404.
void addMember(Service& s, crow::Request& request, crow::Response& response) {
  const std::string* key = request.header("x-service-api-key");
  if (!key || !s.inboundCaller || !s.inboundCaller(*key)) throw crow::ApiError(404, "", "").withoutBody();
  auto body = input::body(request);
  const std::string userId = input::requiredString(*body, "userId");
  input::checkLookup(userId, "body.userId");
  const std::string orgId = input::requiredString(*body, "organizationId");
  input::checkLookup(orgId, "body.organizationId");
  if (!body->has("role")) throw crow::ApiError(400, "VALIDATION_ERROR", "[body.role] Role is required");
  const std::string role = parseRoleInput(body->get("role"));
  auto user = s.findUser(s.store, userId);
  if (!user) throw crow::ApiError(400, "USER_NOT_FOUND", "User not found");
  if (!s.findOrganization(s.store, orgId)) throw crow::ApiError(400, errors::kNotFound);
  crow::Row member;
  s.store.transaction([&](crow::Store& tx) {
    if (s.findMember(tx, orgId, userId)) throw crow::ApiError(400, errors::kAlreadyMember);
    if (tx.count(kMemberTable, {crow::eq("organizationId", orgId)}) >= s.options.membershipLimit)
      throw crow::ApiError(403, errors::kMembershipLimit);
    member = tx.create(kMemberTable, {{"id", newId()},
                                      {"organizationId", orgId},
                                      {"userId", userId},
                                      {"role", role},
                                      {"createdAt", s.clock.now()}});
    s.sync.memberAdded(tx, member, *user);
  });
  sendJson(response, shapes::member(member));
}

}  // namespace

void registerMemberRoutes(crow::InitContext& context, Service& service) {
  auto bind = [&service](void (*handler)(Service&, crow::Request&, crow::Response&)) {
    return [&service, handler](crow::Request& request, crow::Response& response) { handler(service, request, response); };
  };
  using crow::Method;
  context.route(Method::Get, "/organization/list-members", bind(listMembers), {.summary = "Members of an organization"});
  context.route(Method::Post, "/organization/add-member", bind(addMember),
                {.summary = "Adds a user as a member (services with an inbound key only)"});
  context.route(Method::Post, "/organization/remove-member", bind(removeMember), {.summary = "Removes a member"});
  context.route(Method::Post, "/organization/update-member-role", bind(updateMemberRole),
                {.summary = "Changes a member's role"});
  context.route(Method::Post, "/organization/leave", bind(leave), {.summary = "Leaves an organization"});
  context.route(Method::Get, "/organization/get-active-member", bind(getActiveMember),
                {.summary = "The caller's membership in the active organization"});
  context.route(Method::Get, "/organization/get-active-member-role", bind(getActiveMemberRole),
                {.summary = "A member's role in the active organization"});
}

}  // namespace organization
