// error_codes.hpp - @better-auth/api-key's API_KEY_ERROR_CODES that this plugin sends, with their
// exact messages (CONTRACT.md §11). Part of the HTTP contract: never rename one.
#pragma once

#include <crow/error.hpp>

namespace apikey::errors {

using crow::ErrorCode;

inline constexpr ErrorCode kInvalidMetadataType{"INVALID_METADATA_TYPE", "metadata must be an object or undefined"};
inline constexpr ErrorCode kUnauthorizedSession{"UNAUTHORIZED_SESSION", "Unauthorized or invalid session"};
inline constexpr ErrorCode kKeyNotFound{"KEY_NOT_FOUND", "API Key not found"};
inline constexpr ErrorCode kKeyDisabled{"KEY_DISABLED", "API Key is disabled"};
inline constexpr ErrorCode kKeyExpired{"KEY_EXPIRED", "API Key has expired"};
inline constexpr ErrorCode kUsageExceeded{"USAGE_EXCEEDED", "API Key has reached its usage limit"};
inline constexpr ErrorCode kExpiresInTooSmall{"EXPIRES_IN_IS_TOO_SMALL",
                                              "The expiresIn is smaller than the predefined minimum value."};
inline constexpr ErrorCode kExpiresInTooLarge{"EXPIRES_IN_IS_TOO_LARGE",
                                              "The expiresIn is larger than the predefined maximum value."};
inline constexpr ErrorCode kInvalidPrefixLength{"INVALID_PREFIX_LENGTH",
                                                "The prefix length is either too large or too small."};
inline constexpr ErrorCode kInvalidNameLength{"INVALID_NAME_LENGTH", "The name length is either too large or too small."};
inline constexpr ErrorCode kMetadataDisabled{"METADATA_DISABLED", "Metadata is disabled."};
/// The rate-limit denial uses code RATE_LIMITED with RATE_LIMIT_EXCEEDED's message (as Better Auth).
inline constexpr ErrorCode kRateLimited{"RATE_LIMITED", "Rate limit exceeded."};
inline constexpr ErrorCode kNoValuesToUpdate{"NO_VALUES_TO_UPDATE", "No values to update."};
inline constexpr ErrorCode kKeyDisabledExpiration{"KEY_DISABLED_EXPIRATION", "Custom key expiration values are disabled."};
inline constexpr ErrorCode kInvalidApiKey{"INVALID_API_KEY", "Invalid API key."};
/// Verify's own guard when no service-auth plugin vouched for the caller (same codes and
/// messages as plugins/service-auth).
inline constexpr ErrorCode kMissingServiceKey{"MISSING_SERVICE_KEY", "This endpoint requires an X-Service-API-Key header"};
inline constexpr ErrorCode kInvalidServiceKey{"INVALID_SERVICE_KEY", "The X-Service-API-Key is not valid"};
inline constexpr ErrorCode kInvalidReferenceId{"INVALID_REFERENCE_ID_FROM_API_KEY",
                                               "The reference id from the API key is invalid."};
inline constexpr ErrorCode kServerOnlyProperty{
    "SERVER_ONLY_PROPERTY", "The property you're trying to set can only be set from the server auth instance only."};
inline constexpr ErrorCode kNameRequired{"NAME_REQUIRED", "API Key name is required."};
inline constexpr ErrorCode kUserNotMemberOfOrganization{"USER_NOT_MEMBER_OF_ORGANIZATION",
                                                        "You are not a member of the organization that owns this API key."};
inline constexpr ErrorCode kInsufficientApiKeyPermissions{
    "INSUFFICIENT_API_KEY_PERMISSIONS", "You do not have permission to perform this action on organization API keys."};
/// A platform service named a user (body.userId) that does not exist.
inline constexpr ErrorCode kUserNotFound{"USER_NOT_FOUND", "User not found"};
inline constexpr ErrorCode kOrganizationPluginRequired{
    "ORGANIZATION_PLUGIN_REQUIRED",
    "Organization plugin is required for organization-owned API keys. Please install and configure the organization plugin."};
/// crow-auth's own: the system-token route was called while the core's JWT is off.
inline constexpr ErrorCode kSystemTokensDisabled{"SYSTEM_TOKENS_DISABLED",
                                                 "System tokens need the core JWT (auth.jwt.enabled: true)."};

}  // namespace apikey::errors
