// auth/error_codes.hpp - the entries of Better Auth's BASE_ERROR_CODES (and the ad-hoc codes of its
// core routes) that the authentication core sends, with Better Auth's exact messages.
#pragma once

#include "crow/error.hpp"

namespace crow::host::auth_errors {

inline constexpr crow::ErrorCode kUnauthorized{"UNAUTHORIZED", "Unauthorized"};
inline constexpr crow::ErrorCode kUserNotFound{"USER_NOT_FOUND", "User not found"};
inline constexpr crow::ErrorCode kFailedToCreateUser{"FAILED_TO_CREATE_USER", "Failed to create user"};
inline constexpr crow::ErrorCode kFailedToCreateSession{"FAILED_TO_CREATE_SESSION", "Failed to create session"};
inline constexpr crow::ErrorCode kFailedToGetSession{"FAILED_TO_GET_SESSION", "Failed to get session"};
inline constexpr crow::ErrorCode kInvalidPassword{"INVALID_PASSWORD", "Invalid password"};
inline constexpr crow::ErrorCode kInvalidEmail{"INVALID_EMAIL", "Invalid email"};
inline constexpr crow::ErrorCode kInvalidEmailOrPassword{"INVALID_EMAIL_OR_PASSWORD", "Invalid email or password"};
inline constexpr crow::ErrorCode kInvalidUser{"INVALID_USER", "Invalid user"};
inline constexpr crow::ErrorCode kInvalidToken{"INVALID_TOKEN", "Invalid token"};
inline constexpr crow::ErrorCode kTokenExpired{"TOKEN_EXPIRED", "Token expired"};
inline constexpr crow::ErrorCode kEmailNotVerified{"EMAIL_NOT_VERIFIED", "Email not verified"};
inline constexpr crow::ErrorCode kPasswordTooShort{"PASSWORD_TOO_SHORT", "Password too short"};
inline constexpr crow::ErrorCode kPasswordTooLong{"PASSWORD_TOO_LONG", "Password too long"};
inline constexpr crow::ErrorCode kUserAlreadyExistsUseAnotherEmail{"USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL",
                                                                   "User already exists. Use another email."};
inline constexpr crow::ErrorCode kEmailCanNotBeUpdated{"EMAIL_CAN_NOT_BE_UPDATED", "Email can not be updated"};
inline constexpr crow::ErrorCode kCredentialAccountNotFound{"CREDENTIAL_ACCOUNT_NOT_FOUND",
                                                            "Credential account not found"};
inline constexpr crow::ErrorCode kCrossSiteNavigationLoginBlocked{
    "CROSS_SITE_NAVIGATION_LOGIN_BLOCKED",
    "Cross-site navigation login blocked. This request appears to be a CSRF attack."};
inline constexpr crow::ErrorCode kVerificationEmailNotEnabled{"VERIFICATION_EMAIL_NOT_ENABLED",
                                                              "Verification email isn't enabled"};
inline constexpr crow::ErrorCode kEmailAlreadyVerified{"EMAIL_ALREADY_VERIFIED", "Email is already verified"};
inline constexpr crow::ErrorCode kEmailMismatch{"EMAIL_MISMATCH", "Email mismatch"};
inline constexpr crow::ErrorCode kSessionNotFresh{"SESSION_NOT_FRESH", "Session is not fresh"};
inline constexpr crow::ErrorCode kInvalidOrigin{"INVALID_ORIGIN", "Invalid origin"};
inline constexpr crow::ErrorCode kMissingOrNullOrigin{"MISSING_OR_NULL_ORIGIN", "Missing or null Origin"};
inline constexpr crow::ErrorCode kInvalidCallbackUrl{"INVALID_CALLBACK_URL", "Invalid callbackURL"};
inline constexpr crow::ErrorCode kInvalidRedirectUrl{"INVALID_REDIRECT_URL", "Invalid redirectURL"};
inline constexpr crow::ErrorCode kInvalidErrorCallbackUrl{"INVALID_ERROR_CALLBACK_URL", "Invalid errorCallbackURL"};
inline constexpr crow::ErrorCode kInvalidNewUserCallbackUrl{"INVALID_NEW_USER_CALLBACK_URL",
                                                            "Invalid newUserCallbackURL"};
inline constexpr crow::ErrorCode kFieldNotAllowed{"FIELD_NOT_ALLOWED", "Field not allowed to be set"};
inline constexpr crow::ErrorCode kValidationError{"VALIDATION_ERROR", "Validation Error"};
inline constexpr crow::ErrorCode kMethodNotAllowedDeferSessionRequired{
    "METHOD_NOT_ALLOWED_DEFER_SESSION_REQUIRED",
    "POST method requires deferSessionRefresh to be enabled in session config"};
inline constexpr crow::ErrorCode kBodyMustBeAnObject{"BODY_MUST_BE_AN_OBJECT", "Body must be an object"};
// Ad-hoc codes of the email-and-password routes (not in BASE_ERROR_CODES).
inline constexpr crow::ErrorCode kSignUpDisabled{"EMAIL_PASSWORD_SIGN_UP_DISABLED",
                                                 "Email and password sign up is not enabled"};
inline constexpr crow::ErrorCode kEmailPasswordDisabled{"EMAIL_PASSWORD_DISABLED", "Email and password is not enabled"};
inline constexpr crow::ErrorCode kResetPasswordDisabled{"RESET_PASSWORD_DISABLED", "Reset password isn't enabled"};

}  // namespace crow::host::auth_errors
