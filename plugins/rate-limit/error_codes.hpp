// error_codes.hpp - the error codes the rate-limit plugin sends. Part of its HTTP contract: never
// rename one. (Over the limit it sends Better Auth's 429, which has a message and no code.)
#pragma once

#include <crow/error.hpp>

namespace crow::rate_limit::errors {

inline constexpr crow::ErrorCode RATE_LIMIT_UNAVAILABLE{"RATE_LIMIT_UNAVAILABLE",
                                                        "Rate limiting is unavailable. Please try again later."};

}  // namespace crow::rate_limit::errors
