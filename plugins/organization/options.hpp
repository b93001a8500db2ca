// options.hpp - the organization plugin's `config:` block (README.md lists every key).
#pragma once

#include <crow/config.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace organization {

struct SyncOptions {
  bool enabled = true;
  /// Appended to the organization service's url (services.organization.url).
  std::string organizationServicePath = "/v1/organizations/events";
  /// Appended to the user service's url (services.user.url).
  std::string userServicePath = "/v1/users/organization-events";
};

/// Defaults are Better Auth's (CONTRACT.md §7) except requireEmailVerificationOnInvitation.
struct Options {
  bool allowUserToCreateOrganization = true;
  std::optional<int64_t> organizationLimit;  ///< none: unlimited
  std::string creatorRole = "owner";
  int64_t membershipLimit = 100;
  int64_t invitationLimit = 100;
  int64_t invitationExpiresInS = 172800;  ///< 48 h
  bool cancelPendingInvitationsOnReInvite = false;
  /// Accepting or rejecting an invitation needs a verified email (Better Auth's default is false).
  bool requireEmailVerificationOnInvitation = true;
  /// Where the invitation email's link points: `<invitationLinkBase>/<invitationId>`. Empty means
  /// `<baseURL>/accept-invitation`.
  std::string invitationLinkBase;
  SyncOptions sync;

  static Options read(const crow::ConfigNode& config);
};

}  // namespace organization
