// invitation_routes.cpp - invitations (Better Auth's routes/crud-invites.ts). An invitation moves
// from pending to accepted, rejected or canceled once: each move is a conditional update
// (`status = 'pending' AND expiresAt > now`) inside the transaction that acts on it, so parallel
// accepts give exactly one member.
#include "error_codes.hpp"
#include "input.hpp"
#include "locks.hpp"
#include "roles.hpp"
#include "routes.hpp"
#include "shapes.hpp"

#include <crow/error.hpp>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Stringifier.h>

#include <sstream>

namespace organization {

namespace {

constexpr const char* kPending = "pending";

std::string lower(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

bool isOpen(const crow::Row& invitation, crow::Timestamp now) {
  auto expires = crow::asTimestamp(crow::field(invitation, "expiresAt"));
  return Service::text(invitation, "status") == kPending && expires && *expires > now;
}

// The pending -> `status` move, only while still pending and unexpired.
std::optional<crow::Row> transition(crow::Store& tx, const std::string& id, const std::string& status,
                                    crow::Timestamp now) {
  return tx.update(kInvitationTable,
                   {crow::eq("id", id), crow::eq("status", std::string(kPending)),
                    crow::Where{"expiresAt", crow::Op::Gt, now, {}, crow::Connector::And}},
                   {{"status", status}});
}

// An open invitation addressed to the caller (shared by get/accept/reject).
crow::Row invitationForRecipient(Service& s, const std::string& id, const crow::CurrentSession& session,
                                 const crow::ApiError& notFound, bool needsVerifiedEmail) {
  input::checkLookup(id, "invitationId");
  auto invitation = s.store.findOne(kInvitationTable, {crow::eq("id", id)});
  if (!invitation || !isOpen(*invitation, s.clock.now())) throw notFound;
  if (lower(Service::text(*invitation, "email")) != lower(Service::text(session.user, "email")))
    throw crow::ApiError(403, errors::kNotRecipient);
  if (needsVerifiedEmail && s.options.requireEmailVerificationOnInvitation &&
      !crow::asBool(crow::field(session.user, "emailVerified")).value_or(false))
    throw crow::ApiError(403, errors::kVerificationRequired);
  return *invitation;
}

void enqueueInvitationEmail(Service& s, crow::Store& tx, const crow::Row& invitation, const crow::Row& organization,
                            const crow::Row& inviter) {
  if (!s.notificationConfigured) return;
  const std::string id = Service::text(invitation, "id");
  const std::string base =
      s.options.invitationLinkBase.empty() ? s.settings.baseURL + "/accept-invitation" : s.options.invitationLinkBase;
  auto payload = shapes::newObject();
  payload->set("type", "organization-invitation");
  payload->set("to", Service::text(invitation, "email"));
  payload->set("url", base + "/" + id);
  payload->set("invitationId", id);
  payload->set("role", Service::text(invitation, "role"));
  payload->set("expiresAt", shapes::value(invitation, "expiresAt"));
  auto org = shapes::newObject();
  org->set("id", shapes::value(organization, "id"));
  org->set("name", shapes::value(organization, "name"));
  org->set("slug", shapes::value(organization, "slug"));
  payload->set("organization", org);
  auto from = shapes::newObject();
  from->set("id", shapes::value(inviter, "id"));
  from->set("name", shapes::value(inviter, "name"));
  from->set("email", shapes::value(inviter, "email"));
  payload->set("inviter", from);
  std::ostringstream out;
  Poco::JSON::Stringifier::condense(payload, out);
  s.outbox.enqueue(tx, {"notification", "/v1/emails", id, "email.organization-invitation", out.str(), {}});
}

void inviteMember(Service& s, crow::Request& request, crow::Response& response) {
  auto session = s.requireSession(request);
  auto body = input::body(request);
  const std::string email = input::email(input::requiredString(*body, "email"));
  if (!body->has("role")) throw crow::ApiError(400, "VALIDATION_ERROR", "[body.role] Role is required");
  const std::string role = parseRoleInput(body->get("role"));
  const bool resend = input::optionalBool(*body, "resend", false);
  auto orgId = input::optionalString(*body, "organizationId");
  if (!orgId) orgId = Service::activeOrganizationId(session);
  if (!orgId) throw crow::ApiError(400, errors::kNotFound);
  input::checkLookup(*orgId, "body.organizationId");

  auto caller = s.findMember(s.store, *orgId, Service::text(session.user, "id"));
  if (!caller) throw crow::ApiError(400, errors::kMemberNotFound);
  const std::string callerRole = Service::text(*caller, "role");
  if (!allows(callerRole, "invitation", "create")) throw crow::ApiError(403, errors::kNotAllowedToInvite);
  if (hasRole(role, s.options.creatorRole) && !hasRole(callerRole, s.options.creatorRole))
    throw crow::ApiError(403, errors::kNotAllowedRole);
  auto organization = s.findOrganization(s.store, *orgId);
  if (!organization) throw crow::ApiError(400, errors::kNotFound);
  if (auto user = s.store.findOne("user", {crow::eq("email", email)}))
    if (s.findMember(s.store, *orgId, Service::text(*user, "id"))) throw crow::ApiError(400, errors::kAlreadyMember);

  // Check and insert under the organization's lock: two parallel invites of one email give one
  // pending invitation, the second gets USER_IS_ALREADY_INVITED_TO_THIS_ORGANIZATION.
  std::optional<crow::Row> created;
  s.store.transaction([&](crow::Store& tx) {
    if (!lockOrganization(tx, *orgId)) throw crow::ApiError(400, errors::kNotFound);
    const crow::Timestamp now = s.clock.now();
    const crow::Timestamp expiresAt{now.epochMs + s.options.invitationExpiresInS * 1000};
    crow::FindOptions pendingFind;
    pendingFind.where = {crow::eq("organizationId", *orgId), crow::eq("email", email),
                         crow::eq("status", std::string(kPending))};
    std::vector<crow::Row> open;
    for (auto& inv : tx.findMany(kInvitationTable, pendingFind))
      if (isOpen(inv, now)) open.push_back(inv);
    if (!open.empty() && resend) {  // a fresh expiry and the email again
      created = tx.update(kInvitationTable, {crow::eq("id", Service::text(open.front(), "id"))}, {{"expiresAt", expiresAt}});
      if (!created) throw crow::ApiError(400, errors::kInvitationNotFound);
      enqueueInvitationEmail(s, tx, *created, *organization, session.user);
      return;
    }
    if (!open.empty() && !s.options.cancelPendingInvitationsOnReInvite) throw crow::ApiError(400, errors::kAlreadyInvited);
    if (tx.count(kInvitationTable, {crow::eq("organizationId", *orgId), crow::eq("status", std::string(kPending))}) -
            static_cast<int64_t>(open.size()) >=
        s.options.invitationLimit)
      throw crow::ApiError(403, errors::kInvitationLimit);
    for (const auto& inv : open)
      tx.update(kInvitationTable, {crow::eq("id", Service::text(inv, "id"))}, {{"status", std::string("canceled")}});
    created = tx.create(kInvitationTable, {{"id", newId()},
                                           {"organizationId", *orgId},
                                           {"email", email},
                                           {"role", role},
                                           {"status", std::string(kPending)},
                                           {"expiresAt", expiresAt},
                                           {"createdAt", now},
                                           {"inviterId", Service::text(session.user, "id")}});
    enqueueInvitationEmail(s, tx, *created, *organization, session.user);
  });
  sendJson(response, shapes::invitation(*created));
}

void getInvitation(Service& s, crow::Request& request, crow::Response& response) {
  auto session = s.requireSession(request);
  auto id = request.query("id");
  if (!id || id->empty()) throw crow::ApiError(400, "VALIDATION_ERROR", "[query.id] Expected string, received undefined");
  auto invitation = invitationForRecipient(s, *id, session, crow::ApiError(400, errors::kInvitationNotFound), false);
  const std::string orgId = Service::text(invitation, "organizationId");
  auto organization = s.findOrganization(s.store, orgId);
  if (!organization) throw crow::ApiError(400, errors::kNotFound);
  const std::string inviterId = Service::text(invitation, "inviterId");
  auto inviterMember = s.findMember(s.store, orgId, inviterId);
  auto inviter = s.findUser(s.store, inviterId);
  if (!inviterMember || !inviter) throw crow::ApiError(400, errors::kInviterGone);
  auto json = shapes::invitation(invitation);
  json->set("organizationName", shapes::value(*organization, "name"));
  json->set("organizationSlug", shapes::value(*organization, "slug"));
  json->set("inviterEmail", shapes::value(*inviter, "email"));
  sendJson(response, json);
}

void acceptInvitation(Service& s, crow::Request& request, crow::Response& response) {
  auto session = s.requireSession(request);
  auto body = input::body(request);
  const std::string id = input::requiredString(*body, "invitationId");
  auto invitation = invitationForRecipient(s, id, session, crow::ApiError(400, errors::kInvitationNotFound), true);
  const std::string orgId = Service::text(invitation, "organizationId");
  const std::string userId = Service::text(session.user, "id");
  std::optional<crow::Row> accepted;
  crow::Row member;
  s.store.transaction([&](crow::Store& tx) {
    // The write comes first: it takes the write lock, so the checks below see every earlier accept.
    accepted = transition(tx, id, "accepted", s.clock.now());
    if (!accepted) throw crow::ApiError(400, errors::kInvitationNotFound);
    if (s.findMember(tx, orgId, userId)) throw crow::ApiError(400, errors::kAlreadyMember);
    if (tx.count(kMemberTable, {crow::eq("organizationId", orgId)}) >= s.options.membershipLimit)
      throw crow::ApiError(403, errors::kMembershipLimit);
    member = tx.create(kMemberTable, {{"id", newId()},
                                      {"organizationId", orgId},
                                      {"userId", userId},
                                      {"role", Service::text(invitation, "role").empty() ? std::string("member")
                                                                                         : Service::text(invitation, "role")},
                                      {"createdAt", s.clock.now()}});
    s.setActiveOrganization(tx, session, orgId);
    s.sync.memberAdded(tx, member, session.user);
  });
  auto json = shapes::newObject();
  json->set("invitation", shapes::invitation(*accepted));
  json->set("member", shapes::member(member));
  sendJson(response, json);
}

void rejectInvitation(Service& s, crow::Request& request, crow::Response& response) {
  auto session = s.requireSession(request);
  auto body = input::body(request);
  const std::string id = input::requiredString(*body, "invitationId");
  const crow::ApiError notFound(400, "INVITATION_NOT_FOUND", "Invitation not found!");
  invitationForRecipient(s, id, session, notFound, true);
  auto rejected = transition(s.store, id, "rejected", s.clock.now());
  if (!rejected) throw notFound;
  auto json = shapes::newObject();
  json->set("invitation", shapes::invitation(*rejected));
  json->set("member", Poco::Dynamic::Var());
  sendJson(response, json);
}

void cancelInvitation(Service& s, crow::Request& request, crow::Response& response) {
  auto session = s.requireSession(request);
  auto body = input::body(request);
  const std::string id = input::requiredString(*body, "invitationId");
  input::checkLookup(id, "body.invitationId");
  auto invitation = s.store.findOne(kInvitationTable, {crow::eq("id", id)});
  if (!invitation) throw crow::ApiError(400, errors::kInvitationNotFound);
  auto caller = s.findMember(s.store, Service::text(*invitation, "organizationId"), Service::text(session.user, "id"));
  if (!caller) throw crow::ApiError(400, errors::kMemberNotFound);
  if (!allows(Service::text(*caller, "role"), "invitation", "cancel"))
    throw crow::ApiError(403, errors::kNotAllowedToCancel);
  auto canceled = s.store.update(kInvitationTable, {crow::eq("id", id), crow::eq("status", std::string(kPending))},
                                 {{"status", std::string("canceled")}});
  if (!canceled) throw crow::ApiError(400, errors::kInvitationNotFound);
  sendJson(response, shapes::invitation(*canceled));
}

void listInvitations(Service& s, crow::Request& request, crow::Response& response) {
  auto session = s.requireSession(request);
  auto orgId = request.query("organizationId");
  if (!orgId || orgId->empty()) orgId = Service::activeOrganizationId(session);
  if (!orgId) throw crow::ApiError(400, errors::kNoActiveOrganization);
  input::checkLookup(*orgId, "query.organizationId");
  auto caller = s.findMember(s.store, *orgId, Service::text(session.user, "id"));
  // The reference answers this one without a code.
  if (!caller) throw crow::ApiError(403, "", std::string(errors::kNotAMember.message));
  if (!allows(Service::text(*caller, "role"), "invitation", "create")) throw crow::ApiError(403, errors::kNotAllowedToList);
  crow::FindOptions find;
  find.where = {crow::eq("organizationId", *orgId)};
  find.sortBy = crow::SortBy{"createdAt", false};
  Poco::JSON::Array::Ptr out = new Poco::JSON::Array();
  for (const auto& inv : s.store.findMany(kInvitationTable, find)) out->add(shapes::invitation(inv));
  sendJson(response, out);
}

void listUserInvitations(Service& s, crow::Request& request, crow::Response& response) {
  auto session = s.requireSession(request);
  // Better Auth 1.7 lists invitations for the session's email only once that email is verified.
  if (!crow::asBool(crow::field(session.user, "emailVerified")).value_or(false))
    throw crow::ApiError(403, errors::kVerificationRequiredToList);
  crow::FindOptions find;
  find.where = {crow::eq("email", lower(Service::text(session.user, "email"))), crow::eq("status", std::string(kPending))};
  find.sortBy = crow::SortBy{"createdAt", false};
  const crow::Timestamp now = s.clock.now();
  Poco::JSON::Array::Ptr out = new Poco::JSON::Array();
  for (const auto& inv : s.store.findMany(kInvitationTable, find)) {
    if (!isOpen(inv, now)) continue;
    auto json = shapes::invitation(inv);
    if (auto org = s.findOrganization(s.store, Service::text(inv, "organizationId")))
      json->set("organizationName", shapes::value(*org, "name"));
    out->add(json);
  }
  sendJson(response, out);
}

}  // namespace

void registerInvitationRoutes(crow::InitContext& context, Service& service) {
  auto bind = [&service](void (*handler)(Service&, crow::Request&, crow::Response&)) {
    return [&service, handler](crow::Request& request, crow::Response& response) { handler(service, request, response); };
  };
  using crow::Method;
  context.route(Method::Post, "/organization/invite-member", bind(inviteMember), {.summary = "Invites a user by email"});
  context.route(Method::Get, "/organization/get-invitation", bind(getInvitation), {.summary = "An invitation, for its recipient"});
  context.route(Method::Post, "/organization/accept-invitation", bind(acceptInvitation), {.summary = "Accepts an invitation"});
  context.route(Method::Post, "/organization/reject-invitation", bind(rejectInvitation), {.summary = "Rejects an invitation"});
  context.route(Method::Post, "/organization/cancel-invitation", bind(cancelInvitation), {.summary = "Cancels an invitation"});
  context.route(Method::Get, "/organization/list-invitations", bind(listInvitations),
                {.summary = "An organization's invitations"});
  context.route(Method::Get, "/organization/list-user-invitations", bind(listUserInvitations),
                {.summary = "The caller's pending invitations"});
}

}  // namespace organization
