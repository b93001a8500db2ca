// routes.hpp - the three groups of endpoints (paths below the host's base path).
#pragma once

#include "service.hpp"

namespace organization {

/// create, check-slug, set-active, get-full-organization, get-organization, list, update, delete,
/// has-permission.
void registerOrganizationRoutes(crow::InitContext& context, Service& service);
/// list-members, remove-member, update-member-role, leave, get-active-member,
/// get-active-member-role.
void registerMemberRoutes(crow::InitContext& context, Service& service);
/// invite-member, get-invitation, accept-invitation, reject-invitation, cancel-invitation,
/// list-invitations, list-user-invitations.
void registerInvitationRoutes(crow::InitContext& context, Service& service);

/// Sends a JSON object, array or null.
void sendJson(crow::Response& response, const Poco::Dynamic::Var& value);

}  // namespace organization
