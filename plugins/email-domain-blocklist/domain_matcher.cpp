#include "domain_matcher.hpp"

#include "domain_name.hpp"

namespace email_domain_blocklist {

std::string DomainSet::add(std::string_view entry) {
  if (entry.find('@') != std::string_view::npos) return "is not a domain (write the part after '@' only)";
  if (entry.starts_with("*.")) return "starts with \"*.\": write the domain alone, its subdomains are always included";
  const bool wildcard = entry.ends_with(".*");
  if (wildcard) entry.remove_suffix(2);
  if (entry.find('*') != std::string_view::npos)
    return "has a '*' that is not the whole last label (write \"yahoo.*\" for yahoo.com, yahoo.co.uk, ...)";
  NormalizedDomain normalized = normalizeDomain(entry);
  if (!normalized.ok()) return normalized.error;
  (wildcard ? wildcardLabels_ : domains_).insert(std::move(normalized.domain));
  return {};
}

bool DomainSet::matches(std::string_view domain) const {
  // Every label boundary `start` begins a candidate: the domain itself and each parent domain.
  for (std::size_t start = 0; start < domain.size();) {
    const std::string_view tail = domain.substr(start);
    if (domains_.count(std::string(tail))) return true;
    // "labels.*": the labels from `start` up to a dot that still has a label after it.
    if (!wildcardLabels_.empty())
      for (std::size_t dot = tail.find('.'); dot != std::string_view::npos; dot = tail.find('.', dot + 1))
        if (dot + 1 < tail.size() && wildcardLabels_.count(std::string(tail.substr(0, dot)))) return true;
    const std::size_t next = tail.find('.');
    if (next == std::string_view::npos) break;
    start += next + 1;
  }
  return false;
}

Verdict DomainPolicy::check(std::string_view email) const {
  const std::optional<std::string_view> rawDomain = emailDomain(email);
  if (!rawDomain) return {false, {}};
  NormalizedDomain normalized = normalizeDomain(*rawDomain);
  if (!normalized.ok()) return {false, {}};
  const bool allowedDomain = allowed.matches(normalized.domain) || !blocked.matches(normalized.domain);
  return {allowedDomain, std::move(normalized.domain)};
}

}  // namespace email_domain_blocklist
