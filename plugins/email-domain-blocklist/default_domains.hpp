// default_domains.hpp - the built-in list of consumer mailbox providers (useDefaultList: true).
#pragma once

#include <span>
#include <string_view>

namespace email_domain_blocklist {

/// The entries of the built-in list, in DomainSet's syntax ("gmail.com", "yahoo.*").
std::span<const std::string_view> defaultBlockedDomains() noexcept;

}  // namespace email_domain_blocklist
