// domain_name.hpp - one spelling for every way of writing a domain name: the IDNA A-label form
// ("xn--..."), lower case, without the trailing root dot. Both the emails the hooks check and the
// operator's list entries go through it, so only equal spellings have to be compared.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace email_domain_blocklist {

/// The outcome of normalising a domain: `domain` when it worked, else `error` (for config
/// messages and logs; never sent to clients).
struct NormalizedDomain {
  std::string domain;
  std::string error;
  bool ok() const noexcept { return error.empty(); }
};

/// The longest input accepted, in bytes (a DNS name has at most 253 characters; Unicode labels
/// take more bytes before they become A-labels).
inline constexpr std::size_t kMaxDomainInputBytes = 1024;

/// UTS #46 processing (non-transitional, NFC input) with libidn2, so case, full-width letters and
/// dots, and U-labels all turn into one A-label spelling; then one trailing dot is dropped and the
/// result must be a host name (labels of 1..63 letters, digits and inner hyphens, 253 at most).
/// Pure-ASCII names without "xn--" labels are only lower-cased: UTS #46 maps them no further, and
/// this keeps real domains with "--" in the third and fourth places (which IDNA 2008 refuses as
/// labels) usable.
NormalizedDomain normalizeDomain(std::string_view domain);

/// The text after the last '@' of an email address (the mailbox's domain, as in RFC 5321), or
/// nullopt when there is no '@'.
std::optional<std::string_view> emailDomain(std::string_view email);

}  // namespace email_domain_blocklist
