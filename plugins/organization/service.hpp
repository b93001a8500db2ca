// service.hpp - what the route handlers share: the host's services, the options, and the lookups
// every route repeats (session, membership, organization, active organization).
#pragma once

#include "options.hpp"
#include "sync.hpp"

#include <crow/context.hpp>
#include <crow/sessions.hpp>
#include <crow/store.hpp>

#include <Poco/JSON/Array.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace organization {

inline constexpr const char* kPluginId = "organization";
inline constexpr const char* kPluginVersion = "1.0.0";
inline constexpr const char* kOrganizationTable = "organization";
inline constexpr const char* kMemberTable = "member";
inline constexpr const char* kInvitationTable = "invitation";

/// Better Auth's ids: 32 random characters of [A-Za-z0-9].
std::string newId();

struct Service {
  crow::Store& store;
  const crow::Clock& clock;
  crow::Sessions& sessions;
  crow::Outbox& outbox;
  Options options;
  crow::Settings settings;
  Sync sync;
  bool notificationConfigured = false;
  /// InitContext::inboundCaller: the service a presented X-Service-API-Key belongs to.
  std::function<std::optional<std::string>(std::string_view)> inboundCaller;

  /// The caller's session, or 401 UNAUTHORIZED.
  crow::CurrentSession requireSession(const crow::Request& request) const;

  static std::string text(const crow::Row& row, const std::string& name);
  static std::optional<std::string> activeOrganizationId(const crow::CurrentSession& session);

  std::optional<crow::Row> findMember(crow::Store& s, const std::string& organizationId,
                                      const std::string& userId) const;
  std::optional<crow::Row> findOrganization(crow::Store& s, const std::string& id) const;
  std::optional<crow::Row> findOrganizationBySlug(crow::Store& s, const std::string& slug) const;
  std::optional<crow::Row> findUser(crow::Store& s, const std::string& id) const;
  /// The members as Better Auth lists them, each with `user: {id, name, email, image}`, in the
  /// given order; one query for all their users. A member whose user is gone is left out.
  Poco::JSON::Array::Ptr membersWithUsers(crow::Store& s, const std::vector<crow::Row>& members) const;
  /// How many members of the organization hold the creator role (owner).
  int64_t countOwners(crow::Store& s, const std::string& organizationId) const;
  /// Writes session.activeOrganizationId (null: none) on the caller's session row.
  void setActiveOrganization(crow::Store& s, const crow::CurrentSession& session,
                             const std::optional<std::string>& organizationId) const;
  /// Clears activeOrganizationId on every session of `userId` that points at the organization.
  void clearActiveOrganizationFor(crow::Store& s, const std::string& userId, const std::string& organizationId) const;

  /// The organization a request names: `organizationId`, else `organizationSlug` (looked up),
  /// else the session's active one; nullopt when none. A slug that names nothing gives 400
  /// ORGANIZATION_NOT_FOUND.
  std::optional<std::string> targetOrganization(const std::optional<std::string>& id,
                                                const std::optional<std::string>& slug,
                                                const crow::CurrentSession& session) const;
};

}  // namespace organization
