// error_codes.hpp - the codes this plugin sends. Those shared with the organization plugin keep
// its (Better Auth's) messages; never rename one.
#pragma once

#include <crow/error.hpp>

namespace team_invitations::errors {

using crow::ErrorCode;

inline constexpr ErrorCode kNoActiveOrganization{"NO_ACTIVE_ORGANIZATION", "No active organization"};
inline constexpr ErrorCode kNotAMember{"YOU_ARE_NOT_A_MEMBER_OF_THIS_ORGANIZATION",
                                       "You are not a member of this organization"};
inline constexpr ErrorCode kNotAllowedToInvite{"YOU_ARE_NOT_ALLOWED_TO_INVITE_USERS_TO_THIS_ORGANIZATION",
                                               "You are not allowed to invite users to this organization"};
inline constexpr ErrorCode kNotAllowedRole{"YOU_ARE_NOT_ALLOWED_TO_INVITE_USER_WITH_THIS_ROLE",
                                           "You are not allowed to invite a user with this role"};
inline constexpr ErrorCode kNotAllowedToCancel{"YOU_ARE_NOT_ALLOWED_TO_CANCEL_THIS_INVITATION",
                                               "You are not allowed to cancel this invitation"};
inline constexpr ErrorCode kInvitationNotFound{"INVITATION_NOT_FOUND", "Invitation not found"};
inline constexpr ErrorCode kResendTooSoon{"INVITATION_RESENT_TOO_RECENTLY",
                                          "This invitation was sent too recently; try again later"};

}  // namespace team_invitations::errors
