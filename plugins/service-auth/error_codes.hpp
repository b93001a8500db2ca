// error_codes.hpp - every error code the service-auth plugin sends to clients. They are part of
// its HTTP contract: never rename one, add new ones instead.
#pragma once

#include <crow/error.hpp>

namespace service_auth::errors {

inline constexpr crow::ErrorCode MISSING_SERVICE_KEY{"MISSING_SERVICE_KEY",
                                                     "This endpoint requires an X-Service-API-Key header"};
inline constexpr crow::ErrorCode INVALID_SERVICE_KEY{"INVALID_SERVICE_KEY", "The X-Service-API-Key is not valid"};

}  // namespace service_auth::errors
