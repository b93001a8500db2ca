// error_codes.hpp - the error codes the email-domain-blocklist plugin sends to clients. The code
// and the message wording are the reference Better Auth server's (its user.create database hook),
// so clients written against it see the same answer.
#pragma once

#include <crow/error.hpp>

#include <string>
#include <string_view>

namespace email_domain_blocklist::errors {

/// Sent with status 400. The catalogue message is used when the address has no usable domain to
/// name; otherwise the message names the (normalised) domain, as the reference server does.
inline constexpr crow::ErrorCode EMAIL_DOMAIN_NOT_ALLOWED{"EMAIL_DOMAIN_NOT_ALLOWED",
                                                          "Sign-ups from this email domain are not allowed"};

/// The reference server's wording: "Sign-ups from <domain> addresses are not allowed".
inline std::string domainNotAllowedMessage(std::string_view domain) {
  return "Sign-ups from " + std::string(domain) + " addresses are not allowed";
}

}  // namespace email_domain_blocklist::errors
