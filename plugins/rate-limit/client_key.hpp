// client_key.hpp - the part of a rate-limit key that names the client.
//
// The host already resolved the address (crow::Request::clientAddress: the socket peer, or the
// X-Forwarded-For walk past trusted proxies only) and printed it canonically. What is left here:
// one IPv6 user usually owns a whole /64 and can rotate through it freely, so IPv6 addresses are
// grouped by their /64 prefix; and every spelling of one address must give one key, whoever
// printed it.
#pragma once

#include <string>
#include <string_view>

namespace crow::rate_limit {

/// The key text for a client address:
///  - IPv4 ("203.0.113.7", also when written as IPv4-mapped IPv6 "::ffff:203.0.113.7"): the
///    dotted quad as inet_ntop prints it;
///  - IPv6: the /64 prefix, canonical ("2001:db8:1:2::/64"), whatever the spelling (compressed or
///    not, upper-case, leading zeros, brackets, a zone id);
///  - empty: "unknown" (one shared bucket, so a request without an address is still limited);
///  - anything else (not an address: only possible when the host could not parse its own socket
///    peer): "other:" and the first 64 bytes of the text.
std::string clientKey(std::string_view address);
/// The same, appended to `out` (the limiter builds a whole key in one string).
void appendClientKey(std::string& out, std::string_view address);

}  // namespace crow::rate_limit
