// Request ids: short, random, generated here for every request (a client-sent X-Request-Id is not
// trusted: it would let a client forge or collide log correlation).
#pragma once

#include <string>

namespace crow::host {

/// 13 characters of lower-case base32 (64 random bits). Fits the small-string buffer, so no
/// allocation; a per-thread generator, so no lock. Not a secret and not meant to be one.
std::string newRequestId();

}  // namespace crow::host
