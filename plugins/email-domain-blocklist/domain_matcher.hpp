// domain_matcher.hpp - the block and allow lists, and the decision for one email address.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_set>

namespace email_domain_blocklist {

/// A set of domain patterns, each written by an operator in one of two forms:
///   "example.com"  that domain and every subdomain of it (mail.example.com, a.b.example.com);
///   "yahoo.*"      the label(s) before ".*" followed by one or more further labels (yahoo.com,
///                  yahoo.co.uk), and every subdomain of such a domain (mail.yahoo.fr). The
///                  labels may sit anywhere but last, so "yahoo.*" also covers yahoo.corp.example.
/// Entries are normalised like the emails (domain_name.hpp), so "GMAIL.com.", "ｇｍａｉｌ.com" and
/// "bücher.de" / "xn--bcher-kva.de" are each one entry.
class DomainSet {
 public:
  /// Adds one entry. Returns an empty string, or why the entry is not a domain pattern.
  std::string add(std::string_view entry);
  /// True when a normalised domain (normalizeDomain's output) falls under an entry.
  bool matches(std::string_view domain) const;
  std::size_t size() const noexcept { return domains_.size() + wildcardLabels_.size(); }

 private:
  std::unordered_set<std::string> domains_;         // "gmail.com"
  std::unordered_set<std::string> wildcardLabels_;  // "yahoo" for "yahoo.*"
};

/// What the hooks decide for one address.
struct Verdict {
  bool allowed = false;
  /// The normalised domain; empty when the address has none that can be normalised.
  std::string domain;
};

/// The block list and the allow list; an allow entry wins over any block entry.
class DomainPolicy {
 public:
  DomainSet blocked;
  DomainSet allowed;

  /// Allowed unless the domain matches a block entry and no allow entry. An address without '@'
  /// or whose domain cannot be normalised is refused (fail closed): a domain that cannot be
  /// compared cannot be shown not to be blocked.
  Verdict check(std::string_view email) const;
};

}  // namespace email_domain_blocklist
