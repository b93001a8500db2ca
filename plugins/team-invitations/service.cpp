#include "service.hpp"

#include "error_codes.hpp"
#include "input.hpp"

#include <crow/error.hpp>

#include <random>

namespace team_invitations {

std::string newId() {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  thread_local std::random_device random;
  std::uniform_int_distribution<size_t> pick(0, sizeof(kAlphabet) - 2);
  std::string id(32, '\0');
  for (char& c : id) c = kAlphabet[pick(random)];
  return id;
}

std::string text(const crow::Row& row, const std::string& name) {
  return crow::asString(crow::field(row, name)).value_or("");
}

Actor Service::requireActor(const crow::Request& request) const {
  Actor actor{sessions.require(request), {}, {}};
  const std::string orgId = text(actor.session.session, "activeOrganizationId");
  if (orgId.empty()) throw crow::ApiError(400, errors::kNoActiveOrganization);
  auto organization = store.findOne(kOrganizationTable, {crow::eq("id", orgId)});
  if (!organization) throw crow::ApiError(400, errors::kNoActiveOrganization);
  auto member = store.findOne(kMemberTable, {crow::eq("organizationId", orgId), crow::eq("userId", text(actor.session.user, "id"))});
  if (!member) throw crow::ApiError(403, errors::kNotAMember);
  actor.organization = std::move(*organization);
  actor.member = std::move(*member);
  return actor;
}

crow::Row Service::requireInvitation(crow::Store& s, const Actor& actor, const std::string& invitationId) const {
  organization::input::checkLookup(invitationId, "body.invitationId");
  auto invitation = s.findOne(kInvitationTable, {crow::eq("id", invitationId), crow::eq("organizationId", actor.organizationId())});
  if (!invitation) throw crow::ApiError(404, errors::kInvitationNotFound);
  return *invitation;
}

}  // namespace team_invitations
