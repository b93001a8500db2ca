// error_codes.hpp - Better Auth's ORGANIZATION_ERROR_CODES that this plugin sends, with its exact
// messages (CONTRACT.md §11). Part of the HTTP contract: never rename one.
#pragma once

#include <crow/error.hpp>

namespace organization::errors {

using crow::ErrorCode;

inline constexpr ErrorCode kNotAllowedToCreate{"YOU_ARE_NOT_ALLOWED_TO_CREATE_A_NEW_ORGANIZATION",
                                               "You are not allowed to create a new organization"};
inline constexpr ErrorCode kOrganizationLimit{"YOU_HAVE_REACHED_THE_MAXIMUM_NUMBER_OF_ORGANIZATIONS",
                                              "You have reached the maximum number of organizations"};
inline constexpr ErrorCode kAlreadyExists{"ORGANIZATION_ALREADY_EXISTS", "Organization already exists"};
inline constexpr ErrorCode kSlugTaken{"ORGANIZATION_SLUG_ALREADY_TAKEN", "Organization slug already taken"};
inline constexpr ErrorCode kNotFound{"ORGANIZATION_NOT_FOUND", "Organization not found"};
inline constexpr ErrorCode kUserNotMember{"USER_IS_NOT_A_MEMBER_OF_THE_ORGANIZATION",
                                          "User is not a member of the organization"};
inline constexpr ErrorCode kNotAllowedToUpdate{"YOU_ARE_NOT_ALLOWED_TO_UPDATE_THIS_ORGANIZATION",
                                               "You are not allowed to update this organization"};
inline constexpr ErrorCode kNotAllowedToDelete{"YOU_ARE_NOT_ALLOWED_TO_DELETE_THIS_ORGANIZATION",
                                               "You are not allowed to delete this organization"};
inline constexpr ErrorCode kNoActiveOrganization{"NO_ACTIVE_ORGANIZATION", "No active organization"};
inline constexpr ErrorCode kAlreadyMember{"USER_IS_ALREADY_A_MEMBER_OF_THIS_ORGANIZATION",
                                          "User is already a member of this organization"};
inline constexpr ErrorCode kMemberNotFound{"MEMBER_NOT_FOUND", "Member not found"};
inline constexpr ErrorCode kOnlyOwner{"YOU_CANNOT_LEAVE_THE_ORGANIZATION_AS_THE_ONLY_OWNER",
                                      "You cannot leave the organization as the only owner"};
inline constexpr ErrorCode kWithoutOwner{"YOU_CANNOT_LEAVE_THE_ORGANIZATION_WITHOUT_AN_OWNER",
                                         "You cannot leave the organization without an owner"};
inline constexpr ErrorCode kNotAllowedToDeleteMember{"YOU_ARE_NOT_ALLOWED_TO_DELETE_THIS_MEMBER",
                                                     "You are not allowed to delete this member"};
inline constexpr ErrorCode kNotAllowedToInvite{"YOU_ARE_NOT_ALLOWED_TO_INVITE_USERS_TO_THIS_ORGANIZATION",
                                               "You are not allowed to invite users to this organization"};
inline constexpr ErrorCode kAlreadyInvited{"USER_IS_ALREADY_INVITED_TO_THIS_ORGANIZATION",
                                           "User is already invited to this organization"};
inline constexpr ErrorCode kInvitationNotFound{"INVITATION_NOT_FOUND", "Invitation not found"};
inline constexpr ErrorCode kNotRecipient{"YOU_ARE_NOT_THE_RECIPIENT_OF_THE_INVITATION",
                                         "You are not the recipient of the invitation"};
inline constexpr ErrorCode kVerificationRequired{
    "EMAIL_VERIFICATION_REQUIRED_BEFORE_ACCEPTING_OR_REJECTING_INVITATION",
    "Email verification required before accepting or rejecting invitation"};
inline constexpr ErrorCode kVerificationRequiredToList{
    "EMAIL_VERIFICATION_REQUIRED_FOR_INVITATION",
    "Email verification required to view or list invitations for the session email"};
inline constexpr ErrorCode kNotAllowedToCancel{"YOU_ARE_NOT_ALLOWED_TO_CANCEL_THIS_INVITATION",
                                               "You are not allowed to cancel this invitation"};
inline constexpr ErrorCode kNotAllowedToList{"YOU_ARE_NOT_ALLOWED_TO_LIST_INVITATIONS",
                                             "You are not allowed to list invitations for this organization"};
inline constexpr ErrorCode kInviterGone{"INVITER_IS_NO_LONGER_A_MEMBER_OF_THE_ORGANIZATION",
                                        "Inviter is no longer a member of the organization"};
inline constexpr ErrorCode kNotAllowedRole{"YOU_ARE_NOT_ALLOWED_TO_INVITE_USER_WITH_THIS_ROLE",
                                           "You are not allowed to invite a user with this role"};
inline constexpr ErrorCode kNotAllowedToUpdateMember{"YOU_ARE_NOT_ALLOWED_TO_UPDATE_THIS_MEMBER",
                                                     "You are not allowed to update this member"};
inline constexpr ErrorCode kMembershipLimit{"ORGANIZATION_MEMBERSHIP_LIMIT_REACHED",
                                            "Organization membership limit reached"};
inline constexpr ErrorCode kInvitationLimit{"INVITATION_LIMIT_REACHED", "Invitation limit reached"};
inline constexpr ErrorCode kNotAMember{"YOU_ARE_NOT_A_MEMBER_OF_THIS_ORGANIZATION",
                                       "You are not a member of this organization"};
inline constexpr ErrorCode kInvalidResource{"INVALID_RESOURCE",
                                            "The provided permission includes an invalid resource"};

}  // namespace organization::errors
