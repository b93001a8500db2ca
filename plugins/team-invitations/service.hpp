// service.hpp - what the route handlers share: the host's services, the options, and the lookups
// every route repeats (caller, active organization, its membership, a scoped invitation).
#pragma once

#include "options.hpp"

#include <crow/context.hpp>
#include <crow/services.hpp>
#include <crow/sessions.hpp>
#include <crow/store.hpp>

#include <optional>
#include <string>

namespace team_invitations {

inline constexpr const char* kPluginId = "team-invitations";
inline constexpr const char* kPluginVersion = "1.0.0";
// The organization plugin's tables (declared there).
inline constexpr const char* kOrganizationTable = "organization";
inline constexpr const char* kMemberTable = "member";
inline constexpr const char* kInvitationTable = "invitation";
// This plugin's one table: when each invitation's email was last written to the outbox.
inline constexpr const char* kSendTable = "teamInvitationSend";
inline constexpr const char* kPending = "pending";

/// Better Auth's ids: 32 random characters of [A-Za-z0-9].
std::string newId();
std::string text(const crow::Row& row, const std::string& name);

/// Who acts and where: the caller's session, the active organization and the caller's member row.
struct Actor {
  crow::CurrentSession session;
  crow::Row organization;
  crow::Row member;
  std::string organizationId() const { return text(organization, "id"); }
  std::string role() const { return text(member, "role"); }
};

struct Service {
  crow::Store& store;
  const crow::Clock& clock;
  crow::Sessions& sessions;
  crow::Outbox& outbox;
  Options options;
  bool notificationConfigured = false;

  /// The session (401), its active organization (400 NO_ACTIVE_ORGANIZATION) and the caller's
  /// membership in it (403 YOU_ARE_NOT_A_MEMBER_OF_THIS_ORGANIZATION).
  Actor requireActor(const crow::Request& request) const;
  /// An invitation of the actor's organization, or 404 INVITATION_NOT_FOUND (also for ids of
  /// other organizations, so nothing about them leaks).
  crow::Row requireInvitation(crow::Store& s, const Actor& actor, const std::string& invitationId) const;
  /// Writes the invitation email to the outbox through `tx` (nothing without a notification url).
  void enqueueEmail(crow::Store& tx, const crow::Row& invitation, const Actor& actor) const;
};

}  // namespace team_invitations
