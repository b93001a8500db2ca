// The block and allow lists (domain_matcher.hpp): exact domains with their subdomains, "name.*"
// suffixes, allow entries winning, and the decision for whole email addresses.
#include "default_domains.hpp"
#include "domain_matcher.hpp"

#include <cppunit/extensions/HelperMacros.h>

using email_domain_blocklist::defaultBlockedDomains;
using email_domain_blocklist::DomainPolicy;
using email_domain_blocklist::DomainSet;

namespace {

DomainSet setOf(std::initializer_list<std::string_view> entries) {
  DomainSet set;
  for (std::string_view entry : entries) {
    const std::string error = set.add(entry);
    CPPUNIT_ASSERT_MESSAGE("entry \"" + std::string(entry) + "\" refused: " + error, error.empty());
  }
  return set;
}

DomainPolicy defaultPolicy() {
  DomainPolicy policy;
  for (std::string_view entry : defaultBlockedDomains()) {
    const std::string error = policy.blocked.add(entry);
    CPPUNIT_ASSERT_MESSAGE("built-in entry \"" + std::string(entry) + "\" refused: " + error, error.empty());
  }
  return policy;
}

void assertBlocked(const DomainPolicy& policy, const std::string& email) {
  const auto verdict = policy.check(email);
  CPPUNIT_ASSERT_MESSAGE(email + " should be refused (domain \"" + verdict.domain + "\")", !verdict.allowed);
}

void assertAllowed(const DomainPolicy& policy, const std::string& email) {
  const auto verdict = policy.check(email);
  CPPUNIT_ASSERT_MESSAGE(email + " should be allowed", verdict.allowed);
}

}  // namespace

class DomainMatcherTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(DomainMatcherTest);
  CPPUNIT_TEST(exactEntryCoversItsSubdomains);
  CPPUNIT_TEST(exactEntryIsNotASubstringMatch);
  CPPUNIT_TEST(wildcardCoversEverySuffix);
  CPPUNIT_TEST(wildcardNeedsALabelAfterIt);
  CPPUNIT_TEST(multiLabelWildcard);
  CPPUNIT_TEST(entriesAreNormalised);
  CPPUNIT_TEST(badEntriesAreRefused);
  CPPUNIT_TEST(allowWinsOverBlock);
  CPPUNIT_TEST(checkNormalisesTheEmailDomain);
  CPPUNIT_TEST(homoglyphDomainsAreOnlyBlockedWhenListed);
  CPPUNIT_TEST(addressesWithoutUsableDomainAreRefused);
  CPPUNIT_TEST(severalAtSignsUseTheLastOne);
  CPPUNIT_TEST(defaultListCoversTheCommonProviders);
  CPPUNIT_TEST(defaultListLeavesBusinessDomainsAlone);
  CPPUNIT_TEST_SUITE_END();

 public:
  void exactEntryCoversItsSubdomains() {
    const DomainSet set = setOf({"gmail.com"});
    CPPUNIT_ASSERT(set.matches("gmail.com"));
    CPPUNIT_ASSERT(set.matches("mail.gmail.com"));
    CPPUNIT_ASSERT(set.matches("a.b.c.gmail.com"));
    CPPUNIT_ASSERT_EQUAL(std::size_t(1), set.size());
  }

  void exactEntryIsNotASubstringMatch() {
    const DomainSet set = setOf({"gmail.com"});
    CPPUNIT_ASSERT(!set.matches("notgmail.com"));
    CPPUNIT_ASSERT(!set.matches("gmail.com.evil.example"));
    CPPUNIT_ASSERT(!set.matches("gmail.co"));
    CPPUNIT_ASSERT(!set.matches("com"));
    CPPUNIT_ASSERT(!set.matches("xgmail.com"));
  }

  void wildcardCoversEverySuffix() {
    const DomainSet set = setOf({"yahoo.*"});
    CPPUNIT_ASSERT(set.matches("yahoo.com"));
    CPPUNIT_ASSERT(set.matches("yahoo.fr"));
    CPPUNIT_ASSERT(set.matches("yahoo.co.uk"));
    CPPUNIT_ASSERT(set.matches("yahoo.com.au"));
    CPPUNIT_ASSERT(set.matches("mail.yahoo.fr"));
    // Documented: the label may sit anywhere but last.
    CPPUNIT_ASSERT(set.matches("yahoo.corp.example"));
    CPPUNIT_ASSERT(!set.matches("myyahoo.com"));
    CPPUNIT_ASSERT(!set.matches("yahoocorp.com"));
    CPPUNIT_ASSERT(!set.matches("yahoo-mail.com"));
  }

  void wildcardNeedsALabelAfterIt() {
    const DomainSet set = setOf({"yahoo.*"});
    CPPUNIT_ASSERT(!set.matches("yahoo"));
    CPPUNIT_ASSERT(!set.matches("mail.yahoo"));
  }

  void multiLabelWildcard() {
    const DomainSet set = setOf({"mail.yahoo.*"});
    CPPUNIT_ASSERT(set.matches("mail.yahoo.com"));
    CPPUNIT_ASSERT(set.matches("eu.mail.yahoo.co.uk"));
    CPPUNIT_ASSERT(!set.matches("yahoo.com"));
    CPPUNIT_ASSERT(!set.matches("mail.yahoo"));
  }

  void entriesAreNormalised() {
    const DomainSet set = setOf({"GMAIL.COM.", "\uFF59\uFF41\uFF48\uFF4F\uFF4F.*", "b\u00FCcher.de", "XN--STRAE-OQA.DE"});
    CPPUNIT_ASSERT(set.matches("gmail.com"));
    CPPUNIT_ASSERT(set.matches("yahoo.co.jp"));
    CPPUNIT_ASSERT(set.matches("xn--bcher-kva.de"));
    CPPUNIT_ASSERT(set.matches("xn--strae-oqa.de"));
    // Duplicates are one entry.
    DomainSet twice = setOf({"gmail.com", "Gmail.Com", "gmail.com."});
    CPPUNIT_ASSERT_EQUAL(std::size_t(1), twice.size());
  }

  void badEntriesAreRefused() {
    DomainSet set;
    CPPUNIT_ASSERT(set.add("*.gmail.com").find("subdomains are always included") != std::string::npos);
    CPPUNIT_ASSERT(!set.add("gm*il.com").empty());
    CPPUNIT_ASSERT(!set.add("*").empty());
    CPPUNIT_ASSERT(!set.add("yahoo.*.com").empty());
    CPPUNIT_ASSERT(set.add("someone@gmail.com").find("'@'") != std::string::npos);
    CPPUNIT_ASSERT(set.add("@gmail.com").find("'@'") != std::string::npos);
    CPPUNIT_ASSERT(!set.add("").empty());
    CPPUNIT_ASSERT(!set.add(".*").empty());
    CPPUNIT_ASSERT(!set.add("-bad.com").empty());
    CPPUNIT_ASSERT(!set.add("xn--zz.com").empty());
    CPPUNIT_ASSERT(!set.add("two words.com").empty());
    CPPUNIT_ASSERT_EQUAL(std::size_t(0), set.size());
  }

  void allowWinsOverBlock() {
    DomainPolicy policy;
    policy.blocked = setOf({"gmail.com", "yahoo.*"});
    policy.allowed = setOf({"partner.gmail.com", "yahoo.co.jp"});
    assertBlocked(policy, "a@gmail.com");
    assertBlocked(policy, "a@other.gmail.com");
    assertAllowed(policy, "a@partner.gmail.com");
    assertAllowed(policy, "a@eu.partner.gmail.com");  // subdomains of an allow entry too
    assertAllowed(policy, "a@yahoo.co.jp");
    assertBlocked(policy, "a@yahoo.com");
    // An allow entry for the blocked domain itself wins as well.
    policy.allowed = setOf({"gmail.com"});
    assertAllowed(policy, "a@gmail.com");
    assertAllowed(policy, "a@mail.gmail.com");
  }

  void checkNormalisesTheEmailDomain() {
    DomainPolicy policy;
    policy.blocked = setOf({"gmail.com"});
    const auto verdict = policy.check("Someone@GMAIL.COM");
    CPPUNIT_ASSERT(!verdict.allowed);
    CPPUNIT_ASSERT_EQUAL(std::string("gmail.com"), verdict.domain);
    assertBlocked(policy, "someone@gmail.com.");
    assertBlocked(policy, "someone@Mail.GMAIL.com");
    assertBlocked(policy, "someone@\uFF47\uFF4D\uFF41\uFF49\uFF4C.com");
    assertBlocked(policy, "someone@gmail\u3002com");
    const auto allowed = policy.check("someone@Acme.Example");
    CPPUNIT_ASSERT(allowed.allowed);
    CPPUNIT_ASSERT_EQUAL(std::string("acme.example"), allowed.domain);
  }

  void homoglyphDomainsAreOnlyBlockedWhenListed() {
    DomainPolicy policy;
    policy.blocked = setOf({"gmail.com"});
    // gmаil.com (Cyrillic а) is another domain: not blocked by the gmail.com entry.
    const auto lookalike = policy.check("someone@gm\u0430il.com");
    CPPUNIT_ASSERT(lookalike.allowed);
    CPPUNIT_ASSERT_EQUAL(std::string("xn--gmil-63d.com"), lookalike.domain);
    assertAllowed(policy, "someone@xn--gmil-63d.com");

    // Listed in its Unicode spelling, both spellings are blocked.
    policy.blocked = setOf({"gm\u0430il.com"});
    assertBlocked(policy, "someone@xn--gmil-63d.com");
    assertBlocked(policy, "someone@XN--GMIL-63D.COM");
    assertBlocked(policy, "someone@gm\u0430il.com");
    assertAllowed(policy, "someone@gmail.com");
    // And the other way round: listed as an A-label, the Unicode spelling is blocked.
    policy.blocked = setOf({"xn--bcher-kva.de"});
    assertBlocked(policy, "someone@b\u00FCcher.de");
    assertBlocked(policy, "someone@B\u00DCCHER.de");
  }

  void addressesWithoutUsableDomainAreRefused() {
    DomainPolicy policy;  // empty lists: only the fail-closed rule can refuse
    for (const std::string& email : std::vector<std::string>{"no-at-sign.example", "someone@", "someone@-bad.com", "someone@xn--zz.com",
                                    "someone@a..b", "someone@gm\xFF" "ail.com", "someone@gmail.com..",
                                    "someone@" + std::string(300, 'a') + ".com", std::string()}) {
      const auto verdict = policy.check(email);
      CPPUNIT_ASSERT_MESSAGE("\"" + email + "\" should be refused", !verdict.allowed);
      CPPUNIT_ASSERT(verdict.domain.empty());
    }
    assertAllowed(policy, "someone@acme.example");
  }

  void severalAtSignsUseTheLastOne() {
    DomainPolicy policy;
    policy.blocked = setOf({"gmail.com"});
    assertBlocked(policy, "a@b@gmail.com");
    // The mailbox's domain is after the last '@': this address is delivered to corp.example.
    const auto verdict = policy.check("someone@gmail.com@corp.example");
    CPPUNIT_ASSERT(verdict.allowed);
    CPPUNIT_ASSERT_EQUAL(std::string("corp.example"), verdict.domain);
  }

  void defaultListCoversTheCommonProviders() {
    const DomainPolicy policy = defaultPolicy();
    for (const char* domain :
         {"gmail.com", "googlemail.com", "yahoo.com", "yahoo.co.uk", "yahoo.fr", "ymail.com", "outlook.com",
          "outlook.de", "hotmail.com", "hotmail.co.uk", "live.com", "live.fr", "msn.com", "icloud.com", "me.com",
          "mac.com", "aol.com", "proton.me", "protonmail.com", "gmx.de", "gmx.net", "gmx.com", "yandex.ru",
          "yandex.com", "mail.ru", "web.de", "qq.com", "comcast.net"})
      assertBlocked(policy, std::string("someone@") + domain);
    assertBlocked(policy, "someone@GMAIL.COM.");
    assertBlocked(policy, "someone@\uFF47\uFF4D\uFF41\uFF49\uFF4C.com");
  }

  void defaultListLeavesBusinessDomainsAlone() {
    const DomainPolicy policy = defaultPolicy();
    for (const char* domain : {"acme.example", "example.com", "google.com", "microsoft.com", "yahooinc.com",
                               "corp-mail.example", "mailchimp.com", "gm\u0430il.com"})
      assertAllowed(policy, std::string("someone@") + domain);
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(DomainMatcherTest);
