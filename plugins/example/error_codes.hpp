// error_codes.hpp - every error code the example plugin sends to clients. The codes are part of
// its HTTP contract: never rename one, add new ones instead. crow::ErrorCode rejects a code that
// is not UPPER_SNAKE_CASE at compile time.
#pragma once

#include <crow/error.hpp>

namespace example::errors {

inline constexpr crow::ErrorCode EXAMPLE_BLOCKED{"EXAMPLE_BLOCKED", "Request blocked by the example plugin"};
inline constexpr crow::ErrorCode NOTE_NOT_FOUND{"NOTE_NOT_FOUND", "Note not found"};
inline constexpr crow::ErrorCode NOTE_TEXT_REQUIRED{"NOTE_TEXT_REQUIRED", "Note text is required"};
inline constexpr crow::ErrorCode NOTE_TEXT_TOO_LONG{"NOTE_TEXT_TOO_LONG", "Note text is too long"};

}  // namespace example::errors
