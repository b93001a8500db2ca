// routes.cpp - invite (many emails), list, resend (rate-limited), revoke; all in the caller's
// active organization. Joining stays organization/accept-invitation's job: the email's link
// carries the invitation id to the dashboard, which calls it after sign-up or sign-in.
#include "routes.hpp"

#include "error_codes.hpp"
#include "input.hpp"
#include "locks.hpp"
#include "roles.hpp"
#include "shapes.hpp"

#include <crow/error.hpp>

#include <Poco/JSON/Array.h>

#include <set>

namespace team_invitations {

namespace {

namespace shapes = organization::shapes;
namespace input = organization::input;

void requirePermission(const Actor& actor, const char* action, const crow::ErrorCode& denied) {
  if (!organization::allows(actor.role(), "invitation", action)) throw crow::ApiError(403, denied);
}

// One role of owner/admin/member; only an owner may hand out the owner role.
std::string parseRole(const Poco::JSON::Object& body, const Actor& actor) {
  auto role = input::optionalString(body, "role").value_or("member");
  if (role != "member" && role != "admin" && role != "owner")
    throw crow::ApiError(400, "VALIDATION_ERROR", "[body.role] Expected 'member', 'admin' or 'owner'");
  if (role == "owner" && !organization::hasRole(actor.role(), "owner")) throw crow::ApiError(403, errors::kNotAllowedRole);
  return role;
}

std::vector<std::string> parseEmails(const Poco::JSON::Object& body, int64_t max) {
  const auto invalid = [max] {
    return crow::ApiError(400, "VALIDATION_ERROR", "[body.emails] Expected 1 to " + std::to_string(max) + " strings");
  };
  if (!body.has("emails") || body.get("emails").type() != typeid(Poco::JSON::Array::Ptr)) throw invalid();
  auto array = body.getArray("emails");
  if (!array || array->size() == 0 || static_cast<int64_t>(array->size()) > max) throw invalid();
  std::vector<std::string> out;
  for (size_t i = 0; i < array->size(); ++i) {
    auto item = array->get(static_cast<unsigned>(i));
    if (!item.isString()) throw invalid();
    out.push_back(item.extract<std::string>());
  }
  return out;
}

Poco::JSON::Object::Ptr skippedEntry(const std::string& email, const char* reason) {
  auto o = shapes::newObject();
  // Echo at most 254 bytes: a skipped garbage entry is not worth a large response.
  o->set("email", email.substr(0, 254));
  o->set("reason", reason);
  return o;
}

bool openPendingExists(crow::Store& tx, const std::string& orgId, const std::string& email, crow::Timestamp now) {
  return tx.count(kInvitationTable, {crow::eq("organizationId", orgId), crow::eq("email", email),
                                     crow::eq("status", std::string(kPending)),
                                     crow::Where{"expiresAt", crow::Op::Gt, now, {}, crow::Connector::And}}) > 0;
}

bool isMember(crow::Store& tx, const std::string& orgId, const std::string& email) {
  auto user = tx.findOne("user", {crow::eq("email", email)});
  return user && tx.findOne(kMemberTable, {crow::eq("organizationId", orgId), crow::eq("userId", text(*user, "id"))});
}

void invite(const Service& s, crow::Request& request, crow::Response& response) {
  Actor actor = s.requireActor(request);
  requirePermission(actor, "create", errors::kNotAllowedToInvite);
  auto body = input::body(request);
  const std::string role = parseRole(*body, actor);
  const auto emails = parseEmails(*body, s.options.maxEmailsPerRequest);
  const std::string orgId = actor.organizationId();

  Poco::JSON::Array::Ptr created = new Poco::JSON::Array();
  Poco::JSON::Array::Ptr skipped = new Poco::JSON::Array();
  s.store.transaction([&](crow::Store& tx) {
    // The organization's lock first: parallel invites of one email (here or through
    // organization/invite-member) see each other's invitation and create one.
    if (!organization::lockOrganization(tx, orgId)) throw crow::ApiError(400, errors::kNoActiveOrganization);
    const crow::Timestamp now = s.clock.now();
    const crow::Timestamp expiresAt{now.epochMs + s.options.invitationExpiresInS * 1000};
    std::set<std::string> seen;
    for (const auto& raw : emails) {
      std::string email;
      try {
        email = input::email(raw);
      } catch (const crow::ApiError&) {
        skipped->add(skippedEntry(raw, "invalid_email"));
        continue;
      }
      if (!seen.insert(email).second) { skipped->add(skippedEntry(email, "duplicate")); continue; }
      if (isMember(tx, orgId, email)) { skipped->add(skippedEntry(email, "already_member")); continue; }
      if (openPendingExists(tx, orgId, email, now)) { skipped->add(skippedEntry(email, "already_invited")); continue; }
      crow::Row invitation = tx.create(kInvitationTable, {{"id", newId()},
                                                          {"organizationId", orgId},
                                                          {"email", email},
                                                          {"role", role},
                                                          {"status", std::string(kPending)},
                                                          {"expiresAt", expiresAt},
                                                          {"createdAt", now},
                                                          {"inviterId", text(actor.session.user, "id")}});
      tx.create(kSendTable, {{"id", text(invitation, "id")}, {"lastSentAt", now}});
      s.enqueueEmail(tx, invitation, actor);
      created->add(shapes::invitation(invitation));
    }
  });
  auto out = shapes::newObject();
  out->set("invitations", created);
  out->set("skipped", skipped);
  response.json(out);
}

void list(const Service& s, crow::Request& request, crow::Response& response) {
  Actor actor = s.requireActor(request);
  requirePermission(actor, "create", errors::kNotAllowedToInvite);
  crow::FindOptions find;
  find.where = {crow::eq("organizationId", actor.organizationId()), crow::eq("status", std::string(kPending)),
                crow::Where{"expiresAt", crow::Op::Gt, s.clock.now(), {}, crow::Connector::And}};
  find.sortBy = crow::SortBy{"createdAt", false};
  Poco::JSON::Array::Ptr invitations = new Poco::JSON::Array();
  for (const auto& row : s.store.findMany(kInvitationTable, find)) invitations->add(shapes::invitation(row));
  auto out = shapes::newObject();
  out->set("invitations", invitations);
  response.json(out);
}

// Claims the right to send now: moves lastSentAt forward only when the interval has passed, in
// one conditional statement, so two parallel resends send one email. Returns the seconds to wait
// when it is too soon.
std::optional<int64_t> claimSend(const Service& s, crow::Store& tx, const std::string& id, crow::Timestamp now) {
  const int64_t intervalMs = s.options.resendIntervalS * 1000;
  const crow::Timestamp earliestPrevious{now.epochMs - intervalMs};
  if (tx.update(kSendTable, {crow::eq("id", id), crow::Where{"lastSentAt", crow::Op::Lte, earliestPrevious, {}, crow::Connector::And}},
                {{"lastSentAt", now}}))
    return std::nullopt;
  if (auto row = tx.findOne(kSendTable, {crow::eq("id", id)})) {
    const int64_t last = crow::asTimestamp(crow::field(*row, "lastSentAt")).value_or(now).epochMs;
    return std::max<int64_t>(1, (last + intervalMs - now.epochMs + 999) / 1000);
  }
  // Invited through organization/invite-member: no send recorded yet.
  tx.create(kSendTable, {{"id", id}, {"lastSentAt", now}});
  return std::nullopt;
}

void resend(const Service& s, crow::Request& request, crow::Response& response) {
  Actor actor = s.requireActor(request);
  requirePermission(actor, "create", errors::kNotAllowedToInvite);
  auto body = input::body(request);
  const std::string id = input::requiredString(*body, "invitationId");
  crow::Row invitation = s.requireInvitation(s.store, actor, id);
  if (text(invitation, "status") != kPending) throw crow::ApiError(404, errors::kInvitationNotFound);
  if (organization::hasRole(text(invitation, "role"), "owner") && !organization::hasRole(actor.role(), "owner"))
    throw crow::ApiError(403, errors::kNotAllowedRole);

  std::optional<crow::Row> renewed;
  std::optional<int64_t> retryAfter;
  s.store.transaction([&](crow::Store& tx) {
    const crow::Timestamp now = s.clock.now();
    // The conditional write first: it takes the write lock, so parallel resends queue behind it.
    retryAfter = claimSend(s, tx, id, now);
    if (retryAfter) return;
    renewed = tx.update(kInvitationTable, {crow::eq("id", id), crow::eq("status", std::string(kPending))},
                        {{"expiresAt", crow::Timestamp{now.epochMs + s.options.invitationExpiresInS * 1000}}});
    if (!renewed) throw crow::ApiError(404, errors::kInvitationNotFound);
    s.enqueueEmail(tx, *renewed, actor);
  });
  if (retryAfter)
    throw crow::ApiError(429, errors::kResendTooSoon).withHeader("X-Retry-After", std::to_string(*retryAfter));
  response.json(shapes::invitation(*renewed));
}

void revoke(const Service& s, crow::Request& request, crow::Response& response) {
  Actor actor = s.requireActor(request);
  requirePermission(actor, "cancel", errors::kNotAllowedToCancel);
  auto body = input::body(request);
  const std::string id = input::requiredString(*body, "invitationId");
  s.requireInvitation(s.store, actor, id);
  std::optional<crow::Row> canceled;
  s.store.transaction([&](crow::Store& tx) {
    canceled = tx.update(kInvitationTable, {crow::eq("id", id), crow::eq("status", std::string(kPending))},
                         {{"status", std::string("canceled")}});
    if (canceled) tx.remove(kSendTable, {crow::eq("id", id)});
  });
  if (!canceled) throw crow::ApiError(404, errors::kInvitationNotFound);
  auto out = shapes::newObject();
  out->set("invitation", shapes::invitation(*canceled));
  response.json(out);
}

}  // namespace

void registerRoutes(crow::InitContext& context, const Service& service) {
  auto bind = [&service](void (*handler)(const Service&, crow::Request&, crow::Response&)) {
    return [&service, handler](crow::Request& request, crow::Response& response) { handler(service, request, response); };
  };
  using crow::Method;
  context.route(Method::Post, "/team-invitations/invite", bind(invite), {.summary = "Invites several emails to the active organization"});
  context.route(Method::Get, "/team-invitations/list", bind(list), {.summary = "The active organization's pending invitations"});
  context.route(Method::Post, "/team-invitations/resend", bind(resend), {.summary = "Sends an invitation's email again (rate-limited)"});
  context.route(Method::Post, "/team-invitations/revoke", bind(revoke), {.summary = "Cancels a pending invitation"});
}

}  // namespace team_invitations
