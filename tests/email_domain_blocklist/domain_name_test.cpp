// Normalisation of domains (domain_name.hpp): one spelling per domain, and a refusal for anything
// that is not a host name. Non-ASCII text is written with \u escapes so the test shows exactly
// which code points it feeds in.
#include "domain_name.hpp"

#include <cppunit/extensions/HelperMacros.h>

using email_domain_blocklist::emailDomain;
using email_domain_blocklist::normalizeDomain;

namespace {

std::string normalized(std::string_view domain) {
  const auto result = normalizeDomain(domain);
  CPPUNIT_ASSERT_MESSAGE("\"" + std::string(domain) + "\" was refused: " + result.error, result.ok());
  return result.domain;
}

void assertRefused(std::string_view domain) {
  const auto result = normalizeDomain(domain);
  CPPUNIT_ASSERT_MESSAGE("\"" + std::string(domain) + "\" was accepted as \"" + result.domain + "\"", !result.ok());
  CPPUNIT_ASSERT(result.domain.empty());
  CPPUNIT_ASSERT(!result.error.empty());
}

}  // namespace

class DomainNameTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(DomainNameTest);
  CPPUNIT_TEST(lowerCasesAscii);
  CPPUNIT_TEST(dropsOneTrailingDot);
  CPPUNIT_TEST(mapsFullWidthLettersAndDots);
  CPPUNIT_TEST(turnsUnicodeLabelsIntoALabels);
  CPPUNIT_TEST(canonicalisesPunycodeInput);
  CPPUNIT_TEST(dropsInvisibleCharacters);
  CPPUNIT_TEST(keepsHomoglyphsApart);
  CPPUNIT_TEST(keepsAsciiLabelsWithDoubleHyphens);
  CPPUNIT_TEST(acceptsNamesAtTheLengthLimits);
  CPPUNIT_TEST(refusesWhatIsNotAHostName);
  CPPUNIT_TEST(refusesBadPunycodeAndBadUnicode);
  CPPUNIT_TEST(refusesOverLongNames);
  CPPUNIT_TEST(takesTheDomainAfterTheLastAt);
  CPPUNIT_TEST_SUITE_END();

 public:
  void lowerCasesAscii() {
    CPPUNIT_ASSERT_EQUAL(std::string("gmail.com"), normalized("GMAIL.COM"));
    CPPUNIT_ASSERT_EQUAL(std::string("mail.gmail.com"), normalized("Mail.GMail.com"));
    CPPUNIT_ASSERT_EQUAL(std::string("acme-corp.example"), normalized("acme-corp.example"));
  }

  void dropsOneTrailingDot() {
    CPPUNIT_ASSERT_EQUAL(std::string("gmail.com"), normalized("gmail.com."));
    CPPUNIT_ASSERT_EQUAL(std::string("gmail.com"), normalized("GMAIL.COM."));
    assertRefused("gmail.com..");
    assertRefused(".");
  }

  void mapsFullWidthLettersAndDots() {
    // ｇｍａｉｌ.com, ｇｍａｉｌ．ｃｏｍ (full-width full stop), gmail。com (ideographic full stop)
    CPPUNIT_ASSERT_EQUAL(std::string("gmail.com"), normalized("\uFF47\uFF4D\uFF41\uFF49\uFF4C.com"));
    CPPUNIT_ASSERT_EQUAL(std::string("gmail.com"),
                         normalized("\uFF47\uFF4D\uFF41\uFF49\uFF4C\uFF0E\uFF43\uFF4F\uFF4D"));
    CPPUNIT_ASSERT_EQUAL(std::string("gmail.com"), normalized("gmail\u3002com"));
    // A trailing full-width dot is a trailing dot too.
    CPPUNIT_ASSERT_EQUAL(std::string("gmail.com"), normalized("gmail.com\u3002"));
    // Ｇ (full-width capital) folds to g.
    CPPUNIT_ASSERT_EQUAL(std::string("gmail.com"), normalized("\uFF27mail.com"));
  }

  void turnsUnicodeLabelsIntoALabels() {
    CPPUNIT_ASSERT_EQUAL(std::string("xn--bcher-kva.de"), normalized("b\u00FCcher.de"));
    CPPUNIT_ASSERT_EQUAL(std::string("xn--bcher-kva.de"), normalized("B\u00DCCHER.DE"));
    // NFC: u + combining diaeresis is ü.
    CPPUNIT_ASSERT_EQUAL(std::string("xn--bcher-kva.de"), normalized("bu\u0308cher.de"));
    // Non-transitional processing keeps ß (it does not become "ss").
    CPPUNIT_ASSERT_EQUAL(std::string("xn--strae-oqa.de"), normalized("stra\u00DFe.de"));
  }

  void canonicalisesPunycodeInput() {
    CPPUNIT_ASSERT_EQUAL(std::string("xn--bcher-kva.de"), normalized("xn--bcher-kva.de"));
    CPPUNIT_ASSERT_EQUAL(std::string("xn--bcher-kva.de"), normalized("XN--BCHER-KVA.DE"));
    CPPUNIT_ASSERT_EQUAL(std::string("xn--bcher-kva.de"), normalized("xn--bcher-kva.de."));
  }

  void dropsInvisibleCharacters() {
    // UTS #46 ignores zero-width space, soft hyphen and word joiner: they cannot disguise a name.
    CPPUNIT_ASSERT_EQUAL(std::string("gmail.com"), normalized("gm\u200Bail.com"));
    CPPUNIT_ASSERT_EQUAL(std::string("gmail.com"), normalized("gm\u00ADail.com"));
    CPPUNIT_ASSERT_EQUAL(std::string("gmail.com"), normalized("g\u2060mail.com"));
    // A zero-width joiner outside the scripts that need it is refused (CONTEXTJ).
    assertRefused("gmail\u200D.com");
  }

  void keepsHomoglyphsApart() {
    // gmаil.com with a Cyrillic 'а' (U+0430) is a different domain from gmail.com.
    const std::string lookalike = normalized("gm\u0430il.com");
    CPPUNIT_ASSERT_EQUAL(std::string("xn--gmil-63d.com"), lookalike);
    CPPUNIT_ASSERT(lookalike != "gmail.com");
  }

  void keepsAsciiLabelsWithDoubleHyphens() {
    // IDNA 2008 refuses "ab--cd" as a label; as a plain ASCII name it is a real, mail-able domain.
    CPPUNIT_ASSERT_EQUAL(std::string("ab--cd.example"), normalized("AB--CD.example"));
  }

  void acceptsNamesAtTheLengthLimits() {
    const std::string label63(63, 'a');
    CPPUNIT_ASSERT_EQUAL(label63 + ".com", normalized(label63 + ".com"));
    // 63 + 1 + 63 + 1 + 63 + 1 + 61 = 253 characters.
    const std::string longest = label63 + "." + label63 + "." + label63 + "." + std::string(61, 'b');
    CPPUNIT_ASSERT_EQUAL(std::size_t(253), longest.size());
    CPPUNIT_ASSERT_EQUAL(longest, normalized(longest));
    CPPUNIT_ASSERT_EQUAL(longest, normalized(longest + "."));
    CPPUNIT_ASSERT_EQUAL(std::string("localhost"), normalized("localhost"));
  }

  void refusesWhatIsNotAHostName() {
    assertRefused("");
    assertRefused("a..b");
    assertRefused(".gmail.com");
    assertRefused("-foo.com");
    assertRefused("foo-.com");
    assertRefused("under_score.com");
    assertRefused("ex ample.com");
    assertRefused("gmail.com ");
    assertRefused("foo@bar.com");
    assertRefused("[127.0.0.1]");
    assertRefused("gmail.com/x");
    assertRefused(std::string_view("corp.example\0.gmail.com", 24));
    // Non-ASCII names go through libidn2, whose mapping leaves such ASCII in place: still refused.
    assertRefused("b\u00FCcher_x.de");
    assertRefused("b\u00FCcher .de");
  }

  void refusesBadPunycodeAndBadUnicode() {
    assertRefused("xn--zz.com");
    assertRefused("xn--gmail-.com");
    assertRefused("XN--.com");
    assertRefused("gm\xFF" "ail.com");          // not UTF-8
    assertRefused("\xC3\x28.com");              // a broken two-byte sequence
    assertRefused("\u0301a.com");               // a label starting with a combining mark
    assertRefused("xn--ls8h.la");               // punycode for an emoji: disallowed in IDNA 2008
  }

  void refusesOverLongNames() {
    assertRefused(std::string(64, 'a') + ".com");
    const std::string label63(63, 'a');
    assertRefused(label63 + "." + label63 + "." + label63 + "." + std::string(62, 'b'));  // 254
    assertRefused(std::string(5000, 'a'));
    // Many short labels, past 1024 bytes of input.
    std::string manyLabels;
    for (int i = 0; i < 600; ++i) manyLabels += "a.";
    assertRefused(manyLabels + "com");
    // A Unicode label whose A-label is longer than 63.
    std::string longUnicode;
    for (int i = 0; i < 60; ++i) longUnicode += "\u00FC";
    assertRefused(longUnicode + ".de");
  }

  void takesTheDomainAfterTheLastAt() {
    CPPUNIT_ASSERT_EQUAL(std::string("gmail.com"), std::string(*emailDomain("someone@gmail.com")));
    CPPUNIT_ASSERT_EQUAL(std::string("gmail.com"), std::string(*emailDomain("a@b@gmail.com")));
    CPPUNIT_ASSERT_EQUAL(std::string("corp.example"), std::string(*emailDomain("\"x@gmail.com\"@corp.example")));
    CPPUNIT_ASSERT_EQUAL(std::string(""), std::string(*emailDomain("someone@")));
    CPPUNIT_ASSERT(!emailDomain("someone.gmail.com"));
    CPPUNIT_ASSERT(!emailDomain(""));
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(DomainNameTest);
